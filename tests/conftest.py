"""Fixtures shared by the whole suite: people with roles, a clean cache, private media, and a
small library tree with case study and resource factories."""

from __future__ import annotations

import itertools
import json
import os
from decimal import Decimal
from pathlib import Path
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


def _run_folder(tmp_path_factory) -> Path:
    """The run's temporary folder, shared by the pytest-xdist workers of one run
    (pytest-N/popen-gwN's parent): where the one migrated database is kept."""
    basetemp = tmp_path_factory.getbasetemp()
    return basetemp.parent if _is_worker() else basetemp


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On the embedded default each test process's database is a file of its own, and
    migrations run once per run, not once per test process and once more for the live sites.

    A file, not SQLite's shared in-memory database: a live server's request threads and the
    test then have connections of their own, in WAL mode with the busy wait, as in production.
    With the in-memory database they shared one connection (pytest-django hands it to the
    server's threads), and two of a browser's requests at once broke each other's savepoints
    ("no such savepoint", and every later test of the process failed on the broken
    transaction); or, while Playwright's event loop ran, the test had a second connection
    (asgiref's thread-critical ``Local`` keeps connections in a context variable then), whose
    read beside the server's write failed at once: SQLite's shared cache locks tables without
    waiting ("database table is locked", CI at stop 32).

    The first process to need a migrated database migrates its own and saves it as the run's
    template (live_servers.template_database); every other test database and site starts
    from a copy. Migrating costs 20 s on a quiet machine and 45 s or more with both workers
    migrating at once. (pytest-django sets up the test databases right after this fixture;
    on PostgreSQL each worker still migrates its own.)"""
    from django.conf import settings
    from django.db import connection

    if connection.vendor == "sqlite":
        test = settings.DATABASES["default"].setdefault("TEST", {})
        test["NAME"] = str(tmp_path_factory.getbasetemp() / "test-database.sqlite3")
        connection.creation.create_test_db = _sqlite_test_db_from_template(
            connection.creation, _run_folder(tmp_path_factory)
        )


def _sqlite_test_db_from_template(creation, folder: Path):
    """``create_test_db`` for a SQLite test database: Django's own (migrate) when
    this process is the first of the run, saved as the run's template; otherwise Django's
    steps with the migration replaced by a copy of the template (SQLite's backup API)."""
    import sqlite3

    import live_servers
    from django.conf import settings
    from django.core.management import call_command

    migrate = creation.create_test_db

    def create_test_db(verbosity=1, autoclobber=False, serialize=True, keepdb=False):
        migrated_here = []

        def migrate_into(path: Path) -> None:
            migrate(
                verbosity=verbosity, autoclobber=autoclobber, serialize=serialize, keepdb=keepdb
            )
            migrated_here.append(path)
            partial = path.with_name(f"{path.name}.partial")
            copy = sqlite3.connect(partial)
            creation.connection.connection.backup(copy)
            copy.close()
            partial.replace(path)

        template = live_servers.template_database(folder, migrate_into)
        if migrated_here:
            return creation.connection.settings_dict["NAME"]
        name = creation._get_test_db_name()
        creation._create_test_db(verbosity, autoclobber, keepdb)
        creation.connection.close()
        settings.DATABASES[creation.connection.alias]["NAME"] = name
        creation.connection.settings_dict["NAME"] = name
        creation.connection.ensure_connection()
        source = sqlite3.connect(template)
        source.backup(creation.connection.connection)
        source.close()
        if serialize:
            creation.connection._test_serialized_contents = creation.serialize_db_to_string()
        call_command("createcachetable", database=creation.connection.alias)
        creation.connection.ensure_connection()
        return name

    return create_test_db


@pytest.fixture(scope="session", autouse=True)
def _per_worker_services(tmp_path_factory):
    """What test processes must not share, one per pytest-xdist worker: the embedded
    default's file cache (shared by every process of one ``VAR_DIR``, so a run also neither
    reads a developer's site's cache nor empties it) gets a directory of the run's own; on
    Redis, the cache and the channel layer use the worker's database (``worker_redis_url``).
    The test database is pytest-django's (``test_<name>_gwN`` on PostgreSQL, a file in the
    worker's temporary folder on SQLite), media folders are per test (below), ports are free
    ones (devservers.free_port).

    Passwords are hashed with MD5 in the test process: Django's default (PBKDF2, a million
    rounds) costs 0.5-2 s a password on two busy cores, and hundreds of tests make accounts or
    sign in; what a hash costs is no test's subject. Sites the tests start as processes
    (daphne, ``manage.py``) keep the shipped hasher."""
    import live_servers
    from django.conf import settings
    from django.test import override_settings

    # The workers of one run share their parent folder (pytest-N/popen-gwN): one migration.
    live_servers.template_folder = _run_folder(tmp_path_factory)
    caches = {name: dict(options) for name, options in settings.CACHES.items()}
    layers = {name: dict(options) for name, options in settings.CHANNEL_LAYERS.items()}
    default = caches["default"]
    if default["BACKEND"].endswith(("FileBasedCache", "SQLiteCache")):
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
    fast_hasher = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with override_settings(CACHES=caches, CHANNEL_LAYERS=layers, PASSWORD_HASHERS=fast_hasher):
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
def _members_post_freely(settings):
    """The suite's members are established (trust level 1) unless a test says otherwise: the
    site holds new members' first posts for approval (``FORUMS_NEW_MEMBER_APPROVALS``), which
    only the tests of ``forums.trust`` and ``forums.moderation`` are about."""
    settings.FORUMS_NEW_MEMBER_APPROVALS = 0


@pytest.fixture(autouse=True)
def _default_language_and_zone():
    """Each test starts in the site's default language and zone. Django's LocaleMiddleware
    activates a request's language in the thread and nothing resets it afterwards, so a test
    whose last request was ``/es/...`` would hand the next test in that process Spanish (its
    ``reverse()`` then gives ``/es/`` addresses, its pages ``lang="es"``): order-dependent
    results, seen once the scheduler put a Spanish test first."""
    from django.utils import timezone, translation

    translation.deactivate()
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _fresh_channel_layer():
    """Each test gets its own channel layer object: channels-redis binds its locks and pools to
    the event loop that first used them, and every async test runs in a new loop."""
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    yield
    channel_layers.backends.clear()


#: How long a test's end waits for the live server's last requests (a page's script retrying,
#: a service worker's fetch) before its database is flushed anyway.
_LIVE_SERVER_DRAIN_SECONDS = 10.0


@pytest.fixture(autouse=True)
def _live_server_drained(request):
    """A test on the live server ends only once the server has finished the requests its
    browser sent: the flush that follows a transactional test must not run beside one.

    A request still running when the flush starts competes with it for the database: with
    the in-memory SQLite the suite once used, it broke the flush ("couldn't be flushed", seen
    once in CI after a lesson's discussion page) and left its rows to the next test; on a
    file, the flush waits for the request's write and deletes its rows too. Set up after
    pytest-django's own fixtures, this is torn down before the flush and after the tests'
    browser contexts close.
    The server's request threads carry their target's name (``Thread-N
    (process_request_thread)``, Python's documented naming), the one thing this waits on."""
    yield
    if "live_server" not in request.fixturenames:
        return
    import threading
    import time

    deadline = time.monotonic() + _LIVE_SERVER_DRAIN_SECONDS
    while time.monotonic() < deadline and any(
        thread.name.endswith("(process_request_thread)") for thread in threading.enumerate()
    ):
        time.sleep(0.02)


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


_run_demo_snapshot = None


def run_demo(tmp_path_factory):
    """The run's demo (tests/demo_snapshot.py): seeded by the first test process to ask, read
    from the run's folder by the others; once per process. Needs the database unblocked."""
    global _run_demo_snapshot
    import demo_snapshot
    from django.db import connection

    if _run_demo_snapshot is None:
        _run_demo_snapshot = demo_snapshot.for_run(connection, _run_folder(tmp_path_factory))
    return _run_demo_snapshot


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """The demo for a test module, written inside a transaction that the module's end rolls
    back; what ``seed_demo`` printed, and the run's snapshot (whose folder holds its files).

    The run seeds the demo once (tests/demo_snapshot.py: 10 s quiet, 20-30 s on a busy
    machine) and each module gets its rows. Each test of the module still runs in a savepoint
    of its own inside this transaction (pytest-django's ``db``), so what one test writes, the
    next never sees. Every test of a module using it sees the demo (a module-scoped fixture
    lives until the module's last test): a test that needs an empty database belongs in
    another module. Not for transactional tests (their flush would end the transaction: they
    take ``committed_demo``). Tests take it through ``seeded_demo``, which gives each its own
    copy of the demo's files."""
    import demo_snapshot
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    with django_db_blocker.unblock():
        snapshot = run_demo(tmp_path_factory)
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            demo_snapshot.restore(snapshot, connection)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    try:
        yield {"output": snapshot.output, "snapshot": snapshot}
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            ContentType.objects.clear_cache()


@pytest.fixture
def seeded_demo(demo_site, db, settings) -> str:
    """The demo site for one non-transactional test (``demo_site``): its rows through the
    module's transaction, its uploads and private files copied into this test's own media
    folders. Returns what ``seed_demo`` printed."""
    import demo_snapshot

    demo_snapshot.copy_files(
        demo_site["snapshot"], settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT
    )
    return demo_site["output"]


@pytest.fixture
def committed_demo(migrated_rows, settings, tmp_path_factory) -> str:
    """The demo for a transactional test (a live server's browser journey): the run's rows
    written and committed (the flush after the test empties them), the files copied into this
    test's media folders. Returns what ``seed_demo`` printed."""
    import demo_snapshot
    from django.db import connection

    snapshot = run_demo(tmp_path_factory)
    demo_snapshot.restore(snapshot, connection)
    demo_snapshot.copy_files(snapshot, settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
    cache.clear()
    return snapshot.output


def _transactional(item) -> bool:
    """What pytest-django runs after the other database tests: a test whose database is
    flushed when it ends (live server, ``transactional_db``, ``django_db(transaction=True)``)."""
    marker = item.get_closest_marker("django_db")
    flagged = marker is not None and bool(
        marker.kwargs.get("transaction") or (marker.args and marker.args[0])
    )
    return flagged or bool({"transactional_db", "live_server"} & set(item.fixturenames))


#: Where each test process of a ``make test`` run leaves the work units of its collection
#: (test id -> unit) for the scheduler below, in the run's temporary folder.
_UNITS_FILE = "xdist-units.json"
#: A unit that starts a server, a browser or a site of its own, or seeds the demo once for its
#: tests (``demo_site``), that is a module-scoped fixture, counts as this many tests when the
#: longest units are handed out first.
_MODULE_FIXTURE_WEIGHT = 20


def _unit(item) -> str:
    """A test file's tests are one unit of work (a module's daphne, nginx or Chromium starts
    once); its transactional tests are a unit of their own, handed out after every unit of
    non-transactional database tests (see ``pytest_collection_modifyitems``)."""
    path = item.nodeid.split("::")[0]
    return f"transactional:{path}" if _transactional(item) else path


def _weight(items) -> int:
    module_scoped = any(
        definition.scope == "module"
        for item in items
        if hasattr(item, "_fixtureinfo")
        for definitions in item._fixtureinfo.name2fixturedefs.values()
        for definition in definitions
    )
    return len(items) + (_MODULE_FIXTURE_WEIGHT if module_scoped else 0)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """The order of the run, after pytest-django's (database tests, transactional ones, the
    rest): the non-transactional units, then the transactional ones, each part longest first.

    pytest-django runs transactional tests after every other database test because the flush
    that ends each one empties the rows migrations made (roles, vocabularies, Wagtail's root
    page). Under ``make test`` the scheduler below hands the units out in this order, each
    whole to one worker: a worker takes a transactional unit only once no other unit is left
    to take, and the longest units go first so that neither worker is left alone at the end.
    Without pytest-xdist the order is the same, in one process."""
    units: dict[str, list] = {}
    for item in items:
        units.setdefault(_unit(item), []).append(item)
    weight = {name: _weight(members) for name, members in units.items()}
    order = sorted(units, key=lambda name: (name.startswith("transactional:"), -weight[name]))
    items[:] = [item for name in order for item in units[name]]
    workerinput = getattr(config, "workerinput", None)
    if workerinput and "lc_units_file" in workerinput:
        target = Path(workerinput["lc_units_file"])
        partial = target.with_name(f"{target.name}.{workerinput['workerid']}")
        partial.write_text(json.dumps({item.nodeid: _unit(item) for item in items}))
        partial.replace(target)  # every worker writes the same collection; whole files only


@pytest.hookimpl(optionalhook=True)  # pytest-xdist's hooks: no error under -p no:xdist
def pytest_configure_node(node):
    """pytest-xdist, in the main process: where the workers leave their units."""
    basetemp = node.config._tmp_path_factory.getbasetemp()
    node.workerinput["lc_units_file"] = str(basetemp / _UNITS_FILE)


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    """``--dist loadgroup`` as this suite means it: whole units (``_unit``) to one worker, in
    collection order. pytest-xdist's own loadgroup reads ``xdist_group`` marks through a
    suffix it writes into test ids, which pytest 9.2 no longer takes (pytest-xdist#1386): every
    test became a unit of its own, and a module's daphne or Chromium started on both workers."""
    if config.getvalue("dist") != "loadgroup":
        return None
    config.option.loadscopereorder = False  # the order is the collection's (above)
    from xdist.scheduler import LoadScopeScheduling

    class Units(LoadScopeScheduling):
        units: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.units is None:
                path = config._tmp_path_factory.getbasetemp() / _UNITS_FILE
                self.units = json.loads(path.read_text())
            return self.units[nodeid]

    return Units(config, log)


#: data migrations whose rows transactional tests rely on: (module, function)
_DATA_MIGRATIONS = [
    ("network.migrations.0002_roles", "create_roles"),
    ("library.migrations.0003_starting_vocabularies", "load"),
    ("courses.migrations.0007_trainer_tools", "create_course_review"),
]


@pytest.fixture
def migrated_rows(db):
    """Put back the rows migrations create (Wagtail's root page and collection, our roles and
    vocabularies) for a transactional test: the flush after each one empties every table.
    (Serialized rollback would restore them, but its copy of the database is lost once async
    tests have run in the session.) Each step is idempotent."""
    import importlib

    from django.apps import apps
    from django.conf import settings
    from wagtail.models import Collection, Locale, Page

    if not Page.objects.filter(depth=1).exists():
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        Page.add_root(instance=Page(title="Root", slug="root"))
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    for module, function in _DATA_MIGRATIONS:
        getattr(importlib.import_module(module), function)(apps, None)
