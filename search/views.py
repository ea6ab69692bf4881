"""The search page. Results arrive with the search feature; the box works from day one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

MAX_QUERY_LENGTH = 200


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    return render(request, "search/search_page.html", {"query": query})
