"""The "Save this course for offline" control, on the course page and the learner dashboard."""

from __future__ import annotations

from django import template

from courses.offline import cache_name

register = template.Library()


@register.inclusion_tag("courses/_offline_control.html")
def offline_control(course) -> dict[str, object]:
    """Hidden until ``js/offline.js`` finds a service worker to store the course with."""
    return {"course": course, "cache_name": cache_name(course)}
