"""Template helpers of the forums."""

from __future__ import annotations

from django import template

from forums import selectors

register = template.Library()


@register.filter
def is_forum_moderator(user) -> bool:
    return selectors.is_moderator(user)


@register.simple_tag(takes_context=True)
def unread_notification_count(context) -> int:
    """The header's unread count: one COUNT on the (user, read_at) index per signed-in page,
    none for anonymous visitors (the header asks only for signed-in members, whose pages are
    never page-cached). Counted, not cached: it is joined with what the member may still see,
    so a notification about a topic since hidden or left never counts, with nothing to drop."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return selectors.unread_notification_count(user)


@register.simple_tag
def open_report_count(user) -> int:
    """Open reports for a moderator's header; 0, with no query, for everyone else."""
    return selectors.open_flag_count(user)
