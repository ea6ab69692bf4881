"""Site-wide endpoints that belong to no single app."""

from __future__ import annotations

import posixpath

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_safe
from wagtail.models import Page

from config import health, translations
from config.page_cache import cache_public


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


MEDIA_RENDITION_SECONDS = 7 * 24 * 3600
MEDIA_SECONDS = 3600
#: Where Wagtail stores documents under MEDIA_ROOT (``AbstractDocument.file``'s upload_to).
DOCUMENTS_FOLDER = "documents"


def media(request: HttpRequest, path: str) -> HttpResponse:
    """Uploads, when no proxy serves them (``SERVE_MEDIA``): public files only. Reads
    ``MEDIA_ROOT`` per request, so the root is never frozen when the URLconf is imported.
    Private uploads (forum attachments) live outside it, in ``PRIVATE_MEDIA_ROOT``.

    Cached as nginx's ``/media/`` locations say (``deploy/nginx``): image renditions
    (``images/``) for a week, since a new crop or focal point gets new rendition names (a
    replaced file may reuse its name: a week, not a year); other uploads for an hour."""
    if posixpath.normpath("/" + path).startswith(f"/{DOCUMENTS_FOLDER}/"):
        # Wagtail's documents are served by their own view (``/documents/<id>/<name>``), where
        # collection restrictions and the apps' ``before_serve_document`` hooks (lessons'
        # readers, draft projects' coordinators) apply: their files are never public here.
        raise Http404
    response = static.serve(request, path, document_root=settings.MEDIA_ROOT)
    seconds = MEDIA_RENDITION_SECONDS if path.startswith("images/") else MEDIA_SECONDS
    response.headers["Cache-Control"] = f"public, max-age={seconds}"
    return response


@require_safe
@cache_public("pages")
def untranslated(request: HttpRequest, page_id: int) -> HttpResponse:
    """A language link's answer when the page has no translation in that language: a page in
    that language saying so, linking the original (``config.translations``). Not indexed."""
    from django.utils.translation import get_language

    from config.api import PUBLIC_PAGE_TYPES

    found = translations.untranslated(
        page_id=page_id, language_code=get_language(), request=request
    )
    if found is None:
        raise Http404
    if isinstance(found, Page):  # translated since the link was made
        return redirect(found.get_url(request))
    versions = [
        {
            "title": version.title,
            "language": version.locale.language_code,
            "url": version.get_url(request),
        }
        for version in found.versions
    ]
    response = render(
        request,
        "untranslated.html",
        {
            "original": versions[0],
            "others": versions[1:],
            "nearest": found.nearest,
            "nearest_url": found.nearest.get_url(request) if found.nearest else None,
            # Lessons and modules are for a course's readers: only public page types are named.
            "named": issubclass(found.original.specific_class or Page, PUBLIC_PAGE_TYPES),
            "language_urls": {version["language"]: version["url"] for version in versions},
            "untranslated_id": found.original.pk,
        },
    )
    response["X-Robots-Tag"] = "noindex"
    return response
