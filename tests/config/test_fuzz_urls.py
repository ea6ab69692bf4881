"""A fuzzing pass over every URL pattern: each parameter of each pattern (the walk the
permission matrix makes) filled with hostile values, asked for by an anonymous visitor and by a
signed-in member (GET, and POST as the member). The gate: no server error, and nothing reflected unescaped.

The admins' hundreds of patterns are in the walk too; for these visitors every one of them
answers the login redirect before a view reads its parameters, which is what is checked.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from django.test import Client

from tests.config.test_permission_matrix import url_patterns
from tests.hostile import executable_markup

pytestmark = pytest.mark.django_db

XSS = "<script>alert(1)</script>"
#: One of each kind: a NUL, an integer beyond 64 bits, a long string, invalid UTF-8 (sent as
#: raw percent-escapes), full-text search syntax, markup.
HOSTILE_VALUES = [
    "%00",
    "9" * 30,
    quote("x" * 2000),
    "%FF%FE%80",
    quote('"a* OR (b NEAR c) ^d:', safe=""),
    quote(XSS, safe=""),
]
PARAMETER = re.compile(r"<(?:\w+:)?\w+>|\(\?P<\w+>[^)]*\)")


def hostile_addresses() -> list[str]:
    """Every route with parameters, once per hostile value in all of its parameters."""
    addresses = set()
    for route, _name in url_patterns():
        if not PARAMETER.search(route):
            continue
        for value in HOSTILE_VALUES:
            filled = PARAMETER.sub(value, route)
            # Regex routes keep their anchors and escapes; the admin subtrees are sampled by
            # their first level only (they share one access check).
            filled = filled.replace("^", "").replace("$", "").replace("\\", "")
            if filled.startswith(("admin/", "django-admin/")) and filled.count("/") > 2:
                continue
            addresses.add("/" + filled)
    return sorted(addresses)


def test_hostile_path_values_never_fail_the_server_nor_come_back_unescaped(make_user, make_course):
    make_course(modules=1, lessons=1)  # a page tree for the serve pattern to walk
    member = Client(raise_request_exception=False)
    member.force_login(make_user())
    visitors = {"anonymous": Client(raise_request_exception=False), "member": member}
    addresses = hostile_addresses()
    assert len(addresses) > 60  # the walk reached every app
    failures = []
    requests = 0
    for name, client in visitors.items():
        for address in addresses:
            # Every view is asked for; the POSTs go as the member, past the login redirect.
            for method in (client.get, client.post) if name == "member" else (client.get,):
                response = method(address)
                requests += 1
                if response.status_code >= 500:
                    failures.append(
                        f"{method.__name__} {address} as {name}: {response.status_code}"
                    )
                    continue
                content_type = response.get("Content-Type", "")
                if "text/html" not in content_type or hasattr(response, "streaming_content"):
                    continue
                html = response.content.decode(errors="replace")
                if XSS in html:
                    failures.append(f"{method.__name__} {address} as {name}: markup reflected")
                if not address.startswith(("/admin/", "/django-admin/")):
                    failures += [f"{address} as {name}: {p}" for p in executable_markup(html)]
    assert requests > 300
    assert failures == [], "\n" + "\n".join(failures)
