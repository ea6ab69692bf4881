"""Benchmark mode (``BENCH_MODE=true``, never in production): a trivial view that measures the
server's own ceiling, a header with each response's SQL query count, and a count of the 304s
the site answered and how.

``bench/run`` compares every page with the trivial view in the same run (the machine is shared
and noisy, so only ratios mean something) and reads ``X-Bench-Queries`` to report how many
queries a page needs. Behind nginx, a revalidated page reaches the client with nginx's stored
headers, so whether the site answered its 304 from the page cache or after rendering the page
cannot be read from the response: the site counts it (per address, in the shared cache) and
the mixed run asks (:func:`revalidations`). Off by default: the URLs do not exist and the
middleware is not loaded.
"""

from __future__ import annotations

import json

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

_REVALIDATIONS = "bench:revalidations:{}:{}"
#: How a 304 was answered: from the page cache (``X-Page-Cache: hit``) or after a rendering.
HOW = ("cache", "rendered")


def trivial(request: HttpRequest) -> HttpResponse:
    """The cheapest response the full middleware stack can give: a sync view (like the pages
    it is compared with), no template, no query."""
    return HttpResponse(b"ok", content_type="text/plain")


class QueryCountMiddleware:
    """Counts the queries run while the rest of the stack answers (sessions included)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connections["default"].execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(count)
        if response.status_code == 304:
            how = "cache" if response.get("X-Page-Cache") == "hit" else "rendered"
            key = _REVALIDATIONS.format(how, request.path)
            cache.add(key, 0, None)
            cache.incr(key)
        return response


@csrf_exempt
@require_POST
def revalidations(request: HttpRequest) -> JsonResponse:
    """``{path: {"cache": n, "rendered": m}}``: the 304s answered so far at each address of the
    JSON list in the body (a list rather than a query string: the mixed run asks for ~150)."""
    paths = [str(path) for path in json.loads(request.body or b"[]")]
    keys = {(how, path): _REVALIDATIONS.format(how, path) for path in paths for how in HOW}
    found = cache.get_many(list(keys.values()))
    return JsonResponse(
        {path: {how: found.get(keys[how, path], 0) for how in HOW} for path in paths}
    )
