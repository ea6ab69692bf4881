"""A real Learning Record Store for the xAPI tests: ralph-malph (``make ralph`` installs it in
``.tools/ralph``, a virtualenv of its own), run by uvicorn on a free port with its file-system
backend and a Basic credentials file, once per session; a test may stop it and start it again
on the same port. The app is ``ralph.api:app`` with the file-system backend set to append
(``ralph_lrs_app.py`` says why). The course fixtures are the course tests' own."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
import requests

import devservers
from tests.courses.conftest import catalogue, make_course  # noqa: F401 (fixtures)

RALPH_PYTHON = devservers.ROOT / ".tools" / "ralph" / "bin" / "python"
LRS_USERNAME = "landscape-site"
LRS_PASSWORD = "lrs-test-password-for-the-site"


class Ralph:
    """One ralph LRS process on 127.0.0.1, stoppable and restartable on the same port."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.port = devservers.free_port()
        self.process: subprocess.Popen | None = None
        self.log = folder / "ralph.log"
        self.auth_file = folder / "auth.json"
        hashed = subprocess.run(  # noqa: S603 (ralph's own interpreter)
            [
                str(RALPH_PYTHON),
                "-c",
                "import bcrypt, sys; "
                "print(bcrypt.hashpw(sys.argv[1].encode(), bcrypt.gensalt()).decode())",
                LRS_PASSWORD,
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        self.auth_file.write_text(
            json.dumps(
                [
                    {
                        "agent": {"mbox": "mailto:lrs-client@example.org"},
                        "scopes": ["all"],
                        "username": LRS_USERNAME,
                        "hash": hashed,
                    }
                ]
            )
        )

    @property
    def url(self) -> str:
        """The xAPI endpoint, as XAPI_LRS_URL takes it."""
        return f"http://{devservers.HOST}:{self.port}/xAPI/"

    def start(self) -> None:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": str(self.folder),
            "RALPH_APP_DIR": str(self.folder / "app"),
            "RALPH_RUNSERVER_BACKEND": "fs",
            "RALPH_RUNSERVER_AUTH_BACKENDS": "basic",
            "RALPH_AUTH_FILE": str(self.auth_file),
            "RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH": str(self.folder / "statements"),
        }
        self.process = subprocess.Popen(  # noqa: S603
            [
                str(RALPH_PYTHON),
                "-m",
                "uvicorn",
                "--app-dir",
                str(Path(__file__).parent),
                "ralph_lrs_app:app",
                "--host",
                devservers.HOST,
                "--port",
                str(self.port),
                "--log-level",
                "warning",
            ],
            cwd=self.folder,
            env=env,
            stdout=self.log.open("ab"),
            stderr=subprocess.STDOUT,
        )
        try:
            devservers.wait_ready(self.port, "/__heartbeat__", timeout=60, process=self.process)
        except devservers.ServerError as error:
            raise devservers.ServerError(f"{error}\n{self.log.read_text()[-3000:]}") from error

    def stop(self) -> None:
        devservers.stop_process(self.process)
        self.process = None

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def statements(self, **query: str) -> list[dict]:
        """What the LRS has, read through its own xAPI API (GET /xAPI/statements)."""
        found: list[dict] = []
        url = f"{self.url}statements"
        params: dict | None = {**query, "limit": "100"}
        while url:
            response = requests.get(
                url,
                params=params,
                auth=(LRS_USERNAME, LRS_PASSWORD),
                headers={"X-Experience-API-Version": "1.0.3"},
                timeout=10,
            )
            response.raise_for_status()
            body = response.json()
            found.extend(body["statements"])
            more = body.get("more")
            url = f"http://{devservers.HOST}:{self.port}{more}" if more else ""
            params = None
        return found


@pytest.fixture(scope="session")
def ralph(tmp_path_factory):
    if not RALPH_PYTHON.exists():
        pytest.fail("The xAPI tests need ralph-malph's LRS: run `make ralph`.")
    lrs = Ralph(tmp_path_factory.mktemp("ralph"))
    lrs.start()
    yield lrs
    lrs.stop()


@pytest.fixture
def lrs(ralph, settings):
    """The LRS, running, configured as the site's (a test that stops it gets it back after)."""
    if not ralph.running:
        ralph.start()
    settings.XAPI_LRS_URL = ralph.url
    settings.XAPI_LRS_USERNAME = LRS_USERNAME
    settings.XAPI_LRS_PASSWORD = LRS_PASSWORD
    settings.XAPI_LRS_TIMEOUT = 5
    yield ralph
    if not ralph.running:
        ralph.start()
