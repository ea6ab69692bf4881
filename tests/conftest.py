"""Fixtures shared by the whole suite: people with roles, a clean cache, private media, and a
small library tree with case study and resource factories."""

from __future__ import annotations

import itertools
import os
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

import pytest
from allauth.account.models import EmailAddress
from django.core.cache import cache

from library import demo
from library.models import (
    CaseStudyIndexPage,
    CaseStudyOutcome,
    CaseStudyPage,
    ResourceIndexPage,
    ResourcePage,
    Theme,
)
from network.models import User
from network.roles import Role
from network.services import user_add_role

TEST_PASSWORD = "correct-horse-battery-staple"
_counter = itertools.count(1)


def worker_index() -> int:
    """0 for a plain run; N for pytest-xdist's worker ``gwN`` (``make test`` runs two)."""
    name = os.environ.get("PYTEST_XDIST_WORKER", "")
    return int(name[2:]) if name.startswith("gw") else 0


def _is_worker() -> bool:
    return "PYTEST_XDIST_WORKER" in os.environ


def worker_redis_url(url: str) -> str:
    """The Redis database of this test process: REDIS_URL's number plus the worker's index
    (``.../0`` gives workers 0 and 1 with two workers). Every test empties the cache
    (``cache.clear()`` is FLUSHDB), so two workers on one database would empty each other's
    rate-limit counters and cached pages in the middle of a test."""
    parts = urlsplit(url)
    number = int(parts.path.strip("/") or 0) + worker_index()
    if number > 15:
        raise pytest.UsageError(f"{url} leaves no Redis database for worker {worker_index()}")
    return urlunsplit(parts._replace(path=f"/{number}"))


if os.environ.get("REDIS_URL"):
    # For what reads the environment (tests that start processes, the channel-layer test).
    os.environ["REDIS_URL"] = worker_redis_url(os.environ["REDIS_URL"])


