"""HTML fragments shared by the pages and the live updates.

A post looks the same whether it arrived with the page or over the socket, because both render
``forums/includes/post.html`` through ``post_context``. Fragments sent over a socket have no
CSRF token (there is no request); ``live.js`` copies the page's token into their forms.
"""

from __future__ import annotations

from collections import Counter

from django.conf import settings
from django.template.loader import render_to_string

from forums.forms import HideForm
from forums.models import REACTION_SYMBOLS, Notification, Post, ReactionKind, Topic
from forums.selectors import is_moderator, open_flags, posts_awaiting_approval


def reaction_summary(post: Post, viewer) -> list[dict]:
    """Each reaction kind with its count and whether the viewer gave it (prefetched rows)."""
    counts = Counter(reaction.kind for reaction in post.reactions.all())
    mine = (
        {r.kind for r in post.reactions.all() if r.user_id == viewer.pk}
        if viewer.is_authenticated
        else set()
    )
    return [
        {
            "kind": kind.value,
            "label": kind.label,
            "symbol": REACTION_SYMBOLS[kind],
            "count": counts.get(kind.value, 0),
            "mine": kind.value in mine,
        }
        for kind in ReactionKind
    ]


def post_context(post: Post, viewer, topic: Topic) -> dict:
    moderator = is_moderator(viewer)
    return {
        "post": post,
        "topic": topic,
        "viewer": viewer,
        "is_moderator": moderator,
        "can_edit": viewer.is_authenticated
        and (post.author_id == viewer.pk or moderator)
        and (not topic.locked or moderator),
        "can_write": viewer.is_authenticated,
        "reactions": reaction_summary(post, viewer),
    }


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
