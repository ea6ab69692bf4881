"""Every URL pattern and every WebSocket route, for every kind of visitor (``security_matrix``).

The world is built once per test; each probe runs inside a savepoint that is rolled back, so
a POST by one visitor (a lock, a withdrawal) never changes what the next one meets. All the
mismatches are reported together, as a table, rather than stopping at the first.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from config.asgi import application
from config.routing import websocket_urlpatterns
from tests.config.matrix_base import EXTRA_VISITORS
from tests.config.security_matrix import RULES, VISITORS, WEBSOCKET_RULES
from tests.hostile import count_post_forms, executable_markup, post_forms_without_csrf_token

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
            assert set(probe.outcomes()) in (set(VISITORS), {*VISITORS, *EXTRA_VISITORS})


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
    for visitor in (*VISITORS, *EXTRA_VISITORS):
        clients[visitor] = Client()
        if world.users[visitor] is not None:
            clients[visitor].force_login(world.users[visitor])
    return clients


#: What the crawl saw, for the page-level assertions below.
PAGE_STATS = {"html_pages": 0, "post_forms": 0}


def page_problems(address: str, response) -> list[str]:
    """Checks on every HTML page the matrix receives: a Content-Security-Policy, nothing
    executable, a CSRF token in every POST form, nosniff and a referrer policy."""
    problems = []
    if not response.get("Content-Security-Policy"):
        problems.append("no Content-Security-Policy")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append("no X-Content-Type-Options: nosniff")
    if not response.get("Referrer-Policy"):
        problems.append("no Referrer-Policy")
    if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
        return problems
    html = response.content.decode()
    PAGE_STATS["html_pages"] += 1
    PAGE_STATS["post_forms"] += count_post_forms(html)
    problems += [f"form without CSRF token: {a}" for a in post_forms_without_csrf_token(html)]
    if not address.startswith(("/admin/", "/django-admin/")):
        # The admins run Wagtail's and Django's own scripts (their own CSP, see middleware).
        problems += executable_markup(html)
    return problems


def run_probe(world, clients: dict[str, Client], visitor: str, probe) -> tuple[str, list[str]]:
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
            # Reading to the end lets the test client close the file; calling close() here
            # would send request_finished, which closes a PostgreSQL connection mid-test.
            b"".join(response.streaming_content)
            problems = []
        else:
            problems = page_problems(address, response)
            if probe.hidden is not None and probe.hidden(world) in response.content.decode():
                problems.append(f"shows {probe.hidden(world)!r}")
        transaction.set_rollback(True)
    return result, problems


@pytest.mark.django_db
def test_permission_matrix(world):
    """Every probe of every rule, as every visitor, gets the expected outcome."""
    clients = signed_in_clients(world)
    mismatches = []
    for rule in RULES:
        for probe in rule.probes:
            for visitor, expected in probe.outcomes().items():
                got, problems = run_probe(world, clients, visitor, probe)
                where = f"{rule.title}: {probe.method} {probe.url(world)} as {visitor}"
                if got != expected:
                    mismatches.append(f"{where}: expected {expected}, got {got}")
                mismatches += [f"{where}: {problem}" for problem in problems]
    assert mismatches == [], "\n" + "\n".join(mismatches)
    # The crawl really read pages and forms (a matrix of redirects would prove little).
    assert PAGE_STATS["html_pages"] > 200
    assert PAGE_STATS["post_forms"] > 50


#: POSTs that must work without a CSRF token, and why.
CSRF_EXEMPT = {
    # RFC 8058: a mail client posts the one-click unsubscribe without cookies; the signed
    # token in the address is the credential, and it can only stop one kind of mail.
    "network:unsubscribe",
    # The deep linking pick is posted from our page inside the platform's (cross-site) frame,
    # where our cookies are not sent; the launch id of the teacher's validated launch, known
    # only to that frame, is the credential, and all it yields is the response JWT to that frame.
    "lti:deep_link",
}


@pytest.mark.django_db
def test_a_post_without_csrf_token_is_refused_everywhere(world):
    """Every POST the matrix makes, sent without the CSRF token by a signed-in member, is
    refused with 403 before the view runs (but for ``CSRF_EXEMPT``)."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["learner"])
    accepted = []
    for rule in RULES:
        for probe in rule.probes:
            if probe.method != "POST":
                continue
            data = probe.data(world) if callable(probe.data) else probe.data
            address = probe.url(world)
            if resolve(urlsplit(address).path).view_name in CSRF_EXEMPT:
                continue
            with transaction.atomic():
                response = client.post(address, data)
                transaction.set_rollback(True)
            if response.status_code != 403 or b"CSRF" not in response.content:
                accepted.append(f"{address}: {response.status_code}")
    assert accepted == []


# --- WebSockets ---------------------------------------------------------------------------------

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")


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
    headers = [ORIGIN, HOST]
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
async def test_websocket_matrix(socket_world):
    world = socket_world
    mismatches = []
    for route, description, build, expect in WEBSOCKET_RULES:
        path = await database_sync_to_async(build)(world)
        for visitor, expected in zip(VISITORS, expect.split(), strict=True):
            got = await socket_outcome(path, world.users[visitor])
            if got != expected:
                mismatches.append(f"{description} ({route}) as {visitor}: {expected} != {got}")
    assert mismatches == [], "\n" + "\n".join(mismatches)


def _ended_sign_in(client: Client, user, ending: str) -> None:
    if ending == "logout":
        client.post(reverse("account_logout"))
    else:
        user.is_active = False
        user.save()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
@pytest.mark.parametrize("ending", ["logout", "deactivation"])
async def test_every_stream_socket_closes_when_its_sign_in_ends(socket_world, ending):
    """Every route of the matrix the partner may open (all but the moderators' queue), opened
    with one sign-in; when it ends, each socket closes with 4401, whatever it was streaming."""
    world = socket_world
    partner = world.users["partner"]
    client = Client()
    await database_sync_to_async(client.force_login)(partner)
    cookie = (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())
    sockets = {}
    for route, description, build, expect in WEBSOCKET_RULES:
        if route == "ws/healthz/":  # answers once and holds no stream
            continue
        if expect.split()[VISITORS.index("partner")] != "accept":  # the moderators' queue
            continue
        path = await database_sync_to_async(build)(world)
        communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, HOST, cookie])
        connected, _ = await communicator.connect(timeout=5)
        assert connected, description
        assert (await communicator.receive_json_from(timeout=5))["type"] == "hello"
        sockets[description] = communicator
    await database_sync_to_async(_ended_sign_in)(client, partner, ending)
    still_open = []
    for description, communicator in sockets.items():
        output = await communicator.receive_output(timeout=5)
        while output["type"] == "websocket.send":  # presence chatter before the close
            output = await communicator.receive_output(timeout=5)
        if output != {"type": "websocket.close", "code": 4401}:
            still_open.append(f"{description}: {output}")
    assert still_open == []


async def test_socket_from_a_foreign_origin_is_refused():
    communicator = WebsocketCommunicator(
        application, "/ws/healthz/", headers=[(b"origin", b"https://evil.example")]
    )
    connected, _ = await communicator.connect(timeout=5)
    assert not connected
