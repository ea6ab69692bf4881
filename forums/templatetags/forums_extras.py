"""Template helpers of the forums."""

from __future__ import annotations

from django import template

from forums import selectors

register = template.Library()


@register.filter
def is_forum_moderator(user) -> bool:
    return selectors.is_moderator(user)
