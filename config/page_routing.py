"""Wagtail's page serving, with the top of the page tree cached.

Wagtail routes every page request from scratch: the ``Site`` of the host (one query), the active
language's ``Locale`` (one), the home page's specific type (one), then two queries per level of
the path (the child by slug, then its specific type). The site, its home page in the active
language and the home page's sections (its children) are the same for every request to a host in
a language until a page, a site or a locale changes, and each of those changes bumps the
``pages`` version (``config.signal_handlers``). So they are cached under that version, and a
request starts routing at the section: the course index, the course and the case study index
route the rest of the way in one query per level (their own ``route`` methods).

What Wagtail decides is unchanged: the same ``route`` methods answer below the section (so
``live`` is checked on the page served, as Wagtail does), ``Http404`` still means no page, and
view restrictions are checked afterwards by Wagtail's ``before_serve_page`` hook. The route is
handed to ``wagtail.views.serve`` through the two request attributes Wagtail documents as its
own per-request caches (``_wagtail_site``, ``_wagtail_route_for_request``).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language
from wagtail import views as wagtail_views
from wagtail.models import Page, Site

from config.page_cache import cached_value


@dataclass
class SiteTop:
    """What every page request of one host and language walks through first."""

    site: Site | None
    #: The site's home page in the active language (its specific type).
    root: Page | None = None


def _build_top(request: HttpRequest) -> SiteTop:
    site = Site.find_for_request(request)
    if site is None:
        return SiteTop(site=None)
    return SiteTop(site=site, root=site.root_page.localized.specific)


def _prefix(request: HttpRequest) -> str:
    return f"{request.get_host()}:{request.get_port()}:{get_language()}"


def site_top(request: HttpRequest) -> SiteTop:
    """The cached top of the tree for this request's host, port and active language."""
    return cached_value(f"site-top:{_prefix(request)}", "pages", lambda: _build_top(request))


def section(request: HttpRequest, root: Page, slug: str) -> Page | None:
    """The home page's child with this slug (its specific type), cached; None when the home
    page has its own ``route`` or there is no single such child, so Wagtail's routing answers
    (a 404, or its error for duplicate slugs) as it always did."""
    if type(root).route is not Page.route:
        return None

    def find() -> Page | None:
        children = list(root.get_children().filter(slug=slug)[:2])
        return children[0].specific if len(children) == 1 else None

    return cached_value(f"site-section:{_prefix(request)}:{slug}", "pages", find)


def route(request: HttpRequest, path: str):
    """What ``Page.route_for_request`` answers, starting below the cached sections."""
    top = site_top(request)
    request._wagtail_site = top.site
    if top.site is None:
        return None
    components = [component for component in path.split("/") if component]
    try:
        child = section(request, top.root, components[0]) if components else None
        if child is not None:
            child._cached_parent_obj = top.root
            return child.route(request, components[1:])
        return top.root.route(request, components)
    except Http404:
        return None


def serve(request: HttpRequest, path: str) -> HttpResponse:
    """``wagtail.views.serve``, routed through :func:`route`."""
    if not hasattr(request, "_wagtail_route_for_request"):
        request._wagtail_route_for_request = route(request, path)
    return wagtail_views.serve(request, path)
