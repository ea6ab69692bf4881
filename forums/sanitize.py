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
import xml.etree.ElementTree as ET
from collections.abc import Mapping

import bleach
import markdown
from bleach.linkifier import Linker
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.util import AtomicString

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
#: The one class a member's HTML may carry: a link to a mentioned member's profile, made by
#: ``render_markdown`` itself (a member who types ``class="mention"`` gets the same look, no more).
MENTION_CLASS = "mention"

#: ``@username`` not inside a word, an address (``a@b``) or a path (``/@name``). Usernames are
#: Django's (letters, digits, ``@.+-_``; ``@`` left out so ``@a@b`` is not one name).
MENTION_PATTERN = re.compile(r"(?<![\w@/])@([A-Za-z0-9_.+-]{1,150})")


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if name in ALLOWED_ATTRIBUTES.get(tag, ()):
        return True
    return tag == "a" and name == "class" and value == MENTION_CLASS


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
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


class _MentionProcessor(InlineProcessor):
    """``@name`` -> a link to the member's profile, for the names in ``links`` only (members
    who exist); anything else stays text. Never inside code or another link."""

    ANCESTOR_EXCLUDES = ("a", "code", "pre")

    def __init__(self, links: Mapping[str, str]) -> None:
        super().__init__(MENTION_PATTERN.pattern)
        self.links = links

    def handleMatch(self, match: re.Match, data: str):
        name = match.group(1).rstrip(".")
        url = self.links.get(name)
        if url is None:
            return None, None, None
        link = ET.Element("a", {"href": url, "class": MENTION_CLASS})
        link.text = AtomicString(f"@{name}")
        return link, match.start(0), match.start(0) + 1 + len(name)


class _MentionLinks(Extension):
    def __init__(self, links: Mapping[str, str]) -> None:
        super().__init__()
        self.links = links

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        # Below links (160), so a mention in a link's text stays that link's text; above
        # emphasis, so ``@jane_doe_x`` is one name.
        md.inlinePatterns.register(_MentionProcessor(self.links), "mention", 155)


def render_markdown(source: str, *, mentions: Mapping[str, str] | None = None) -> SafeString:
    """Render what a member typed (Markdown) to HTML that is safe to show as is.

    ``mentions`` maps the usernames that exist to their profile addresses
    (``forums.mentions.mention_links``): those ``@name`` become links, every other ``@word``
    stays text. The preview renders through here too, so it shows what the post will be."""
    extensions: list = ["fenced_code", "sane_lists", "tables", "nl2br"]
    if mentions:
        extensions.append(_MentionLinks(mentions))
    html = markdown.markdown(source or "", extensions=extensions, output_format="html")
    # Headings h1/h2 belong to the page; demote members' headings instead of dropping them.
    html = re.sub(r"<(/?)h[12](\s|>)", r"<\1h3\2", html)
    return mark_safe(sanitize_html(html))  # noqa: S308 -- sanitised by the line above


def plain_text(html: str) -> str:
    """Text for search and notifications: tags removed, whitespace collapsed."""
    return " ".join(strip_tags(html).split())
