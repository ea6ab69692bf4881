"""Every URL pattern and every WebSocket route, for every kind of visitor (``security_matrix``).

The world is built once per test; each probe runs inside a savepoint that is rolled back, so
a POST by one visitor (a lock, a withdrawal) never changes what the next one meets. All the
mismatches are reported together, as a table, rather than stopping at the first.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from config.asgi import application
from config.routing import websocket_urlpatterns
from tests.config.security_matrix import RULES, VISITORS, WEBSOCKET_RULES

LOGIN_TARGETS = {
    "login": "/accounts/login/?next=",
    "admin-login": "/admin/login/?next=",
    "django-admin-login": "/django-admin/login/?next=",
}


def url_patterns() -> list[tuple[str, str]]:
    """(route, qualified name) of every pattern Django can resolve, through every include."""
    found: list[tuple[str, str]] = []

    def walk(resolver: URLResolver, prefix: str, namespaces: tuple[str, ...]) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(
                    pattern,
                    route,
                    (*namespaces, pattern.namespace) if pattern.namespace else namespaces,
                )
            else:
                assert isinstance(pattern, URLPattern)
                name = ":".join((*namespaces, pattern.name)) if pattern.name else ""
                found.append((route, name))

    walk(get_resolver(), "", ())
    return found


def rule_for(route: str, name: str):
    matches = [
        rule
        for rule in RULES
        if (rule.prefix and route.startswith(rule.prefix)) or (name and name in rule.names)
    ]
    return matches


def test_every_url_pattern_has_exactly_one_rule():
    patterns = url_patterns()
    assert len(patterns) > 300  # the walk reached the admin and every include
    missing = [(route, name) for route, name in patterns if not rule_for(route, name)]
    assert missing == [], f"URL patterns without a rule in security_matrix.RULES: {missing}"
    ambiguous = [(route, name) for route, name in patterns if len(rule_for(route, name)) > 1]
    assert ambiguous == []
    claimed = {name for _, name in patterns}
    stale = [name for rule in RULES for name in rule.names if name and name not in claimed]
    assert stale == [], f"rules naming patterns that no longer exist: {stale}"


def test_every_rule_probes_every_visitor():
    for rule in RULES:
        assert rule.probes, rule.title
        for probe in rule.probes:
            assert set(probe.outcomes()) == set(VISITORS)


def outcome(response) -> str:
    if response.status_code == 302:
        location = response["Location"]
        for token, target in LOGIN_TARGETS.items():
            if location.startswith(target):
                return token
        return "302"
    return str(response.status_code)


def signed_in_clients(world) -> dict[str, Client]:
    """One client per visitor, signed in once (outside the probes' savepoints)."""
    clients = {}
    for visitor in VISITORS:
        clients[visitor] = Client()
        if world.users[visitor] is not None:
            clients[visitor].force_login(world.users[visitor])
    return clients


def run_probe(world, clients: dict[str, Client], visitor: str, probe) -> str:
    client = clients[visitor]
    user = world.users[visitor]
    session = client.cookies.get("sessionid")
    if user is not None and (session is None or not session.value):
        client.force_login(user)  # a sign-out probe ended the session
    cache.clear()  # rate-limit counters and cached permissions start fresh for each probe
    with transaction.atomic():
        address = probe.url(world)
        data = probe.data(world) if callable(probe.data) else probe.data
        if probe.method == "GET":
            response = client.get(address, data)
        else:
            response = client.post(address, data)
        result = outcome(response)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
            response.close()
        transaction.set_rollback(True)
    return result


@pytest.mark.django_db
def test_permission_matrix(world):
    """Every probe of every rule, as every visitor, gets the expected outcome."""
    clients = signed_in_clients(world)
    mismatches = []
    for rule in RULES:
        for probe in rule.probes:
            for visitor, expected in probe.outcomes().items():
                got = run_probe(world, clients, visitor, probe)
                if got != expected:
                    mismatches.append(
                        f"{rule.title}: {probe.method} {probe.url(world)} as {visitor}: "
                        f"expected {expected}, got {got}"
                    )
    assert mismatches == [], "\n" + "\n".join(mismatches)


# --- WebSockets ---------------------------------------------------------------------------------

ORIGIN = (b"origin", b"http://127.0.0.1:8000")


def test_every_websocket_route_has_a_rule():
    routes = {str(route.pattern) for route in websocket_urlpatterns}
    covered = {route for route, *_ in WEBSOCKET_RULES}
    assert routes - covered == set(), "WebSocket routes without a rule"
    assert covered - routes == set(), "WebSocket rules for routes that no longer exist"


def _session_cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def socket_outcome(path: str, user) -> str:
    headers = [ORIGIN]
    if user is not None:
        headers.append(await database_sync_to_async(_session_cookie)(user))
    communicator = WebsocketCommunicator(application, path, headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    if not connected:
        return "refused"
    first = await communicator.receive_output(timeout=5)
    await communicator.disconnect()
    if first["type"] == "websocket.close":
        return str(first.get("code"))
    return "accept"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_websocket_matrix(world):
    mismatches = []
    for route, description, build, expect in WEBSOCKET_RULES:
        path = await database_sync_to_async(build)(world)
        for visitor, expected in zip(VISITORS, expect.split(), strict=True):
            got = await socket_outcome(path, world.users[visitor])
            if got != expected:
                mismatches.append(f"{description} ({route}) as {visitor}: {expected} != {got}")
    assert mismatches == [], "\n" + "\n".join(mismatches)


async def test_socket_from_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/healthz/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect(timeout=5)
    assert not connected
