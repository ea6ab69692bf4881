"""The site's default Content-Security-Policy, enforced by config/middleware.py.

The site runs no inline script: every script is a static file. Map tiles come from
``MAP_TILE_URL``'s origin; lesson videos may be files on any https server. The Wagtail and Django
admins get a looser policy, because Wagtail's panels and date widgets still set themselves up
with inline scripts, its editors use inline styles, and previews are shown in frames. Settings
take these as defaults; each policy can be replaced whole from the environment.
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
    """The admins' policy: inline scripts and styles, and previews in frames of our own."""
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
            "frame-ancestors 'self'",
        ]
    )
