"""Site-wide endpoints that belong to no single app."""

from __future__ import annotations

from asgiref.sync import sync_to_async
from django.http import HttpRequest, JsonResponse
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
