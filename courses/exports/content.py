"""A course translation read once into plain data that both package formats write out.

Everything a package holds comes from here: the live modules and lessons in reading order,
each lesson's blocks as HTML that works away from the site (rich-text links made absolute,
images and documents copied into the package), its quizzes as ``courses.grading`` definitions,
and the files the HTML points at. Rendering runs in the course's language, so the block
labels ("Transcript", "Pause and reflect") and the page chrome are in the learner's language.

Identifiers come from translation keys and block ids, and the zip entries carry the date the
newest page was published: exporting the same course twice gives the same bytes.
"""

from __future__ import annotations

import datetime
import posixpath
import re
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.html import format_html

from courses.blocks import quiz_from_block
from courses.grading import Quiz
from courses.models import CoursePage, LessonPage
from courses.tree import build_course_tree

#: The lesson images' rendition in a package: the middle of the lesson page's ``srcset``.
IMAGE_SPEC = "width-720"
#: A document larger than this is linked on the site instead of copied into the package.
MAX_PACKAGED_DOCUMENT_BYTES = 20 * 1024 * 1024
#: The site's stylesheets every packaged lesson links (read from the static files).
STYLESHEETS = ("css/site.css", "courses/courses.css")

_SITE_RELATIVE = re.compile(r'(\s(?:href|src)=")(/[^/"][^"]*|/)(")')


@dataclass(frozen=True)
class BodyPart:
    """One block of a lesson: HTML ready for the package, or a quiz."""

    html: str = ""
    quiz_id: str = ""
    quiz: Quiz | None = None


@dataclass
class ExportLesson:
    key: uuid.UUID
    title: str
    url: str
    minutes: int
    number: int
    #: The lesson's file in the package, e.g. ``lessons/lesson-3.html``.
    path: str
    parts: list[BodyPart] = field(default_factory=list)

    @property
    def quizzes(self) -> list[BodyPart]:
        return [part for part in self.parts if part.quiz is not None]

    @property
    def identifier(self) -> str:
        return f"lesson-{self.key}"


@dataclass
class ExportModule:
    key: uuid.UUID
    title: str
    lessons: list[ExportLesson] = field(default_factory=list)

    @property
    def identifier(self) -> str:
        return f"module-{self.key}"


@dataclass
class CourseExport:
    key: uuid.UUID
    title: str
    summary: str
    language: str
    url: str
    site_name: str
    modules: list[ExportModule]
    #: Path in the package -> content: media and the site's stylesheets.
    files: dict[str, bytes]
    #: When the newest of the course's pages was published (the zip entries' date).
    published_at: datetime.datetime

    @property
    def lessons(self) -> list[ExportLesson]:
        return [lesson for module in self.modules for lesson in module.lessons]

    @property
    def identifier(self) -> str:
        return f"course-{self.key}"


def absolute_links(html: str, root_url: str) -> str:
    """Rich text links to the site's own pages (``/courses/...``) become full addresses: a
    package opens in another site, where a path of ours means nothing."""
    return _SITE_RELATIVE.sub(lambda match: f"{match[1]}{root_url}{match[2]}{match[3]}", html)


def _read(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


class _Collector:
    """Renders blocks for a package and gathers the files they point at."""

    def __init__(self, *, media_dir: str, root_url: str) -> None:
        self.media_dir = media_dir
        self.root_url = root_url
        self.files: dict[str, bytes] = {}

    def add(self, path: str, data: bytes) -> str:
        self.files.setdefault(path, data)
        return path

    def image(self, value) -> str:
        image = value["image"]
        if image is None:
            return ""
        rendition = image.get_rendition(IMAGE_SPEC)
        name = posixpath.basename(rendition.file.name)
        path = self.add(f"{self.media_dir}/images/{name}", _read(rendition.file))
        return render_to_string(
            "courses/exports/blocks/image.html",
            {
                "src": f"../{path}",
                "width": rendition.width,
                "height": rendition.height,
                "alt": value["alt_text"],
                "caption": value["caption"],
            },
        )

    def document(self, value) -> str:
        document = value["document"]
        if document is None:
            return ""
        size = document.get_file_size() or 0
        if size <= MAX_PACKAGED_DOCUMENT_BYTES:
            name = f"{document.pk}-{posixpath.basename(document.file.name)}"
            href = "../" + self.add(f"{self.media_dir}/documents/{name}", _read(document.file))
        else:
            href = self.root_url + document.url
        return render_to_string(
            "courses/exports/blocks/document.html",
            {"document": document, "href": href, "description": value["description"]},
        )

    def block(self, block, lesson: LessonPage) -> BodyPart:
        if block.block_type == "quiz":
            return BodyPart(quiz_id=block.id, quiz=quiz_from_block(block.value))
        if block.block_type == "image":
            return BodyPart(html=self.image(block.value))
        if block.block_type == "document":
            return BodyPart(html=self.document(block.value))
        html = block.render_as_block(context={"page": lesson})
        if block.block_type == "text":
            html = format_html('<div class="block-text">{}</div>', html)
        return BodyPart(html=absolute_links(str(html), self.root_url))


def read_course(course: CoursePage, *, media_dir: str) -> CourseExport:
    """The course's live modules and lessons, rendered for a package (``media_dir``: where
    images and documents go in it). Call inside ``translation.override(course language)``."""
    _site_id, root_url, _path = course.get_url_parts() or (None, None, None)
    root_url = (root_url or settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    course_url = course.get_full_url() or root_url + "/"
    collector = _Collector(media_dir=media_dir, root_url=root_url)
    outline = build_course_tree(course).outline
    lesson_ids = [lesson.pk for module in outline for lesson in module.lessons]
    pages = {page.pk: page for page in LessonPage.objects.filter(pk__in=lesson_ids)}
    modules: list[ExportModule] = []
    published = [course.last_published_at]
    number = 0
    for entry in outline:
        module = ExportModule(key=entry.module.translation_key, title=entry.module.title)
        for tree_lesson in entry.lessons:
            page = pages.get(tree_lesson.pk)
            if page is None:
                continue
            number += 1
            published.append(page.last_published_at)
            lesson = ExportLesson(
                key=page.translation_key,
                title=page.title,
                url=course_url + tree_lesson.relative_url,
                minutes=page.estimated_minutes,
                number=number,
                path=f"lessons/lesson-{number}.html",
            )
            lesson.parts = [collector.block(block, page) for block in page.body]
            module.lessons.append(lesson)
        if module.lessons:  # an empty chapter would be an empty folder in the learning system
            modules.append(module)
    for stylesheet in STYLESHEETS:
        found = finders.find(stylesheet)
        with open(found, "rb") as handle:
            collector.add(f"{media_dir}/css/{posixpath.basename(stylesheet)}", handle.read())
    return CourseExport(
        key=course.translation_key,
        title=course.title,
        summary=course.summary,
        language=course.locale.language_code,
        url=course_url,
        site_name=settings.WAGTAIL_SITE_NAME,
        modules=modules,
        files=collector.files,
        published_at=max(
            (moment for moment in published if moment is not None),
            default=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC),
        ),
    )
