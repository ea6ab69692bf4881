"""Lessons shown inside the platform's frame, and only inside that platform's.

The site refuses to be framed (``frame-ancestors 'none'``, ``X-Frame-Options: DENY``). A session
signed in by a launch remembers the platform's origin, and its responses allow exactly that
origin as a frame ancestor (the site's policy otherwise unchanged). The admin keeps its own.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from config.middleware import HEADER

SESSION_KEY = "lti_frame_origin"
_FRAME_ANCESTORS = re.compile(r"frame-ancestors[^;]*")
_FORM_ACTION = re.compile(r"form-action[^;]*")
_ORIGIN = re.compile(r"^https?://[A-Za-z0-9.\-]+(:\d+)?$")


def allow_framing_by(request: HttpRequest, origin: str) -> None:
    if _ORIGIN.match(origin):
        request.session[SESSION_KEY] = origin
    else:
        request.session.pop(SESSION_KEY, None)


def framed_policy(policy: str, origin: str) -> str:
    directive = f"frame-ancestors {origin}"
    if _FRAME_ANCESTORS.search(policy):
        return _FRAME_ANCESTORS.sub(directive, policy)
    return f"{policy}; {directive}" if policy else directive


def posting_to(policy: str, origin: str) -> str:
    """The policy, letting forms also post to ``origin`` (a deep linking response goes back
    to the platform's return URL)."""
    directive = f"form-action 'self' {origin}"
    if _FORM_ACTION.search(policy):
        return _FORM_ACTION.sub(directive, policy)
    return f"{policy}; {directive}"


class LaunchedSessionFramingMiddleware:
    """Between the session and X-Frame-Options middlewares: reads the session only when the
    request carries a session cookie (anonymous pages never touch it)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return response
        if request.path.startswith(tuple(settings.CSP_RELAXED_PATH_PREFIXES)):
            return response
        origin = request.session.get(SESSION_KEY) if hasattr(request, "session") else None
        if not origin or not _ORIGIN.match(origin):
            return response
        response[HEADER] = framed_policy(
            response.get(HEADER) or settings.CONTENT_SECURITY_POLICY, origin
        )
        if "X-Frame-Options" in response:
            del response["X-Frame-Options"]
        return response
