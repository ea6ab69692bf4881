"""Fixtures shared by the whole suite: people with roles, a clean cache, private media, and a
small library tree with case study and resource factories."""

from __future__ import annotations

import itertools
from decimal import Decimal

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


@pytest.fixture(scope="session", autouse=True)
def _private_cache_directory(tmp_path_factory):
    """The embedded default's file cache is shared by every process of one ``VAR_DIR``: a test
    run gets its own directory, so it neither reads a developer's site's cache nor empties it."""
    from django.conf import settings
    from django.test import override_settings

    caches = {name: dict(options) for name, options in settings.CACHES.items()}
    default = caches["default"]
    if not default["BACKEND"].endswith("FileBasedCache"):
        yield
        return
    default["LOCATION"] = str(tmp_path_factory.mktemp("cache"))
    with override_settings(CACHES=caches):
        yield


@pytest.fixture(autouse=True)
def _isolated_media_and_cache(settings, tmp_path):
    """Uploads go to a temporary folder; rate-limit counters never leak between tests."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    cache.clear()


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
