"""The site's default Content-Security-Policy, enforced by config/middleware.py.

The site runs no inline script: every script is a static file. Map tiles come from
``MAP_TILE_URL``'s origin; lesson videos may be files on any https server. The Wagtail and Django
admins get a looser policy, because Wagtail's panels and date widgets still set themselves up
with inline scripts and its editors use inline styles. Settings take these as defaults; each
policy can be replaced whole from the environment.

Frames: no page of ours may be framed (``frame-ancestors 'none'``), except the admin responses
Wagtail itself marks for framing by its own pages (``X-Frame-Options: SAMEORIGIN``, set by
``xframe_options_sameorigin_override`` on the live preview, the workflow preview and the
revision views); those get ``frame-ancestors 'self'`` (``framed_by_self``), so the page
editor's live preview shows the draft and nothing else of ours opens in a frame.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def origin_of(url: str) -> str:
    """``https://tile.example.org`` from a URL template (empty when there is none)."""
    parts = urlsplit(url)
    host = parts.netloc.replace("{s}", "*")  # Leaflet's subdomain placeholder
    return f"{parts.scheme}://{host}" if parts.scheme and host else ""


def site_policy(tile_origin: str) -> str:
    """The public site's policy: only our own scripts, styles and fonts."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: {tile_origin}".strip(),
            "font-src 'self'",
            "connect-src 'self'",
            "media-src 'self' https:",
            "frame-src 'none'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def admin_policy(tile_origin: str) -> str:
    """The admins' policy: inline scripts and styles; previews shown in frames of our own (the
    previews themselves are framed only under ``framed_by_self``)."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
            "style-src 'self' 'unsafe-inline'",
            f"img-src 'self' data: blob: {tile_origin}".strip(),
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self' https:",
            "frame-src 'self' https:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def framed_by_self(policy: str) -> str:
    """The same policy, with ``frame-ancestors 'self'``: for the responses Wagtail shows in a
    frame of its own admin (added when the policy names no ``frame-ancestors``)."""
    directives = [part.strip() for part in policy.split(";") if part.strip()]
    kept = [part for part in directives if part.split()[0].lower() != "frame-ancestors"]
    return "; ".join([*kept, "frame-ancestors 'self'"])
