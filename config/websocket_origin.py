"""The WebSocket origin check: a socket is accepted only from the site's own origin.

Browsers send ``Origin`` with every WebSocket handshake and let any page open a socket to any
site, with the site's cookies. Channels' ``AllowedHostsOriginValidator`` compares the origin's
host with ``ALLOWED_HOSTS`` and nothing else, so ``http://site:8080`` (another service on the
same host) or plain ``http://`` against an HTTPS site passed. Here the origin's scheme, host
and port must equal the ones the browser used for the handshake itself: the ``Host`` header
(which the proxy passes through as ``$http_host``) and the scheme, taken from the proxy's
``X-Forwarded-Proto`` only where Django trusts it for HTTP too (``SECURE_PROXY_SSL_HEADER``).
The host must also be one of ``ALLOWED_HOSTS``, as for any request.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.http.request import split_domain_port, validate_host

_DEFAULT_PORTS = {"http": 80, "https": 443}


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def _handshake_scheme(scope) -> str:
    """``https`` if the browser reached the site over TLS (directly or at the trusted proxy)."""
    proxy_header = settings.SECURE_PROXY_SSL_HEADER
    if proxy_header:
        name, secure_value = proxy_header
        wanted = name.removeprefix("HTTP_").lower().replace("_", "-").encode("latin-1")
        forwarded = _header(scope, wanted)
        if forwarded is not None:
            # Like Django: the first value, as the proxy nearest the browser wrote it.
            return "https" if forwarded.split(",")[0].strip() == secure_value else "http"
    return "https" if scope.get("scheme") in {"wss", "https"} else "http"


def own_origin(scope) -> bool:
    """Whether the handshake's ``Origin`` is the site itself as the browser addressed it."""
    origin, host = _header(scope, b"origin"), _header(scope, b"host")
    if not origin or not host:
        return False
    domain, _port = split_domain_port(host)
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return False
    scheme = _handshake_scheme(scope)
    try:
        parsed_origin = urlsplit(origin.strip())
        parsed_host = urlsplit(f"{scheme}://{host.strip()}")
        origin_port = parsed_origin.port or _DEFAULT_PORTS.get(parsed_origin.scheme)
        host_port = parsed_host.port or _DEFAULT_PORTS[scheme]
    except ValueError:  # a port that is not a number, or out of range
        return False
    return (
        parsed_origin.scheme == scheme
        and parsed_origin.hostname is not None
        and parsed_origin.hostname == parsed_host.hostname
        and origin_port == host_port
    )


class SameOriginValidator:
    """ASGI middleware for the WebSocket side: refuses the handshake (403) unless
    ``own_origin``. Shaped as Channels' ``OriginValidator`` (documented middleware API)."""

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        if scope["type"] == "websocket" and not own_origin(scope):
            denier = WebsocketDenier()
            return await denier(scope, receive, send)
        return await self.application(scope, receive, send)
