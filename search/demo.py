"""After the other apps' demo content: rebuild the search index so it holds all of it."""

from __future__ import annotations

from search import indexing


def seed(out) -> None:
    count = indexing.rebuild()
    out.write(f"Search index rebuilt: {count} documents.")
