"""The container set-up, checked as text: docker-compose.yml and the Dockerfile.

No Docker engine runs where the tests do, so these parse the files and check the wiring that
would otherwise only fail on an operator's server: every service the settings need exists, the
app containers get the production settings, URLs point at services they wait for, nothing is
published beyond the loopback interface, no secret is written down, and the proxy in front
(nginx) gets every value its config template names and sends HTTP to gunicorn, /ws/ to daphne.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from urllib.parse import SplitResult, urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
SETTINGS_SOURCE = ROOT / "config" / "settings.py"
PROXY_TEMPLATE = ROOT / "deploy" / "nginx" / "landscape.conf.template"
PROXY_ENTRYPOINT = ROOT / "deploy" / "nginx" / "entrypoint.sh"

APP_SERVICES = ("web", "live", "worker", "scheduler", "migrate")
SERVING_SERVICES = ("web", "live")  # HTTP (gunicorn) and WebSockets (daphne)
DATA_SERVICES = ("postgres", "redis", "elasticsearch")
HEALTHCHECKED_SERVICES = (*DATA_SERVICES, *SERVING_SERVICES)
URL_SETTINGS = ("DATABASE_URL", "REDIS_URL", "ELASTICSEARCH_URL")
REQUIRED_APP_SETTINGS = (
    *URL_SETTINGS,
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DJANGO_ENV",
    "TASKS_BACKEND",
)

INTERPOLATION = re.compile(r"\$\{[^}]*\}")
# ${NAME:?message}: compose refuses to start when NAME is unset or empty.
REQUIRED_INTERPOLATION = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*:\?[^}]*\}$")
# Any whole-value interpolation: ${NAME}, ${NAME:-default}, ${NAME:?message}, ...
WHOLE_INTERPOLATION = re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*(?::?[-?+][^}]*)?\}$")
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|(?:^|_)KEY$")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose: dict) -> dict[str, dict]:
    return compose["services"]


def environment_of(service: dict) -> dict[str, str]:
    """A service's environment as a dict, whichever of the two compose syntaxes it uses."""
    raw = service.get("environment") or {}
    if isinstance(raw, list):
        raw = dict(item.split("=", 1) if "=" in item else (item, None) for item in raw)
    return {name: "" if value is None else str(value) for name, value in raw.items()}


def command_of(service: dict) -> str:
    command = service.get("command") or ""
    return command if isinstance(command, str) else " ".join(command)


def depends_on_of(service: dict) -> dict[str, str]:
    """Map each dependency to its condition (the short list syntax means service_started)."""
    raw = service.get("depends_on") or {}
    if isinstance(raw, list):
        return dict.fromkeys(raw, "service_started")
    return {name: (spec or {}).get("condition", "service_started") for name, spec in raw.items()}


def healthcheck_enabled(service: dict) -> bool:
    check = service.get("healthcheck")
    return bool(check) and not check.get("disable") and check.get("test") not in (None, ["NONE"])


def parse_url(value: str) -> tuple[SplitResult, dict[str, str]]:
    """Split a URL that may hold ${...} interpolations (whose messages may contain ':' or '?').

    Each interpolation is swapped for a plain token before parsing; the returned dict maps the
    tokens back to the interpolations they stand for.
    """
    tokens: dict[str, str] = {}

    def keep(match: re.Match[str]) -> str:
        token = f"interpolation{len(tokens)}"
        tokens[token] = match.group(0)
        return token

    return urlsplit(INTERPOLATION.sub(keep, value)), tokens


