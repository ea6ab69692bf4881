"""Plain-text hygiene for whatever a member types, shared by every app (``network`` is the one
app all the others may import).

Control characters have no place in text people read, and NUL is refused outright by
PostgreSQL (in text and in JSON), so a NUL that slipped past a form (a raw POST field, a
WebSocket frame, a URL argument) would become a server error there while SQLite stores it.
Services pass free text through ``without_control_characters`` before validating it.
"""

from __future__ import annotations

import re
import unicodedata

# C0 controls except tab, newline and carriage return; DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def without_control_characters(text: str) -> str:
    return _CONTROL.sub("", text or "")


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text or ""))


def single_line(text: str) -> str:
    """``text`` on one line: control and invisible format characters removed (line breaks,
    direction overrides, zero-width joiners), runs of whitespace made one space, ends trimmed.

    For what is shown as a one-line label (a name, a title) wherever it goes: a page, an
    e-mail, a transcript. A line break there would let the text pass for a line of its own.
    """
    text = "".join(
        " " if char.isspace() else char
        for char in text or ""
        if char.isspace() or (char.isprintable() and unicodedata.category(char) != "Cf")
    )
    return " ".join(text.split())
