"""Hostile input for the whole suite: the corpus under ``tests/data/`` and the one check that
rendered HTML holds nothing executable.

- ``NAUGHTY_STRINGS``: the Big List of Naughty Strings (``tests/data/blns/``, MIT).
- ``XSS_PAYLOADS``: a short list of script-injection payloads (``tests/data/xss_payloads.txt``).
- ``sample(strings, count)``: a deterministic sample for the slow paths (same strings every run).
- ``executable_markup(html)``: what in a page could run: a ``<script>`` that is not one of the
  site's own files (``src="/static/..."``) nor JSON data, an ``on*`` attribute, a
  ``javascript:``/``data:``/``vbscript:`` URL in ``href``/``src``/``action``/``formaction``, or an
  ``<iframe>``/``<object>``/``<embed>``/``<base>``/``<svg>``/``<math>`` element.
"""

from __future__ import annotations

import json
import random
from html.parser import HTMLParser
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

NAUGHTY_STRINGS: list[str] = json.loads((DATA / "blns" / "blns.json").read_text("utf-8"))
XSS_PAYLOADS: list[str] = [
    line
    for line in (DATA / "xss_payloads.txt").read_text("utf-8").splitlines()
    if line and not line.startswith("#")
]
#: Every hostile string, XSS payloads first.
CORPUS: list[str] = XSS_PAYLOADS + NAUGHTY_STRINGS

DATA_SCRIPT_TYPES = {"application/ld+json", "application/json"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")
FOREIGN_ELEMENTS = {"iframe", "object", "embed", "base", "svg", "math", "frame", "frameset"}


def sample(strings: list[str], count: int, *, seed: int = 7) -> list[str]:
    """The same ``count`` strings every run: every XSS payload first, then a seeded draw."""
    if count >= len(strings):
        return list(strings)
    chosen = [s for s in strings if s in XSS_PAYLOADS][:count]
    rest = [s for s in strings if s not in chosen]
    chosen += random.Random(seed).sample(rest, count - len(chosen))  # noqa: S311 -- a fixed draw
    return chosen


class _Inspector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        self._check(tag, attrs)

    def handle_startendtag(self, tag, attrs):
        self._check(tag, attrs)

    def _check(self, tag, attrs):
        values = dict(attrs)
        if tag in FOREIGN_ELEMENTS:
            self.problems.append(f"<{tag}>")
        if tag == "script":
            src = values.get("src") or ""
            kind = (values.get("type") or "").lower()
            if not (src.startswith("/static/") or kind in DATA_SCRIPT_TYPES):
                self.problems.append(f"<script src={src!r} type={kind!r}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name in URL_ATTRIBUTES and value:
                compact = "".join(value.split()).lower()
                if compact.startswith(BAD_SCHEMES):
                    self.problems.append(f"<{tag} {name}={value[:40]!r}>")
            if name == "style" and value and "expression(" in value.lower():
                self.problems.append(f"<{tag} style=expression>")


class _FormInspector(HTMLParser):
    """Finds ``method=post`` forms that carry no ``csrfmiddlewaretoken`` field."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._open: dict | None = None

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "form":
            self._open = {
                "method": (values.get("method") or "get").lower(),
                "action": values.get("action") or "",
                "token": False,
                # Wagtail's editing-session ping is posted by its own script, which sends the
                # token in the X-CSRFToken header; the middleware checks it all the same.
                "scripted": "data-w-action-url-value" in values,
            }
            self.forms.append(self._open)
        elif tag == "input" and self._open is not None:
            if values.get("name") == "csrfmiddlewaretoken" and values.get("value"):
                self._open["token"] = True

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "form":
            self._open = None


def post_forms_without_csrf_token(html: str) -> list[str]:
    """The actions of the page's POST forms that lack a CSRF token (empty: all protected)."""
    inspector = _FormInspector()
    inspector.feed(html)
    inspector.close()
    return [
        form["action"]
        for form in inspector.forms
        if form["method"] == "post" and not form["token"] and not form["scripted"]
    ]


def count_post_forms(html: str) -> int:
    inspector = _FormInspector()
    inspector.feed(html)
    inspector.close()
    return sum(form["method"] == "post" for form in inspector.forms)


def executable_markup(html: str) -> list[str]:
    """Everything in ``html`` a browser could execute (empty list: the page is inert)."""
    inspector = _Inspector()
    inspector.feed(html)
    inspector.close()
    return inspector.problems


def assert_inert(html: str, context: str = "") -> None:
    problems = executable_markup(html)
    assert problems == [], f"{context}: {problems}"