def dockerfile_instructions(stage: str | None = "last") -> list[tuple[str, str]]:
    """(KEYWORD, arguments) for each Dockerfile instruction, continuation lines joined: of the
    last stage (the app image, the default build target), of the stage named ``stage``, or of
    the whole file (``stage=None``)."""
    text = DOCKERFILE.read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    instructions = []
    for line in joined.splitlines():
        if line.strip():
            keyword, _, arguments = line.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
    if stage is None:
        return instructions
    starts = [i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM"]
    if stage == "last":
        return instructions[starts[-1] :]
    for number, start in enumerate(starts):
        if instructions[start][1].lower().endswith(f" as {stage}"):
            end = starts[number + 1] if number + 1 < len(starts) else len(instructions)
            return instructions[start:end]
    raise AssertionError(f"the Dockerfile has no stage {stage!r}")


def test_the_compose_file_uses_the_compose_spec_without_a_version_key(compose: dict) -> None:
    assert "version" not in compose
    assert isinstance(compose.get("services"), dict)


def test_every_service_the_settings_need_is_defined(services: dict) -> None:
    missing = {*APP_SERVICES, *DATA_SERVICES} - services.keys()
    assert not missing, f"docker-compose.yml lacks services: {sorted(missing)}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_each_app_service_gets_the_production_settings(services: dict, name: str) -> None:
    env = environment_of(services[name])
    missing = [setting for setting in REQUIRED_APP_SETTINGS if not env.get(setting)]
    assert not missing, f"{name} does not set {missing}"
    assert env["DJANGO_ENV"] == "production"
    assert env["TASKS_BACKEND"] == "database"


def test_web_worker_and_migrate_share_one_environment(services: dict) -> None:
    web = environment_of(services["web"])
    for name in APP_SERVICES:
        assert environment_of(services[name]) == web, f"{name}'s environment differs from web's"


def test_web_worker_and_migrate_run_the_same_image(services: dict) -> None:
    images = {services[name].get("image") for name in APP_SERVICES}
    assert len(images) == 1
    assert None not in images
    assert services["web"].get("build"), "web must build the image from the Dockerfile"


@pytest.mark.parametrize("name", APP_SERVICES)
@pytest.mark.parametrize("setting", URL_SETTINGS)
def test_each_service_url_names_a_service_in_the_file(
    services: dict, name: str, setting: str
) -> None:
    url, _ = parse_url(environment_of(services[name])[setting])
    assert url.hostname in services, f"{name}'s {setting} points at unknown host {url.hostname!r}"


@pytest.mark.parametrize("name", ["web", "live", "worker", "scheduler"])
def test_web_and_worker_wait_until_the_services_their_urls_name_are_healthy(
    services: dict, name: str
) -> None:
    env = environment_of(services[name])
    depends_on = depends_on_of(services[name])
    for setting in URL_SETTINGS:
        host = parse_url(env[setting])[0].hostname
        assert depends_on.get(host) == "service_healthy", (
            f"{name} must wait for {host} (its {setting}) with condition: service_healthy"
        )


@pytest.mark.parametrize("name", ["web", "live", "worker", "scheduler"])
def test_web_and_worker_start_only_after_migrate_completed(services: dict, name: str) -> None:
    assert depends_on_of(services[name]).get("migrate") == "service_completed_successfully"


def test_migrate_is_a_one_shot_job_that_waits_for_the_database(services: dict) -> None:
    migrate = services["migrate"]
    assert "manage.py migrate" in command_of(migrate)
    assert "--noinput" in command_of(migrate)
    assert migrate.get("restart") == "no"
    assert depends_on_of(migrate).get("postgres") == "service_healthy"


def test_worker_runs_the_database_task_queue(services: dict) -> None:
    assert "manage.py db_worker" in command_of(services["worker"])


def test_a_scheduler_enqueues_the_periodic_tasks(services: dict) -> None:
    assert "manage.py run_schedule" in command_of(services["scheduler"])


def test_every_healthy_condition_waits_on_a_service_that_has_a_healthcheck(
    services: dict,
) -> None:
    for name, service in services.items():
        for dependency, condition in depends_on_of(service).items():
            assert dependency in services, f"{name} depends on undefined service {dependency}"
            if condition == "service_healthy":
                assert healthcheck_enabled(services[dependency]), (
                    f"{name} waits for {dependency} to be healthy, but it has no healthcheck"
                )


@pytest.mark.parametrize("name", HEALTHCHECKED_SERVICES)
def test_data_services_and_web_have_a_healthcheck(services: dict, name: str) -> None:
    assert healthcheck_enabled(services[name]), f"{name} has no healthcheck"


@pytest.mark.parametrize(
    ("name", "probe"),
    [
        ("postgres", "pg_isready"),
        ("redis", "redis-cli ping"),
        ("elasticsearch", "_cluster/health"),
        ("web", "/healthz"),
        ("live", "/healthz"),
    ],
)
def test_each_healthcheck_probes_its_service(services: dict, name: str, probe: str) -> None:
    test = services[name]["healthcheck"]["test"]
    assert probe in (test if isinstance(test, str) else " ".join(test))


def test_every_published_port_is_bound_to_loopback(services: dict) -> None:
    published = []
    for name, service in services.items():
        for port in service.get("ports") or []:
            if isinstance(port, dict):
                host_ip = port.get("host_ip")
                assert host_ip == "127.0.0.1", f"{name} publishes {port} beyond loopback"
            else:
                assert str(port).startswith("127.0.0.1:"), f"{name} publishes {port!r} widely"
            published.append(name)
    assert published == ["proxy"], f"only the proxy is published, not {published}"


@pytest.mark.parametrize("name", (*DATA_SERVICES, *SERVING_SERVICES))
def test_data_services_are_not_published_on_the_host(services: dict, name: str) -> None:
    assert not services[name].get("ports")


def test_every_named_volume_a_service_mounts_is_declared(compose: dict, services: dict) -> None:
    declared = set(compose.get("volumes") or {})
    for name, service in services.items():
        for volume in service.get("volumes") or []:
            if isinstance(volume, dict):
                source = volume.get("source") if volume.get("type") == "volume" else None
            else:
                source = str(volume).split(":", 1)[0]
                if source.startswith(("/", ".", "~", "$")) or ":" not in str(volume):
                    source = None  # bind mount or anonymous volume
            if source:
                assert source in declared, f"{name} mounts undeclared volume {source!r}"


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("postgres", "/var/lib/postgresql/data"),
        ("elasticsearch", "/usr/share/elasticsearch/data"),
        ("web", "/app/media"),
        ("worker", "/app/media"),
    ],
)
def test_state_lives_on_named_volumes(
    compose: dict, services: dict, name: str, target: str
) -> None:
    mounts = {
        str(volume).split(":")[1]: str(volume).split(":")[0]
        for volume in services[name].get("volumes") or []
        if isinstance(volume, str)
    }
    assert mounts.get(target) in (compose.get("volumes") or {}), f"{name}:{target} is not kept"


