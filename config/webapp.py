"""The installable web app: its manifest, its service worker, and the device wiped at logout.

- ``/manifest.json`` (and ``/es/``, ``/fr/``, ``/pt/manifest.json``): one web app manifest per
  language, each linked from the pages in that language. Browsers read a manifest's ``name``
  and ``short_name`` as they are (localised members such as ``name_localized`` are only a
  proposal), so each language has its own, with its own ``start_url``; all share the ``id``
  and the ``scope`` (``/``), so a phone holds one app whatever language it was installed in.
- ``/sw.js``: the service worker, at the root so its scope is the whole site. It is a small
  worker of our own (``site/templates/offline/sw.js``), rendered with the code release, so a
  deploy changes its bytes and every browser installs the new one; ``no-cache`` makes the
  browser ask again on each check.
- Logging out answers ``Clear-Site-Data: "cache", "storage"``: the browser drops the worker,
  the saved courses and any HTTP-cached page of the signed-in learner (a shared phone).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

THEME_COLOUR = "#1f5f3a"  # --green in site.css
BACKGROUND_COLOUR = "#f7f3e8"  # --sand
ICON_SIZES = (192, 512)
#: Prefix of the caches the worker fills (``courses.offline.cache_name``); logout empties them.
OFFLINE_CACHE_PREFIX = "lc-offline-"


@require_GET
def web_manifest(request: HttpRequest) -> HttpResponse:
    """The web app manifest in the language of its address."""
    data = {
        "id": "/",
        "name": settings.WAGTAIL_SITE_NAME,
        "short_name": _("Commons"),
        "description": _("Knowledge network and courses for landscape partnerships."),
        "lang": get_language(),
        "dir": "ltr",
        "start_url": reverse("wagtail_serve", args=[""]),
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOUR,
        "background_color": BACKGROUND_COLOUR,
        "icons": [
            {
                "src": static(f"img/icons/icon-{size}.png"),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": "any",
            }
            for size in ICON_SIZES
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker script, stamped with the code release."""
    response = render(
        request,
        "offline/sw.js",
        {"release": settings.RELEASE, "cache_prefix": OFFLINE_CACHE_PREFIX},
        content_type="text/javascript; charset=utf-8",
    )
    patch_cache_control(response, no_cache=True)
    return response


@receiver(user_logged_out, dispatch_uid="config.webapp.remember_logout")
def remember_logout(sender, request: HttpRequest | None = None, **kwargs) -> None:
    if request is not None:
        request.clear_site_data = True


class ClearSiteDataOnLogoutMiddleware:
    """The response that ends a sign-in tells the browser to forget what the site stored.

    "cache" and "storage" only: "cookies" would also drop the language cookie. Answers made
    offline and not yet sent would be lost with the storage, so ``js/offline.js`` sends them,
    or asks the learner, before it lets the logout form go (and empties the stores itself, for
    browsers that ignore the header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if getattr(request, "clear_site_data", False):
            response["Clear-Site-Data"] = '"cache", "storage"'
        return response
