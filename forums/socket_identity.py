"""Who opened a socket: the sign-in it was opened with (does it still hold?) and the client
address (for the anonymous-socket limit).

A WebSocket is authenticated once, at the handshake; Channels then keeps that user for the
socket's lifetime. Logging out, deactivating the account or changing the password ends the
sign-in for HTTP at once, so the live sockets must re-read it too: they do when told
(``user.access`` on the user's group, sent after commit by ``forums.signal_handlers``), on
``resume`` and now and then on a heartbeat (a missed doorbell, or a bulk ``update()``).

The check is Django's own (``django.contrib.auth.get_user``: the session names the user, the
backend still lets them in, the session's password hash still matches) but read-only: a
socket has no response to carry a new session cookie, so it must never flush or cycle a key.
"""

from __future__ import annotations

import hashlib
from importlib import import_module

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    load_backend,
)
from django.utils.crypto import constant_time_compare


def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1")
    return None


def client_address(scope) -> str | None:
    """The browser's address: behind ``TRUSTED_PROXY_COUNT`` proxies, the entry of
    ``X-Forwarded-For`` the nearest trusted proxy added (as allauth reads it for HTTP);
    otherwise the peer daphne saw. None when the server does not say (test clients)."""
    trusted = settings.ALLAUTH_TRUSTED_PROXY_COUNT
    if trusted:
        forwarded = [part.strip() for part in (_header(scope, b"x-forwarded-for") or "").split(",")]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= trusted:
            return forwarded[-trusted]
    client = scope.get("client")
    return client[0] if client else None


def session_key_of(scope) -> str | None:
    """The session key a socket was opened with (None for an anonymous or cookieless one)."""
    session = scope.get("session")
    user = scope.get("user")
    if session is None or user is None or not user.is_authenticated:
        return None
    return session.session_key


def session_digest(session_key: str | None) -> str:
    """A session named in a channel-layer message without putting the key itself there."""
    return hashlib.sha256((session_key or "").encode()).hexdigest() if session_key else ""


def signed_in_user(session_key: str | None, user_id: int):
    """The user ``session_key`` still signs in, fresh from the database, if it is ``user_id``;
    else None (signed out, session expired or flushed, account deactivated or deleted, or the
    password changed since)."""
    if not session_key:
        return None
    store = import_module(settings.SESSION_ENGINE).SessionStore(session_key=session_key)
    if store.get(SESSION_KEY) != str(user_id):
        return None
    backend_path = store.get(BACKEND_SESSION_KEY)
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    # ModelBackend.get_user answers None for an inactive account (user_can_authenticate).
    user = load_backend(backend_path).get_user(user_id)
    if user is None:
        return None
    stored_hash = store.get(HASH_SESSION_KEY) or ""
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not any(constant_time_compare(stored_hash, known) for known in hashes):
        return None
    return user
