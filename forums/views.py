"""Forum pages. Categories, topics and posts arrive with the forums feature."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def forum_index(request: HttpRequest) -> HttpResponse:
    return render(request, "forums/forum_index.html")
