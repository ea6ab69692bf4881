"""The search page and its autocomplete: thin, they only parse the URL and call ``search``."""

from __future__ import annotations

import functools
import hashlib
import logging

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

import search
from config.page_cache import cache_public
from search.backends.base import SearchUnavailable
from search.forms import SearchForm
from search.labels import KIND_LABELS, label_facets

logger = logging.getLogger(__name__)
PER_PAGE = 10
MAP_LIMIT = 300


@require_GET
@cache_public("vocabularies", extra_version="search.service.page_cache_version")
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET if request.GET else None)
    values = (
        form.values()
        if request.GET
        else SearchForm().initial
        | {"text": "", "sort": "relevance", "view": "list", "page": 1, "geo": None, "filters": {}}
    )
    context = {
        "form": form,
        "query": values["text"],
        "view": values["view"],
        "filters": values["filters"],
    }
    searched = bool(values["text"] or values["filters"] or values["geo"])
    if searched:
        on_map = values["view"] == "map"
        try:
            results = search.query(
                values["text"],
                user=request.user,
                filters=values["filters"],
                sort=values["sort"],
                page=1 if on_map else values["page"],
                per_page=MAP_LIMIT if on_map else PER_PAGE,
                geo=values["geo"],
                located_only=on_map,
            )
        except SearchUnavailable:
            logger.warning("Search backend unavailable")
            context["unavailable"] = True
            return render(request, "search/search_page.html", context, status=503)
        context |= {
            "results": results,
            # Labelled when the template asks (a cached fragment does not).
            "facets": functools.cache(functools.partial(label_facets, results.facets)),
            # Each hit with its badge, looked up once here rather than by a loop per hit.
            "labelled_hits": [(hit, KIND_LABELS.get(hit.kind, hit.kind)) for hit in results.hits],
            "map_points": [
                {
                    "kind": hit.kind,
                    "title": hit.title,
                    "url": hit.url,
                    "country": "",
                    "lat": hit.latitude,
                    "lng": hit.longitude,
                }
                for hit in results.hits
                if hit.latitude is not None and hit.longitude is not None
            ],
            "broader": _broader_searches(request, values["filters"]),
            "first_number": (results.page - 1) * results.per_page + 1,
            "fallback": bool(results.extra.get("fallback")),
            "fragment_key": _fragment_key(request, results),
            "fragment_timeout": settings.SEARCH.get("CACHE_TIMEOUT", 0),
        }
    context["searched"] = searched
    return render(request, "search/search_page.html", context)


@require_GET
def suggest(request: HttpRequest) -> JsonResponse:
    """Autocomplete for the search box; the page works without it."""
    prefix = request.GET.get("q", "")
    try:
        items = search.suggest(prefix, user=request.user)
    except SearchUnavailable:
        items = []
    response = JsonResponse(
        {"suggestions": [{"title": i["title"], "url": i["url"]} for i in items]}
    )
    response["Cache-Control"] = "private, max-age=60"
    return response


def _fragment_key(request: HttpRequest, results) -> str:
    """The key of the rendered facets and results, when the answer came from the shared cache
    of public answers (``search.service``): the facet checkboxes and result list are most of
    the page's rendering time, and the same answer (same index version) at the same address
    in the same language renders the same HTML. Empty otherwise: rendered every time."""
    answer_key = results.extra.get("answer_key")
    if not answer_key:
        return ""
    address = f"{answer_key}|{get_language()}|{request.get_full_path()}"
    return hashlib.md5(address.encode(), usedforsecurity=False).hexdigest()


def _broader_searches(request: HttpRequest, filters: dict[str, tuple[str, ...]]) -> list[dict]:
    """For each chosen facet value, the same search without it (for "no results" and chips)."""
    links = []
    for name, chosen in filters.items():
        for value in chosen:
            query = request.GET.copy()
            query.setlist(name, [kept for kept in query.getlist(name) if kept != value])
            query.pop("page", None)
            links.append({"name": name, "value": value, "url": "?" + query.urlencode()})
    return links
