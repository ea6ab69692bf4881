"""The production shape on 127.0.0.1 for ``bench/run --shape production``: nginx in front
(the shipped deploy/nginx config), the HTTP app processes, one daphne for /ws/, the task worker;
PostgreSQL and Redis are the machine's own (DATABASE_URL, REDIS_URL).

The HTTP app server is gunicorn with threaded workers on config/wsgi.py (the shape the
README ships), or several daphne processes (``--app-server daphne``, what it was measured
against); each is started with its own documented command-line options only.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from contextlib import ExitStack
from pathlib import Path

import harness

RENDER = harness.ROOT / "deploy" / "nginx" / "render.py"


def _render_module():
    spec = importlib.util.spec_from_file_location("nginx_render", RENDER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class Process:
    """A long-running process of the shape (gunicorn, the worker), stopped on exit."""

    def __init__(self, argv: list[str], env: dict[str, str], log: Path, ready_port: int | None):
        self.argv, self.env, self.log, self.ready_port = argv, env, log, ready_port
        self.process: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        if self.process is None:
            raise RuntimeError("not started")
        return self.process.pid

    def __enter__(self) -> Process:
        output = open(self.log, "ab")
        self.process = subprocess.Popen(
            self.argv, cwd=harness.ROOT, env=self.env, stdout=output, stderr=output
        )
        if self.ready_port is not None:
            try:
                harness.wait_ready(self.ready_port, "/bench/trivial", process=self.process)
            except BaseException:
                self.stop()
                raise
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        harness.stop_process(self.process, timeout=20)


class ProductionShape:
    """``with ProductionShape(env, folder) as shape``: ``shape.port`` is nginx's port,
    ``shape.app_ports`` the app processes' own ports, ``shape.ws`` the /ws/ daphne."""

    def __init__(
        self,
        env: dict[str, str],
        folder: Path,
        *,
        app_server: str = "gunicorn",
        processes: int = 2,
        threads: int = 4,
        collect_static: bool = True,
    ):
        self.folder, self.app_server = folder, app_server
        self.collect_static = collect_static
        self.processes, self.threads = processes, threads
        self.port = harness.free_port()
        self.env = {
            **env,
            # Wagtail's frontend cache invalidation purges through the proxy; tasks (purges
            # among them) are queued in the database and run by the worker, as in production.
            "FRONTEND_CACHE_PURGE_URL": f"http://{harness.HOST}:{self.port}",
            "TASKS_BACKEND": "database",
            "SERVE_MEDIA": "false",
            "STATIC_ROOT": str(folder / "static"),
        }
        self.app_ports: list[int] = []
        #: Each part's process ids (its root; bench/scaling.py adds the children it forks)
        self.pids: dict[str, list[int]] = {"app": [], "ws": [], "worker": [], "nginx": []}
        self.ws: harness.Daphne | None = None
        self._stack = ExitStack()

    def __enter__(self) -> ProductionShape:
        render = _render_module()
        render.nginx_binary()  # a clear message before anything starts
        if self.collect_static:  # False: a second start in the same run, files unchanged
            print("  collectstatic ...", file=sys.stderr)
            harness.manage(self.env, "collectstatic", "--noinput", "-v0")
        logs = self.folder / "logs"
        logs.mkdir(exist_ok=True)
        try:
            self.ws = self._stack.enter_context(
                harness.Daphne(self.env, ready_path="/bench/trivial", log=logs / "daphne-ws.log")
            )
            self.pids["ws"].append(self.ws.pid)
            self._start_apps(logs)
            worker = self._stack.enter_context(
                Process(
                    [harness.PYTHON, "manage.py", "db_worker"],
                    self.env,
                    logs / "worker.log",
                    ready_port=None,
                )
            )
            self.pids["worker"].append(worker.pid)
            # A fresh proxy cache each start: a run (or the cache-off pass after it) never
            # sees pages another one stored.
            shutil.rmtree(self.folder / "nginx" / "cache", ignore_errors=True)
            config = render.render(
                self.folder / "nginx",
                listen=f"{harness.HOST}:{self.port}",
                apps=[f"{harness.HOST}:{port}" for port in self.app_ports],
                ws=f"{harness.HOST}:{self.ws.port}",
                static_root=self.folder / "static",
                media_root=self.folder / "media",
                workers=1,
            )
            nginx = self._stack.enter_context(render.Nginx(config, self.port))
            self.pids["nginx"].append(nginx.pid)
        except BaseException:
            self._stack.close()
            raise
        return self

    def _start_apps(self, logs: Path) -> None:
        if self.app_server == "daphne":
            for number in range(self.processes):
                server = harness.Daphne(
                    self.env, ready_path="/bench/trivial", log=logs / f"daphne-app{number}.log"
                )
                self._stack.enter_context(server)
                self.app_ports.append(server.port)
                self.pids["app"].append(server.pid)
            return
        port = harness.free_port()
        gunicorn = str(Path(harness.PYTHON).with_name("gunicorn"))
        argv = [
            gunicorn,
            "--bind", f"{harness.HOST}:{port}",
            "--workers", str(self.processes),
            "--worker-class", "gthread",
            "--threads", str(self.threads),
            "config.wsgi:application",
        ]  # fmt: skip
        app = self._stack.enter_context(
            Process(argv, self.env, logs / "gunicorn.log", ready_port=port)
        )
        self.app_ports.append(port)
        self.pids["app"].append(app.pid)

    def __exit__(self, *exc) -> None:
        self._stack.close()

    def describe(self) -> str:
        if self.app_server == "daphne":
            servers = f"{self.processes} daphne processes"
        else:
            servers = f"gunicorn, {self.processes} gthread workers x {self.threads} threads"
        return f"nginx -> {servers}; daphne for /ws/; task worker"