def test_uploads_go_to_the_media_volume(services: dict) -> None:
    media_root = environment_of(services["web"])["MEDIA_ROOT"]
    assert f"media:{media_root}" in services["web"]["volumes"]


@pytest.mark.parametrize("name", APP_SERVICES)
def test_the_secret_key_comes_from_the_operators_env(services: dict, name: str) -> None:
    assert REQUIRED_INTERPOLATION.match(environment_of(services[name])["SECRET_KEY"])


def test_the_database_password_comes_from_the_operators_env(services: dict) -> None:
    password = environment_of(services["postgres"])["POSTGRES_PASSWORD"]
    assert REQUIRED_INTERPOLATION.match(password)
    for name in APP_SERVICES:
        url, tokens = parse_url(environment_of(services[name])["DATABASE_URL"])
        assert url.password in tokens, f"{name}'s DATABASE_URL has a literal password"
        assert tokens[url.password] == password


def test_no_literal_secret_is_written_in_the_compose_file(services: dict) -> None:
    for name, service in services.items():
        for setting, value in environment_of(service).items():
            if SECRET_NAME.search(setting):
                assert WHOLE_INTERPOLATION.match(value), f"{name}'s {setting} is a literal value"
            if "://" in value:
                url, tokens = parse_url(value)
                assert url.password is None or url.password in tokens, (
                    f"{name}'s {setting} holds a literal password"
                )


def test_secure_ssl_redirect_is_left_to_the_operator(services: dict) -> None:
    value = environment_of(services["web"])["SECURE_SSL_REDIRECT"]
    assert WHOLE_INTERPOLATION.match(value), "the deployment behind TLS must be able to turn it on"


def test_elasticsearch_runs_as_one_open_node_with_a_bounded_heap(services: dict) -> None:
    elasticsearch = services["elasticsearch"]
    env = environment_of(elasticsearch)
    assert elasticsearch["image"].startswith("docker.elastic.co/elasticsearch/elasticsearch:8.")
    assert env["discovery.type"] == "single-node"
    assert env["xpack.security.enabled"] == "false"
    assert "-Xmx512m" in env["ES_JAVA_OPTS"]


def test_every_app_setting_the_compose_file_sets_is_read_by_the_settings(
    services: dict,
) -> None:
    source = SETTINGS_SOURCE.read_text(encoding="utf-8")
    names = set().union(*(environment_of(services[name]) for name in APP_SERVICES))
    unread = sorted(
        name
        for name in names
        if not re.search(rf"""env_\w+\(\s*["']{re.escape(name)}["']""", source)
    )
    assert not unread, f"config/settings.py does not read {unread}"


def test_the_image_runs_daphne_on_the_asgi_application() -> None:
    commands = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "CMD"]
    assert commands, "the Dockerfile has no CMD"
    argv = json.loads(commands[-1])  # the last CMD wins; exec form keeps daphne as PID 1
    assert argv[:3] == ["python", "-m", "config.server"]  # daphne's CLI, collector set
    assert "config.asgi:application" in argv
    assert argv[argv.index("-p") + 1] == "8000"
    assert argv[argv.index("-b") + 1] == "0.0.0.0"  # noqa: S104 - inside the container


def test_live_runs_daphne_on_the_asgi_application(services: dict) -> None:
    command = command_of(services["live"])
    assert command.startswith("python -m config.server ") and "config.asgi:application" in command


