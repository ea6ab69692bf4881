"""@mentions: who a post names, the links to their profiles, and who a writer may mention.

A post's mentions are resolved once, when it is saved (``mention_links``): the same lookup
gives the links in its HTML and the people to notify. The suggestions of the reply box's
autocomplete (``mention_suggestions``) offer only people the writer could usefully name: those
who may read the topic (a private room's members), and whose profile the writer may see.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse
from django.utils import translation

from forums.models import Category, Topic
from forums.sanitize import MENTION_PATTERN
from forums.selectors import Viewer, readers_among
from network.models import User
from network.selectors import members_visible_to

#: At most this many names of one post are looked up, linked and notified.
MAX_MENTIONS = 20
#: How many suggestions the autocomplete shows at once.
MAX_SUGGESTIONS = 8


@dataclass(frozen=True)
class Mentioned:
    """The members a text names: their ids (to notify) and ``username -> profile address``
    (for ``render_markdown``)."""

    user_ids: frozenset[int]
    links: dict[str, str]


NOBODY = Mentioned(user_ids=frozenset(), links={})


def mentioned_names(body: str) -> list[str]:
    """The distinct ``@names`` of a text, in order, at most ``MAX_MENTIONS``."""
    names: dict[str, None] = {}
    for name in MENTION_PATTERN.findall(body or ""):
        names.setdefault(name.rstrip("."), None)
    return [name for name in names if name][:MAX_MENTIONS]


def mention_links(body: str) -> Mentioned:
    """The active members ``body`` names: one query, none when it names nobody.

    The links are language-neutral addresses (stored in the post's HTML, which every reader
    shares); the profile page itself decides who may see it."""
    names = mentioned_names(body)
    if not names:
        return NOBODY
    found = User.objects.filter(username__in=names, is_active=True).values_list("pk", "username")
    user_ids, links = set(), {}
    with translation.override(None):
        for pk, username in found:
            user_ids.add(pk)
            links[username] = reverse("network:member", args=[username])
    return Mentioned(user_ids=frozenset(user_ids), links=links)


def mention_suggestions(
    writer: Viewer, *, prefix: str, topic: Topic | None = None, category: Category | None = None
) -> list[User]:
    """Members whose username or name starts with ``prefix``, who may read ``topic`` (or a new
    topic in ``category``) and whose profile ``writer`` may see; never the writer. One query."""
    prefix = prefix.strip().lstrip("@")[:150]
    if not prefix:
        return []
    if topic is None:
        topic = Topic(category=category, hidden=False)
    named = Q(username__istartswith=prefix) | Q(display_name__istartswith=prefix)
    named |= Q(first_name__istartswith=prefix) | Q(last_name__istartswith=prefix)
    candidates = members_visible_to(writer).filter(named).exclude(pk=writer.pk)
    readers = readers_among(topic, candidates).order_by("username", "pk")
    return list(
        readers.only("pk", "username", "display_name", "first_name", "last_name")[:MAX_SUGGESTIONS]
    )
