"""Sections of the home page that come from other apps.

``library`` owns the home page but may not import ``courses`` or ``forums`` (apps depend
downwards); ``config`` wires the apps together, so the home page's template asks these tags,
and each tag asks its app's own selectors.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.simple_tag
def featured_course_list(other_cards: Iterable[Any] = (), limit: int = 3) -> list[Any]:
    """The newest live courses, one version per course, in the reader's language if any.

    Their cover renditions and those of ``other_cards`` (the page's case studies, whose
    ``hero_image`` is loaded) are read in one query, before either kind of card is shown.
    """
    from courses.models import CoursePage
    from library.selectors import (
        live_public,
        one_version_per_translation,
        prefetch_card_renditions,
    )

    courses = one_version_per_translation(live_public(CoursePage.objects.all()), get_language())
    courses = courses.select_related("locale", "cover_image").order_by("-first_published_at", "-pk")
    courses = list(courses[:limit])
    images = [card.hero_image for card in other_cards] + [course.cover_image for course in courses]
    prefetch_card_renditions(images)
    return courses


@register.inclusion_tag("includes/home_forums.html", takes_context=True)
def forum_activity(context, topics: int = 5, dialogues: int = 3) -> dict[str, object]:
    """Upcoming live dialogues and the most active topics the visitor may see (one query)."""
    from forums import selectors

    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        from django.contrib.auth.models import AnonymousUser

        user = AnonymousUser()
    upcoming, active = selectors.forum_activity_for_home(user, dialogues=dialogues, topics=topics)
    return {"upcoming_dialogues": upcoming, "active_topics": active}
