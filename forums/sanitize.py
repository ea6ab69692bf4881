"""The one place user-written HTML is made safe.

Every piece of HTML that came from a member (rendered Markdown of posts, dialogue messages,
archived transcripts) goes through ``sanitize_html`` before it is stored or shown. The
allowlists are explicit, in the spirit of ``wagtail/whitelist.py``: anything not named here
is dropped (tags are stripped to their text, attributes removed, URLs with other schemes
removed). Links get ``rel="nofollow ugc noopener"`` because members' links are not our
endorsement and must not reach back into the page that opened them.
"""

from __future__ import annotations

import re

import bleach
import markdown
from bleach.linkifier import Linker
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = frozenset(
    {
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "del",
        "em",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "li",
        "ol",
        "p",
        "pre",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "th",
        "thead",
        "tr",
        "ul",
    }
)
ALLOWED_ATTRIBUTES = {
    "a": ["href", "title", "rel"],
    "abbr": ["title"],
    "td": ["align"],
    "th": ["align"],
}
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    protocols=ALLOWED_PROTOCOLS,
    strip=True,
    strip_comments=True,
)


def _set_rel(attrs: dict, new: bool = False) -> dict:
    attrs[(None, "rel")] = LINK_REL
    attrs.pop((None, "target"), None)
    return attrs


_linker = Linker(callbacks=[_set_rel], parse_email=False)


def sanitize_html(html: str) -> str:
    """Return ``html`` with only allowlisted tags, attributes and URL schemes left.

    Bare URLs become links, and every link carries ``rel="nofollow ugc noopener"``.
    """
    return _linker.linkify(_cleaner.clean(html or ""))


def render_markdown(source: str) -> SafeString:
    """Render what a member typed (Markdown) to HTML that is safe to show as is."""
    html = markdown.markdown(
        source or "",
        extensions=["fenced_code", "sane_lists", "tables", "nl2br"],
        output_format="html",
    )
    # Headings h1/h2 belong to the page; demote members' headings instead of dropping them.
    html = re.sub(r"<(/?)h[12](\s|>)", r"<\1h3\2", html)
    return mark_safe(sanitize_html(html))  # noqa: S308 -- sanitised by the line above


def plain_text(html: str) -> str:
    """Text for search and notifications: tags removed, whitespace collapsed."""
    return " ".join(strip_tags(html).split())
