"""Plain text out of what apps store (rich text, StreamFields, Markdown-rendered HTML)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

from django.utils.html import strip_tags

_SPACES = re.compile(r"\s+")
#: raw StreamField keys whose values are never prose (ids, choices, numbers)
_SKIPPED_KEYS = {
    "id",
    "type",
    "image",
    "document",
    "alt_text",
    "decorative",
    "correct",
    "is_correct",
}


def plain(value: str) -> str:
    """Text without tags or entities, in single spaces."""
    return _SPACES.sub(" ", html.unescape(strip_tags(value or ""))).strip()


def _strings(raw: Any) -> Iterable[str]:
    if isinstance(raw, str):
        yield raw
    elif isinstance(raw, dict):
        for key, value in raw.items():
            if key not in _SKIPPED_KEYS:
                yield from _strings(value)
    elif isinstance(raw, (list, tuple)):
        for item in raw:
            yield from _strings(item)


def stream_text(stream: Any, *, skip_block_types: frozenset[str] = frozenset()) -> str:
    """Every piece of prose in a StreamField, from its raw data (no template rendering)."""
    parts = []
    for block in getattr(stream, "raw_data", None) or []:
        if block.get("type") in skip_block_types:
            continue
        parts.extend(plain(text) for text in _strings(block.get("value")))
    return " ".join(part for part in parts if part)
