"""Site-wide endpoints that belong to no single app."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config import health


@never_cache
@require_GET
async def healthz(request: HttpRequest) -> JsonResponse:
    """JSON status of database, channel layer, cache and search; 503 when any is down."""
    checks = {
        "database": await sync_to_async(health.database_status)(),
        "channel_layer": await health.channel_layer_status(),
        "cache": await sync_to_async(health.cache_status)(),
        "search": await sync_to_async(health.search_status)(),
    }
    healthy = all(check["ok"] for check in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", "checks": checks},
        status=200 if healthy else 503,
    )


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploads, when no proxy serves them (``SERVE_MEDIA``): public files only. Reads
    ``MEDIA_ROOT`` per request, so the root is never frozen when the URLconf is imported.
    Private uploads (forum attachments) live outside it, in ``PRIVATE_MEDIA_ROOT``."""
    return static.serve(request, path, document_root=settings.MEDIA_ROOT)
