"""Real servers for fault tests: a throwaway ``redis-server`` and daphne processes that can be
killed and started again on the same port.

The fault tests must take services away for real, and the machine's shared Redis (6379) is used
by CI and other work, so a test that needs Redis to die brings its own ``redis-server`` on a
free port. Daphne runs the site with its own embedded SQLite database under a temporary
``VAR_DIR``; the test prepares data in it with ``manage.py shell`` in the same environment.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
#: Variables of the outer test run that must not leak into the site under test.
SERVICE_VARIABLES = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL", "DJANGO_ENV", "DEBUG")


STARTUP_SECONDS = 120


class ServerError(RuntimeError):
    """A server did not start; the message says why (shown as the test failure)."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, process: subprocess.Popen, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"process exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise ServerError(f"nothing listened on port {port} within {timeout} seconds")


def site_environment(var_dir: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SERVICE_VARIABLES}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(var_dir), **extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 120) -> str:
    """Run ``manage.py`` in the site's environment; its stdout, or a clear failure."""
    done = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        raise ServerError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def shell(env: dict[str, str], code: str) -> str:
    return manage(env, "shell", "-c", code)


class RedisServer:
    """``redis-server`` on a fixed port that the test can kill and start again."""

    def __init__(self, port: int | None = None):
        binary = shutil.which("redis-server")
        if binary is None:
            raise ServerError(
                "the fault tests need the redis-server binary (apt-get install redis)"
            )
        self.binary = binary
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port, process=self.process)

    def freeze(self) -> None:
        """SIGSTOP: connections stay open but nothing answers, as with a hung host."""
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self.process.send_signal(signal.SIGCONT)

    def kill(self) -> None:
        """SIGKILL: connections drop without a goodbye, as when the host dies."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None


class DaphneServer:
    """The site served by daphne on one port, stoppable and restartable on that same port."""

    def __init__(self, env: dict[str, str], port: int | None = None):
        self.env = env
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.log = Path(env["VAR_DIR"]) / f"daphne-{self.port}.log"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        daphne = Path(PYTHON).with_name("daphne")
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(  # noqa: S603
                [str(daphne), "-b", "127.0.0.1", "-p", str(self.port), "config.asgi:application"],
                cwd=ROOT,
                env=self.env,
                stdout=subprocess.DEVNULL,
                stderr=log,
            )
        # Generous: on a busy two-core CI machine importing Django and Wagtail takes a while.
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=5)  # noqa: S310
                return
            except urllib.error.HTTPError:
                return  # it answered (503 while a dependency is down is still an answer)
            except OSError as error:
                if self.process.poll() is not None:
                    raise ServerError(f"daphne exited:\n{self.log.read_text()[-3000:]}") from None
                if time.monotonic() > deadline:
                    self.kill()  # never leave a half-started server behind
                    raise ServerError(
                        f"daphne did not answer in {STARTUP_SECONDS} s ({error})"
                    ) from None
                time.sleep(0.2)

    def kill(self) -> None:
        """SIGKILL: open sockets are cut without a close frame, as in a crash."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.process = None


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


_migrated_database: Path | None = None


def migrated_site(var_dir: Path, **extra: str) -> dict[str, str]:
    """An environment whose embedded database is migrated: migrations run once per test run
    (they take half a minute on a busy machine) and each site gets a copy of the result."""
    global _migrated_database
    var_dir.mkdir(parents=True, exist_ok=True)
    if _migrated_database is None or not _migrated_database.exists():
        template = var_dir.parent / f"{var_dir.name}-template"
        manage(site_environment(template), "migrate", "--noinput", timeout=300)
        _migrated_database = template / "db.sqlite3"
    shutil.copyfile(_migrated_database, var_dir / "db.sqlite3")
    return site_environment(var_dir, **extra)


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
