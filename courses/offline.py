"""What a learner's phone stores to read a course without a connection: the offline manifest.

"Save this course for offline" (``courses/templates/courses/_offline_control.html``) asks the
service worker (``site/templates/offline/sw.js``) to store exactly the URLs this manifest lists,
in one cache per course. The manifest is served behind the lessons' own access check
(``courses.access``) and lists only what that learner may read anyway:

- the course page (its outline) and every live lesson of the course in the language of the
  course asked for (each translation of a course is its own page id);
- each lesson's images at the phone-sized rendition (``width-360``, what a 360 px screen picks
  from the lesson's ``srcset``) and the course cover at ``width-400``;
- the site's stylesheets and scripts under the names ``static()`` gives them (hashed in
  production), so a saved page looks and behaves as online.

Video transcripts are part of the lesson HTML; videos themselves are never listed. Quizzes are
part of the lesson HTML too, which carries questions and choices only (the answer keys stay in
``courses.grading`` on the server). A page under a view restriction (a partnership-private
section, a password) is never listed, whoever asks.

Each entry carries a version (a lesson's ``last_published_at``; the course page's, a digest of
its outline; a file's URL and the code release), so the worker refreshes only what changed and
can tell a learner reading offline that a lesson was republished since it was saved.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from wagtail.models import PageViewRestriction

from config.renditions import prefetch_renditions
from courses import selectors
from courses.models import CoursePage

#: The rendition of a lesson image a phone reads offline (the smallest of the lesson's srcset).
OFFLINE_IMAGE_SPEC = "width-360|format-webp"
#: The cover's rendition a phone-sized course page picks from its srcset.
OFFLINE_COVER_SPEC = "width-400"
#: The static files every saved page links (``base.html`` and the course templates).
OFFLINE_ASSETS = (
    "css/site.css",
    "courses/courses.css",
    "js/offline.js",
    "forums/notifications.js",  # every signed-in page's, so every saved page's too
    "img/logo.svg",
    "img/favicon.svg",
)


def cache_name(course: CoursePage) -> str:
    """The per-course cache on the device (one per translation: its URLs differ)."""
    return f"lc-offline-course-{course.pk}"


def _restricted_paths() -> tuple[str, ...]:
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def course_offline_manifest(*, course: CoursePage, request: HttpRequest) -> dict[str, object]:
    """The manifest for one enrolled learner (the caller has checked access): plain data,
    serialised as JSON by the view."""
    restricted = _restricted_paths()
    tree = selectors.course_tree(course=course, request=request)
    entries: list[dict[str, str]] = []
    # startswith(()) is False: no restriction anywhere leaves every page in.
    if not course.path.startswith(restricted):
        lessons = {lesson.pk: lesson for lesson in selectors.course_lessons(course, with_body=True)}
        readable = [
            (entry, lessons[entry.pk])
            for entry in tree.lessons
            if entry.pk in lessons and not entry.path.startswith(restricted)
        ]
        images = [
            block.value["image"]
            for _entry, lesson in readable
            for block in lesson.body
            if block.block_type == "image"
        ]
        prefetch_renditions([course.cover_image, *images], [OFFLINE_IMAGE_SPEC, OFFLINE_COVER_SPEC])
        outline = hashlib.sha256(
            "|".join(
                [
                    str(course.last_published_at),
                    *(f"{entry.pk}:{entry.title}:{entry.url}" for entry in tree.modules),
                    *(f"{entry.pk}:{entry.title}:{entry.url}" for entry, _lesson in readable),
                ]
            ).encode()
        ).hexdigest()[:16]
        entries.append({"url": course.get_url(request), "kind": "course", "version": outline})
        if course.cover_image is not None:
            url = course.cover_image.get_rendition(OFFLINE_COVER_SPEC).url
            entries.append({"url": url, "kind": "image", "version": url})
        seen: set[str] = set()
        for entry, lesson in readable:
            entries.append(
                {
                    "url": entry.url,
                    "kind": "lesson",
                    "title": entry.title,
                    "version": lesson.last_published_at.isoformat()
                    if lesson.last_published_at
                    else "",
                }
            )
            for block in lesson.body:
                if block.block_type == "image" and block.value["image"] is not None:
                    url = block.value["image"].get_rendition(OFFLINE_IMAGE_SPEC).url
                    if url not in seen:
                        seen.add(url)
                        entries.append({"url": url, "kind": "image", "version": url})
        for asset in OFFLINE_ASSETS:
            url = static(asset)
            entries.append({"url": url, "kind": "asset", "version": f"{url}@{settings.RELEASE}"})
    return {
        "course": {"id": course.pk, "title": course.title, "url": course.get_url(request)},
        # Whose copy this is: saved pages show that learner's name and progress, so a phone
        # signed in as someone else drops them (``js/offline.js``).
        "user": request.user.pk,
        "cache": cache_name(course),
        "language": get_language(),
        "generated_at": timezone.now().isoformat(),
        "entries": entries,
        "messages": {
            "saved_on": _("Saved on this device on {date}. You are reading the saved copy."),
            "outdated": _(
                "A newer version of this lesson has been published since it was saved. "
                "It will be updated at the next connection."
            ),
            "not_saved": _("You are offline, and this page is not saved on this device."),
            "updated": _("The newer version of this lesson is now saved on this device."),
            "reload": _("Read the newer version"),
            "saved_courses": _("Saved on this device"),
        },
    }
