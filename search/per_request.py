"""What search reads at most once per request: the index state (active generation, version).

An anonymous search page needs the index state three times: the page cache's key
(``config.page_cache`` asks ``search.service.page_cache_version``), the answer cache's key and
the generation the engine reads. Each was a query of the same row. Within a request the first
read is remembered and handed to the others; ``IndexStateMiddleware`` opens that scope around
each request, so nothing is remembered from one request to the next (another process's write
is seen by the next request) and nothing is remembered outside a request (commands, tasks and
tests read the row every time).

A change to the index made in this process (``DatabaseBackend`` counts every write, removal,
rebuild switch and clear) forgets what was remembered, so a request that writes and then
searches keys its answers by the new version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.http import HttpRequest, HttpResponse

T = TypeVar("T")

_remembered: ContextVar[dict[str, object] | None] = ContextVar("search_per_request", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Remember reads made through ``remembered`` until the block ends."""
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def remembered(name: str, read: Callable[[], T]) -> T:
    """``read()``, once per request scope (every time outside one)."""
    memo = _remembered.get()
    if memo is None:
        return read()
    if name not in memo:
        memo[name] = read()
    return memo[name]  # type: ignore[return-value]


def forget() -> None:
    """The index changed: the next read goes to the database again."""
    memo = _remembered.get()
    if memo is not None:
        memo.clear()


class IndexStateMiddleware:
    """One request, one read of the search index state. Sits before the page cache, which
    reads the state first for a search page's key."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with request_scope():
            return self.get_response(request)