def test_web_runs_gunicorns_threaded_workers_on_the_wsgi_application(services: dict) -> None:
    command = command_of(services["web"])
    assert command.startswith("gunicorn ")
    assert "--worker-class=gthread" in command
    assert command.endswith("config.wsgi:application")
    assert (ROOT / "config" / "wsgi.py").exists()


def test_the_proxy_is_debians_nginx_built_from_the_dockerfile(services: dict) -> None:
    proxy = services["proxy"]
    assert proxy["build"]["target"] == "proxy"
    stage = dockerfile_instructions("proxy")
    assert stage[0][1].startswith("debian:")
    runs = " ".join(arguments for keyword, arguments in stage if keyword == "RUN")
    assert "nginx" in runs and "libnginx-mod-http-cache-purge" in runs
    copies = [arguments for keyword, arguments in stage if keyword == "COPY"]
    assert any(arguments.startswith("--from=static ") for arguments in copies)


def test_the_proxy_gets_every_value_its_config_template_names(services: dict) -> None:
    template = PROXY_TEMPLATE.read_text(encoding="utf-8")
    directives = "\n".join(
        line for line in template.splitlines() if not line.lstrip().startswith("#")
    )
    names = set(re.findall(r"\$\{([A-Z_]+)\}", directives))
    assert "APP_UPSTREAM" in names
    substituted = set(re.findall(r"\$\{([A-Z_]+)\}", PROXY_ENTRYPOINT.read_text(encoding="utf-8")))
    assert names <= substituted, f"entrypoint.sh does not fill {sorted(names - substituted)}"
    env = environment_of(services["proxy"])
    assert names <= env.keys(), f"the proxy service does not set {sorted(names - env.keys())}"


def test_the_proxy_sends_http_to_gunicorn_and_websockets_to_daphne(services: dict) -> None:
    env = environment_of(services["proxy"])
    assert env["APP_UPSTREAM"] == "web:8000"
    assert env["WS_UPSTREAM"] == "live:8000"
    assert depends_on_of(services["proxy"]) == {
        "web": "service_healthy",
        "live": "service_healthy",
    }


def test_the_proxy_serves_the_media_volume_read_only(services: dict) -> None:
    media_root = environment_of(services["web"])["MEDIA_ROOT"]
    assert environment_of(services["proxy"])["MEDIA_ROOT"] == media_root
    assert f"media:{media_root}:ro" in services["proxy"]["volumes"]
    assert environment_of(services["web"])["SERVE_MEDIA"] == "false"


def test_the_app_purges_the_proxy_it_runs_behind(services: dict) -> None:
    url = environment_of(services["web"])["FRONTEND_CACHE_PURGE_URL"]
    assert urlsplit(url).hostname == "proxy"


def test_the_app_counts_the_proxy_so_login_limits_see_each_client(services: dict) -> None:
    """Behind nginx every request comes from the proxy's address: without the proxy counted,
    five wrong passwords from anyone would lock everyone out (allauth's per-IP limit)."""
    for name in ("web", "live"):
        value = environment_of(services[name])["TRUSTED_PROXY_COUNT"]
        default = re.fullmatch(r"\$\{TRUSTED_PROXY_COUNT:-(\d+)\}", value)
        assert default is not None and int(default.group(1)) >= 1, (name, value)


def test_the_image_runs_as_a_non_root_user_and_checks_its_health() -> None:
    instructions = dockerfile_instructions()
    keywords = [keyword for keyword, _ in instructions]
    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users, "the Dockerfile never leaves root"
    assert users[-1] not in {"root", "0", "0:0"}
    assert keywords.index("USER") < keywords.index("CMD")
    assert any(k == "EXPOSE" and "8000" in a for k, a in instructions)
    assert any(k == "HEALTHCHECK" and "/healthz" in a for k, a in instructions)


def test_the_image_bakes_no_secret_into_its_environment() -> None:
    for keyword, arguments in dockerfile_instructions(stage=None):
        if keyword in {"ENV", "ARG"}:
            assert not re.search(r"SECRET|PASSWORD", arguments), f"{keyword} {arguments}"


def test_the_image_installs_production_dependencies_from_the_lock_file() -> None:
    runs = " ".join(
        arguments for keyword, arguments in dockerfile_instructions(None) if keyword == "RUN"
    )
    assert "uv sync --frozen --no-dev" in runs
    assert "collectstatic --noinput" in runs


def test_forum_attachments_go_to_a_volume_that_no_url_serves(services: dict) -> None:
    environment = environment_of(services["web"])
    private_root = environment["PRIVATE_MEDIA_ROOT"]
    assert f"private-media:{private_root}" in services["web"]["volumes"]
    assert not private_root.startswith(environment["MEDIA_ROOT"])
