"""Refuse, before any view runs, a request whose path or query string holds a NUL character.

No address of the site contains one, and a NUL that reaches a query is a server error on
PostgreSQL ("text fields cannot contain NUL"), wherever a path segment becomes a slug lookup
(the page tree, profiles, categories, certificates). One check here covers every URL pattern,
the ones to come included; the answer is the site's 400 page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


class NulCharacterGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            "\x00" in request.path_info
            or "\x00" in request.META.get("QUERY_STRING", "")
            or any(
                "\x00" in key or any("\x00" in value for value in values)
                for key, values in request.GET.lists()
            )
        ):
            raise BadRequest("A NUL character in the address.")
        return self.get_response(request)
