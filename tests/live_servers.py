"""What the live-server tests share beyond devservers.py (ports, daphne, redis-server, the
WebSocket client): an embedded site database migrated once per test process, the ``shell``
snippets that prepare data in it, and a cookie-carrying HTTP client.

Daphne runs the site with its own embedded SQLite database under a temporary ``VAR_DIR``; the
test prepares data in it with ``manage.py shell`` in the same environment.
"""

from __future__ import annotations

import fcntl
import shutil
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

from devservers import ServerError, manage, site_env

#: Run in the site's environment first: ``member(username, name)`` makes a verified member and
#: a signed-in session, and returns both (the browser and socket tests set its cookie).
MEMBER_WITH_SESSION = """
from allauth.account.models import EmailAddress
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from forums.models import Category
from forums.services import topic_create
from network.models import User

def member(username, name):
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password="x" * 12, display_name=name
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return user, session.session_key
"""

#: A verified member, a public topic, a signed-in session.
SETUP_MEMBER_AND_TOPIC = (
    MEMBER_WITH_SESSION
    + """
user, session_key = member("poster", "Poster")
category = Category.objects.create(name="Faults", slug="faults")
topic = topic_create(author=user, category=category, title="Staying up", body="First post")
print(topic.pk, session_key)
"""
)


#: Where the migrated template database is kept: the run's temporary folder, shared by the
#: pytest-xdist workers of one run (tests/conftest.py sets it).
template_folder: Path | None = None
_migrated_database: Path | None = None


def migrated_site(var_dir: Path, **extra: str) -> dict[str, str]:
    """An environment whose embedded database is migrated: migrations run once per test run
    (they take half a minute, and minutes on a busy machine) and each site gets a copy."""
    global _migrated_database
    var_dir.mkdir(parents=True, exist_ok=True)
    if _migrated_database is None or not _migrated_database.exists():
        _migrated_database = _template_database(template_folder or var_dir.parent)
    shutil.copyfile(_migrated_database, var_dir / "db.sqlite3")
    return _embedded_site_env(var_dir, **extra)


def _embedded_site_env(var_dir: Path, **extra: str) -> dict[str, str]:
    # Members post freely unless the test turns holding on (tests/conftest.py says why).
    extra.setdefault("FORUMS_NEW_MEMBER_APPROVALS", "0")
    return site_env(VAR_DIR=str(var_dir), **extra)


def seeded_site(var_dir: Path, **extra: str) -> dict[str, str]:
    """An environment whose embedded site holds the demo (``seed_demo``): seeded once per test
    run, under a file lock, by the first process to ask, and copied for each site (database and
    uploaded files; not the cache). Seeding takes 80-130 s of a CI leg on a busy two-core
    machine, and the page walk and the daphne smoke test each paid it."""
    template = _seeded_template(template_folder or var_dir.parent)
    var_dir.mkdir(parents=True, exist_ok=True)
    for each in template.iterdir():
        if each.is_dir() and each.name != "cache":
            shutil.copytree(each, var_dir / each.name, dirs_exist_ok=True)
        elif each.name in ("db.sqlite3", "db.sqlite3-wal"):  # a WAL not yet checkpointed too
            shutil.copyfile(each, var_dir / each.name)
    return _embedded_site_env(var_dir, **extra)


def _seeded_template(folder: Path) -> Path:
    template = folder / "site-seeded"
    with (folder / "site-seeded.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "seeded").exists():
            shutil.rmtree(template, ignore_errors=True)
            env = migrated_site(template)
            manage(env, "seed_demo", timeout=600)
            (template / "seeded").touch()
    return template


def _template_database(folder: Path) -> Path:
    """The run's migrated database: the first test process to ask migrates it, under a file
    lock; the other workers wait for that one instead of migrating again."""
    return template_database(folder)


def template_database(folder: Path, migrate_into: Callable[[Path], None] | None = None) -> Path:
    """The run's one migrated embedded database (``folder/site-template/db.sqlite3``), made
    under a file lock by the first process to need it: ``manage.py migrate`` for a site, or
    ``migrate_into(path)`` for a test process whose own test database is migrated SQLite
    (tests/conftest.py: the process migrates its test database and saves it here). Either
    way the migrations run once per run; the sites and the other workers' test databases
    start from copies."""
    template = folder / "site-template"
    template.mkdir(parents=True, exist_ok=True)
    with (folder / "site-template.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (template / "migrated").exists():
            if migrate_into is None:
                manage(site_env(VAR_DIR=str(template)), "migrate", "--noinput", timeout=600)
            else:
                migrate_into(template / "db.sqlite3")
            (template / "migrated").touch()
    return template / "db.sqlite3"


class Browserless:
    """A cookie-carrying HTTP client that does not follow redirects (to see the 302)."""

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str, session_key: str | None = None):
        import http.cookiejar

        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), self._NoRedirect
        )
        self.session_key = session_key

    def _headers(self) -> dict[str, str]:
        cookies = {cookie.name: cookie.value for cookie in self.jar}
        if self.session_key:
            cookies["sessionid"] = self.session_key
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}

    def request(self, path: str, data: dict | None = None) -> tuple[int, str, dict]:
        import urllib.parse

        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, headers=self._headers())  # noqa: S310
        if body is not None:
            request.add_header("Referer", self.base + path)
        try:
            with self.opener.open(request, timeout=30) as response:
                return response.status, response.read().decode(), dict(response.headers)
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode(), dict(error.headers)

    def post_form(self, page: str, action: str, fields: dict) -> tuple[int, str, dict]:
        """Load ``page`` for its CSRF token, then post ``fields`` to ``action`` like a browser."""
        import re

        status, html, _headers = self.request(page)
        if status != 200:
            raise ServerError(f"{page} answered {status}")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        return self.request(action, {"csrfmiddlewaretoken": token, **fields})


#: ``shell`` code publishing one case study under a case-study index; prints the index's
#: and the page's URLs.
PUBLISH_CASE_STUDY = """
from decimal import Decimal
from library import demo
from library.models import CaseStudyIndexPage, CaseStudyPage

locales = demo.ensure_locales()
home = demo.ensure_home()
index = demo.ensure_section(home, CaseStudyIndexPage, "case-studies", "Case studies", "<p>S</p>")
page = CaseStudyPage(
    title="Terraces of Kijabe", slug="terraces", summary="What we learned.", country="KE",
    region="africa", year=2020, latitude=Decimal("-0.15"), longitude=Decimal("37.30"),
)
index.add_child(instance=page)
page.save_revision().publish()
print(index.url, page.url)
"""
