"""A course's live modules and lessons as plain data: what its outline, its lesson navigation and
its learners' progress are built from.

The course page and every lesson page show the tree, so it is cached (``courses.selectors``)
until a page changes. A cache shared by every process holds data, never pickled ``Page``
objects (they carry their parents, their revisions and whatever a request left on them, and
outlive the code that made them): each entry is a few strings and numbers read in one query.
Links are made per request from the course's own URL, so one cached tree serves every host and
language prefix.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace

from django.db.models import Exists, OuterRef
from django.db.models.functions import Length, Substr
from wagtail.models import Page, PageViewRestriction


@dataclass(frozen=True)
class TreePage:
    """A module or a lesson of a course, as an outline or a lesson's navigation shows it."""

    pk: int
    title: str
    translation_key: uuid.UUID
    #: The page's place in Wagtail's tree (its module's ``path`` is this without the last step).
    path: str
    #: The page's URL below the course's: ``"module-1/lesson-2/"``.
    relative_url: str
    #: Whether it lies under a view restriction below the course's (its own or its module's).
    restricted: bool = False
    #: Set per request by ``CourseTree.linked``.
    url: str = ""


@dataclass
class ModuleOutline:
    module: TreePage
    lessons: list[TreePage] = field(default_factory=list)


@dataclass(frozen=True)
class CourseTree:
    """A course's live modules and live lessons in reading order (module order, then lesson
    order). ``lessons`` holds every live lesson, also those of a module not live (Wagtail
    serves them); the outline shows only the modules that are live, with their lessons."""

    modules: tuple[TreePage, ...]
    lessons: tuple[TreePage, ...]

    @property
    def outline(self) -> list[ModuleOutline]:
        outlines = [ModuleOutline(module=module) for module in self.modules]
        by_path = {outline.module.path: outline for outline in outlines}
        for lesson in self.lessons:
            outline = by_path.get(lesson.path[: -Page.steplen])
            if outline is not None:
                outline.lessons.append(lesson)
        return outlines

    @property
    def public_outline(self) -> list[ModuleOutline]:
        """The outline less the modules and lessons under a view restriction below the
        course's: what the course page lists (a restricted lesson's title is for those the
        restriction lets in; whoever may read the course page passed the course's own)."""
        return [
            ModuleOutline(
                module=outline.module,
                lessons=[lesson for lesson in outline.lessons if not lesson.restricted],
            )
            for outline in self.outline
            if not outline.module.restricted
        ]

    def module_of(self, lesson_path: str) -> TreePage | None:
        """The live module holding the lesson at ``lesson_path``, if it is live."""
        module_path = lesson_path[: -Page.steplen]
        return next((module for module in self.modules if module.path == module_path), None)

    def linked(self, course_url: str) -> CourseTree:
        """The tree with each page's URL, below ``course_url`` (the course's URL as this request
        sees it: its host and language prefix)."""
        return CourseTree(
            modules=tuple(replace(m, url=course_url + m.relative_url) for m in self.modules),
            lessons=tuple(replace(p, url=course_url + p.relative_url) for p in self.lessons),
        )


def build_course_tree(course: Page) -> CourseTree:
    """The tree from the database: one query for the modules and lessons together (they are
    the course's children and grandchildren, told apart by depth), with whether each lies
    under a view restriction below the course (an ancestor's tree path is a prefix of its
    descendants', treebeard's materialised path, as ``config.page_cache`` reads it)."""
    below_course = PageViewRestriction.objects.filter(
        page__depth__gt=course.depth,
        page__path=Substr(OuterRef("path"), 1, Length("page__path")),
    )
    rows = (
        Page.objects.live()
        .descendant_of(course)
        .filter(depth__lte=course.depth + 2)
        .annotate(restricted=Exists(below_course))
        .order_by("path")
        .values_list("pk", "title", "translation_key", "path", "url_path", "depth", "restricted")
    )
    modules, lessons = [], []
    for pk, title, translation_key, path, url_path, depth, restricted in rows:
        entry = TreePage(
            pk=pk,
            title=title,
            translation_key=translation_key,
            path=path,
            relative_url=url_path[len(course.url_path) :],
            restricted=restricted,
        )
        (modules if depth == course.depth + 1 else lessons).append(entry)
    return CourseTree(modules=tuple(modules), lessons=tuple(lessons))
