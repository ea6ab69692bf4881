"""Template helpers of the forums."""

from __future__ import annotations

from django import template

from forums import selectors

register = template.Library()


@register.filter
def is_forum_moderator(user) -> bool:
    return selectors.is_moderator(user)


@register.simple_tag
def open_report_count(user) -> int:
    """Open reports for a moderator's header; 0, with no query, for everyone else."""
    return selectors.open_flag_count(user)
