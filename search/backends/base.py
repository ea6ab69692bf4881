"""What every search backend does, so views and the contract tests never branch on one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from search.types import SearchDocument, SearchRequest, SearchResults


class SearchUnavailable(Exception):
    """The search engine did not answer (down, timing out): the page says so, nothing breaks."""


class SearchBackend(Protocol):
    name: str

    def upsert(self, documents: Iterable[SearchDocument]) -> int: ...

    def delete(self, keys: Iterable[str]) -> int: ...

    def rebuild(self, documents: Iterable[SearchDocument], *, progress=None) -> int:
        """Fill a new index version and switch queries to it only when it is complete."""
        ...

    def keys(self) -> set[str]: ...

    def query(self, request: SearchRequest) -> SearchResults: ...

    def index_version(self) -> str | None:
        """A value that changes whenever the answers may (any write to the index), for keying
        cached answers; ``None`` when the backend cannot tell, and its answers are not cached."""
        ...

    def suggest(self, prefix: str, *, audiences: tuple[str, ...], limit: int = 8) -> list[dict]: ...

    def clear(self) -> None: ...