@pytest.fixture(scope="session", autouse=True)
def _per_worker_services(tmp_path_factory):
    """What test processes must not share, one per pytest-xdist worker: the embedded
    default's file cache (shared by every process of one ``VAR_DIR``, so a run also neither
    reads a developer's site's cache nor empties it) gets a directory of the run's own; on
    Redis, the cache and the channel layer use the worker's database (``worker_redis_url``).
    The test database is pytest-django's (``test_<name>_gwN`` on PostgreSQL, in memory on
    SQLite), media folders are per test (below), ports are free ones (devservers.free_port)."""
    import live_servers
    from django.conf import settings
    from django.test import override_settings

    basetemp = tmp_path_factory.getbasetemp()
    # The workers of one run share their parent folder (pytest-N/popen-gwN): one migration.
    live_servers.template_folder = basetemp.parent if _is_worker() else basetemp
    caches = {name: dict(options) for name, options in settings.CACHES.items()}
    layers = {name: dict(options) for name, options in settings.CHANNEL_LAYERS.items()}
    default = caches["default"]
    if default["BACKEND"].endswith("FileBasedCache"):
        default["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    elif "REDIS_URL" in os.environ:
        default["LOCATION"] = os.environ["REDIS_URL"]
        layer = layers["default"]
        layer["CONFIG"] = {
            **layer["CONFIG"],
            "hosts": [
                {**host, "address": os.environ["REDIS_URL"]} for host in layer["CONFIG"]["hosts"]
            ],
        }
    with override_settings(CACHES=caches, CHANNEL_LAYERS=layers):
        yield


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a temporary folder; rate-limit counters never leak between tests.

    The search's spelling vocabulary is memoised per index version in the process: each test's
    rolled-back transaction lets the next test reach the same version with other words, which
    a real database never does (versions only move on)."""
    from search.backends.database import suggestions

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    cache.clear()
    suggestions.vocabulary.cache_clear()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel layer object: channels-redis binds its locks and pools to
    the event loop that first used them, and every async test runs in a new loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


@pytest.fixture
def make_user(db):
    """Create a verified member, optionally with extra roles: ``make_user(Role.TRAINER)``."""

    def factory(*roles: Role, verified: bool = True, **fields) -> User:
        number = next(_counter)
        fields.setdefault("username", f"member{number}")
        fields.setdefault("email", f"member{number}@example.org")
        user = User.objects.create_user(password=TEST_PASSWORD, **fields)
        EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
        for role in (Role.LEARNER, *roles):
            user_add_role(user=user, role=role)
        return user

    return factory


@pytest.fixture
def learner(make_user) -> User:
    return make_user()


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


_page_numbers = itertools.count(1)


@pytest.fixture
def library_tree(db):
    """Home page with case study and resource sections, translated into every language."""
    locales = demo.ensure_locales()
    home = demo.ensure_home()
    demo.ensure_translations(home, locales, {})
    case_studies = demo.ensure_section(
        home, CaseStudyIndexPage, "case-studies", "Case studies", "<p>Stories.</p>"
    )
    demo.ensure_translations(case_studies, locales, {"es": "Estudios de caso"})
    resources = demo.ensure_section(
        home, ResourceIndexPage, "resources", "Resources", "<p>Tools.</p>"
    )
    demo.ensure_translations(resources, locales, {"es": "Recursos"})
    return {"locales": locales, "home": home}


def _index(model, language_code: str):
    return model.objects.get(locale__language_code=language_code)


@pytest.fixture
def make_case_study(library_tree):
    """Publish a case study: ``make_case_study(title=..., region=..., themes=["finance"])``."""

    def factory(
        *,
        language: str = "en",
        themes: tuple[str, ...] = (),
        publish: bool = True,
        outcomes: tuple[tuple[str, str, str], ...] = (("Hectares restored", "120", "ha"),),
        **fields,
    ) -> CaseStudyPage:
        number = next(_page_numbers)
        fields.setdefault("title", f"Case study {number}")
        fields.setdefault("slug", f"case-study-{number}")
        fields.setdefault("summary", f"What partnership {number} learned.")
        fields.setdefault("country", "KE")
        fields.setdefault("region", "africa")
        fields.setdefault("year", 2020)
        fields.setdefault("latitude", Decimal("-0.15"))
        fields.setdefault("longitude", Decimal("37.30"))
        page = CaseStudyPage(**fields)
        page.themes = list(Theme.objects.filter(slug__in=themes))
        page.outcomes = [
            CaseStudyOutcome(label=label, value=Decimal(value), unit=unit)
            for label, value, unit in outcomes
        ]
        _index(CaseStudyIndexPage, language).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        else:
            page.unpublish()
        page.refresh_from_db()
        return page

    return factory


@pytest.fixture
def make_resource(library_tree):
    def factory(*, language: str = "en", publish: bool = True, **fields) -> ResourcePage:
        number = next(_page_numbers)
        fields.setdefault("title", f"Resource {number}")
        fields.setdefault("slug", f"resource-{number}")
        fields.setdefault("summary", f"A useful thing, number {number}.")
        fields.setdefault("resource_type", "guide")
        fields.setdefault("licence", "cc-by-4.0")
        fields.setdefault("link", f"https://example.org/resource-{number}")
        page = ResourcePage(**fields)
        _index(ResourceIndexPage, language).add_child(instance=page)
        revision = page.save_revision()
        if publish:
            revision.publish()
        else:
            page.unpublish()
        page.refresh_from_db()
        return page

    return factory


@pytest.fixture
def partnership(db):
    from network.models import LandscapePartnership

    return LandscapePartnership.objects.create(
        name="Mount Kenya Landscape",
        slug="mount-kenya-landscape",
        country="KE",
        region="africa",
        latitude=Decimal("-0.15"),
        longitude=Decimal("37.3"),
    )


def _transactional(item) -> bool:
    """What pytest-django runs after the other database tests: a test whose database is
    flushed when it ends (live server, ``transactional_db``, ``django_db(transaction=True)``)."""
    marker = item.get_closest_marker("django_db")
    flagged = marker is not None and bool(
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return flagged or bool({"transactional_db", "live_server"} & set(item.fixturenames))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items):
    """Groups for ``make test``'s ``--dist loadgroup`` (pytest-xdist): a worker runs a test
    file's tests together (a module's daphne, nginx or Chromium starts once), and the
    transactional tests in two groups of whole files, one per worker. pytest-django runs
    those after every other database test because the flush that ends each one empties the
    rows migrations made (roles, vocabularies, Wagtail's root page); grouped, they still come
    after the other database tests, which xdist hands out first, in collection order."""
    transactional_files = sorted({str(item.path) for item in items if _transactional(item)})
    half = {path: index % 2 for index, path in enumerate(transactional_files)}
    for item in items:
        if _transactional(item):
            group = f"transactional-{half[str(item.path)]}"
        else:
            group = item.nodeid.split("::")[0]
        item.add_marker(pytest.mark.xdist_group(group))
