"""Benchmark mode (``BENCH_MODE=true``, never in production): a trivial view that measures the
server's own ceiling, and a header with each response's SQL query count.

``bench/run`` compares every page with the trivial view in the same run (the machine is shared
and noisy, so only ratios mean something) and reads ``X-Bench-Queries`` to report how many
queries a page needs. Off by default: the URL does not exist and the middleware is not loaded.
"""

from __future__ import annotations

from django.db import connections
from django.http import HttpRequest, HttpResponse


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
        return response
