"""Which course or lesson of ours a launch opens.

The platform's resource link names it in one of two ways: a custom parameter set when the link
was made (``lesson=<page id>`` or ``course=<page id>``), or its ``target_link_uri``, the
address of the lesson or course page on this site (in any of its languages). Only live pages
of our own site count; anything else is no target.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest
from wagtail.models import Page, Site

from courses import selectors
from courses.models import CoursePage, LessonPage

CUSTOM_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/custom"
TARGET_LINK_URI_CLAIM = "https://purl.imsglobal.org/spec/lti/claim/target_link_uri"


@dataclass(frozen=True)
class Target:
    course: CoursePage
    lesson: LessonPage | None

    @property
    def page(self) -> Page:
        return self.lesson or self.course


def _page_by_id(value: object) -> Page | None:
    try:
        page_id = int(str(value))
    except ValueError:
        return None
    if not 0 < page_id < 2**31:
        return None
    return Page.objects.live().filter(pk=page_id).first()


def _page_by_address(address: str, request: HttpRequest) -> Page | None:
    parts = urlsplit(address)
    if parts.netloc and parts.netloc != request.get_host():
        return None
    site = Site.find_for_request(request)
    if site is None:
        return None
    components = [component for component in parts.path.split("/") if component]
    languages = {code for code, _name in settings.LANGUAGES}
    if components and components[0] in languages:
        components = components[1:]
    rest = "".join(f"{component}/" for component in components)
    roots = Page.objects.filter(translation_key=site.root_page.translation_key)
    candidates = [root.url_path + rest for root in roots.only("url_path")]
    return Page.objects.live().filter(url_path__in=candidates).first()


def launch_target(*, claims: dict, request: HttpRequest) -> Target | None:
    custom = claims.get(CUSTOM_CLAIM) or {}
    page = None
    if isinstance(custom, dict):
        for name in ("lesson", "course"):
            if custom.get(name):
                page = _page_by_id(custom[name])
                break
    if page is None and isinstance(claims.get(TARGET_LINK_URI_CLAIM), str):
        page = _page_by_address(claims[TARGET_LINK_URI_CLAIM], request)
    if page is None:
        return None
    page = page.specific
    if isinstance(page, CoursePage):
        return Target(course=page, lesson=None)
    if isinstance(page, LessonPage):
        course = selectors.course_of(page)
        return Target(course=course, lesson=page) if course else None
    return None
