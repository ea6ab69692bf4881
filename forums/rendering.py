"""HTML fragments shared by the pages and the live updates.

A post looks the same whether it arrived with the page or over the socket, because both render
``forums/includes/post.html`` through ``post_context``. Its shared part (header, body,
attachments: ``post_shared.html``) is cached per post (``shared_parts``); the reader's part
(reactions, actions, CSRF tokens) is rendered for each reader from data read for the whole
page at once. Fragments sent over a socket have no
CSRF token (there is no request); ``live.js`` copies the page's token into their forms.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from django.conf import settings
from django.db.models import prefetch_related_objects
from django.template.loader import get_template, render_to_string
from django.utils import timezone, translation

from config.page_cache import cached_values
from forums.cache import post_tag
from forums.forms import HideForm
from forums.models import REACTION_SYMBOLS, Notification, Post, ReactionKind, Topic
from forums.selectors import (
    ReactionTally,
    is_moderator,
    open_flags,
    posts_awaiting_approval,
    reaction_tallies,
)

#: The part of a post every reader who may see it sees alike (cached per post).
SHARED_TEMPLATE = "forums/includes/post_shared.html"


def _history_link(post: Post, viewer, moderator: bool) -> bool:
    """Whether the "edited" mark links to the history (its author and the moderators)."""
    return moderator or (viewer.is_authenticated and viewer.pk == post.author_id)


def _shared_name(post: Post, history_link: bool) -> str:
    """The cache name of a post's shared part: the post and everything of its row and its
    authors' rows the part shows, so a changed row is a new name before any tag is bumped;
    and what the rendering reads from the request (language, time zone)."""
    reply_to = post.reply_to if post.reply_to_id else None
    read = "\x1f".join(
        str(value)
        for value in (
            post.created_at.isoformat(),
            post.edited_at.isoformat() if post.edited_at else "",
            post.hidden,
            post.awaiting_approval,
            post.hidden_reason_kind,
            post.hidden_reason,
            post.author.public_name,
            post.reply_to_id or "",
            reply_to.author.public_name if reply_to is not None else "",
            history_link,
            post.body_html,
        )
    )
    digest = hashlib.md5(read.encode(), usedforsecurity=False).hexdigest()
    zone = timezone.get_current_timezone_name()
    return f"forum.post:{post.pk}:{translation.get_language()}:{zone}:{digest}"


def shared_parts(posts: list[Post], viewer) -> dict[int, str]:
    """Each post's shared part as HTML (header, sanitised body, attachments), from the cache
    or rendered, by post id.

    A part is kept under its post's tag (``post_tag``) and named by what its rendering read,
    so an edit, a hidden or approved post, a renamed author or a new attachment is never served
    stale. Which posts a reader gets is decided before (``selectors.post_list``): the cache only
    saves rendering what that reader may see. The attachments of the posts rendered here are
    read in one query, whatever their number; none when every part comes from the cache.
    """
    moderator = is_moderator(viewer)
    by_name = {_shared_name(post, _history_link(post, viewer, moderator)): post for post in posts}

    def build(names: list[str]) -> dict[str, str]:
        missing = [by_name[name] for name in names]
        prefetch_related_objects(missing, "attachments")
        template = get_template(SHARED_TEMPLATE)  # looked up once for the page
        return {
            name: template.render(
                {
                    "post": by_name[name],
                    "history_link": _history_link(by_name[name], viewer, moderator),
                }
            )
            for name in names
        }

    found = cached_values({name: post_tag(post.pk) for name, post in by_name.items()}, build)
    return {post.pk: found[name] for name, post in by_name.items()}


def _tally_of(post: Post, viewer) -> ReactionTally:
    """A post's reactions counted from its prefetched rows (a single post: a live update, the
    reaction toggle's answer)."""
    counts = Counter(reaction.kind for reaction in post.reactions.all())
    mine = (
        {r.kind for r in post.reactions.all() if r.user_id == viewer.pk}
        if viewer.is_authenticated
        else set()
    )
    return {kind: (count, kind in mine) for kind, count in counts.items()}


def _reaction_kinds() -> list[tuple[str, str, str]]:
    """Each reaction kind's value, label in the active language and symbol: translated once
    for a page, not once per post."""
    return [(kind.value, str(kind.label), REACTION_SYMBOLS[kind]) for kind in ReactionKind]


def reaction_summary(
    post: Post,
    viewer,
    tally: ReactionTally | None = None,
    kinds: list[tuple[str, str, str]] | None = None,
) -> list[dict]:
    """Each reaction kind with its count and whether the viewer gave it: from ``tally``
    (``selectors.reaction_tallies``) or else the post's prefetched rows."""
    if tally is None:
        tally = _tally_of(post, viewer)
    return [
        {
            "kind": value,
            "label": label,
            "symbol": symbol,
            "count": tally.get(value, (0, False))[0],
            "mine": tally.get(value, (0, False))[1],
        }
        for value, label, symbol in kinds or _reaction_kinds()
    ]


def post_context(
    post: Post,
    viewer,
    topic: Topic,
    *,
    shared: str | None = None,
    tally: ReactionTally | None = None,
    kinds: list[tuple[str, str, str]] | None = None,
) -> dict:
    """What ``post.html`` needs for one reader: the shared part (from ``shared_parts`` when
    not given) and this reader's reactions and actions."""
    moderator = is_moderator(viewer)
    if shared is None:
        shared = shared_parts([post], viewer)[post.pk]
    return {
        "post": post,
        "topic": topic,
        "viewer": viewer,
        "is_moderator": moderator,
        "shared": shared,
        "can_edit": viewer.is_authenticated
        and (post.author_id == viewer.pk or moderator)
        and (not topic.locked or moderator),
        "can_write": viewer.is_authenticated,
        "reactions": reaction_summary(post, viewer, tally, kinds),
    }


def post_items(posts: list[Post], viewer, topic: Topic) -> list[dict]:
    """A page of posts for one reader, in two queries whatever their number (the reactions'
    counts; the attachments of the posts whose shared part is not cached) and none per post."""
    shared = shared_parts(posts, viewer)
    tallies = reaction_tallies(viewer, [post.pk for post in posts])
    kinds = _reaction_kinds()
    return [
        post_context(
            post, viewer, topic, shared=shared[post.pk], tally=tallies.get(post.pk, {}), kinds=kinds
        )
        for post in posts
    ]


def render_post(post: Post, viewer, topic: Topic, request=None) -> str:
    return render_to_string(
        "forums/includes/post.html", post_context(post, viewer, topic), request=request
    )


def render_notification(notification: Notification) -> str:
    return render_to_string("forums/includes/notification.html", {"notification": notification})


def render_unread_badge(unread: int) -> str:
    """The header's unread count as the page renders it, for the live update of an open page."""
    return render_to_string("forums/includes/unread_badge.html", {"unread": unread})


def moderation_lists(moderator) -> tuple[tuple, str]:
    """The first page of a moderator's queue (waiting posts, open reports) as the page renders
    it, and what it shows by ids, so a live queue is sent again only when that changed."""
    size = settings.FORUMS_PAGE_SIZE
    waiting = list(posts_awaiting_approval(moderator)[:size])
    reports = open_flags(moderator)
    flags = list(reports[:size])
    report_count = len(flags) if len(flags) < size else reports.count()
    shown = (tuple(p.pk for p in waiting), tuple(f.pk for f in flags), report_count)
    html = render_to_string(
        "forums/includes/moderation_lists.html",
        {
            "waiting": waiting,
            "flags": flags,
            "report_count": report_count,
            "reject_form": HideForm(),
        },
    )
    return shown, html
