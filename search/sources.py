"""Where documents come from: one builder per indexed model, and the list of all of them.

``search`` is the one app allowed to import the others' models (DESIGN.md); each builder says
who may find the object (its audience) and returns ``None`` when nobody may (a draft, a page
behind a login), which removes it from the index.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from wagtail.coreutils import get_supported_content_language_variant

from search.text import plain, stream_text
from search.types import MEMBERS, PUBLIC, SearchDocument, course_audience, partnership_audience

Builder = Callable[[Any], SearchDocument | None]
_BUILDERS: dict[str, Builder] = {}
_QUERYSETS: dict[str, Callable[[], models.QuerySet]] = {}
Dependents = Callable[[Any], list[tuple[str, models.QuerySet]]]
_DEPENDENTS: dict[str, Dependents] = {}


def model_key(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model._meta.model_name}"


def document_key(obj: models.Model) -> str:
    return f"{model_key(type(obj))}:{obj.pk}"


def source(label: str, *, queryset: Callable[[], models.QuerySet]):
    """Register ``builder`` for the model ``app_label.model_name`` and how to list them all."""

    def register(builder: Builder) -> Builder:
        _BUILDERS[label] = builder
        _QUERYSETS[label] = queryset
        return builder

    return register


def dependents(label: str):
    """Register which documents are built partly from a ``label`` object (a topic's posts show
    its title and its category's audience): ``(label, queryset)`` pairs for one pk, which a
    background task reindexes together when the object changes in a way they read."""

    def register(function: Dependents) -> Dependents:
        _DEPENDENTS[label] = function
        return function

    return register


def dependents_of(label: str, pk: Any) -> list[tuple[str, models.QuerySet]]:
    function = _DEPENDENTS.get(label)
    return function(pk) if function is not None else []


def indexed_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in _BUILDERS]


def is_indexed(model: type[models.Model]) -> bool:
    return model_key(model) in _BUILDERS


def build(obj: models.Model) -> SearchDocument | None:
    """The document for one object, or None if it must not be findable."""
    builder = _BUILDERS.get(model_key(type(obj)))
    return builder(obj) if builder else None


def load(label: str, pk: Any) -> models.Model | None:
    """The object behind a key, fetched the way its builder expects (or None if gone)."""
    return _QUERYSETS[label]().filter(pk=pk).first()


def all_documents(batch_size: int = 500) -> Iterator[SearchDocument]:
    """Every findable document in the database, for a rebuild or a drift check."""
    for label in _BUILDERS:
        for obj in _QUERYSETS[label]().iterator(chunk_size=batch_size):
            document = build(obj)
            if document is not None:
                yield document


def count_sources() -> int:
    return sum(_QUERYSETS[label]().count() for label in _BUILDERS)


# --- Pages -------------------------------------------------------------------------------


def _page_is_findable(page) -> bool:
    """Live and without a view restriction: drafts and private pages never reach the index."""
    if not page.live or page.get_view_restrictions().exists():
        return False
    return True


@dependents("wagtailcore.page")
def _pages_below(pk) -> list[tuple[str, models.QuerySet]]:
    """A view restriction on a page decides whether it and every page below it may be found."""
    from wagtail.models import Page

    page = Page.objects.filter(pk=pk).first()
    if page is None:
        return []
    return [
        (label, _QUERYSETS[label]().descendant_of(page, inclusive=True))
        for label, model in ((label, apps.get_model(label)) for label in _BUILDERS)
        if issubclass(model, Page)
    ]


def _vocabulary_text(page) -> str:
    """Theme and ecosystem names in every language, and tags, so "agroforestry" finds what is
    filed under it even where the text never says the word."""
    names = []
    for relation in ("themes", "ecosystems"):
        for term in getattr(page, relation).all() if hasattr(page, relation) else ():
            names += [term.name, term.name_es, term.name_fr, term.name_pt]
    if hasattr(page, "tags"):
        names += [tag.name for tag in page.tags.all()]
    return " ".join(name for name in names if name)


def _standing_for_missing(versions: list[tuple[str, int]]) -> str:
    """The language of the version that readers of a language the page lacks see: the site's
    default language when the page exists in it, else the first written (lowest id): the
    rule the listings follow (``library.selectors.one_version_per_translation``)."""
    default = get_supported_content_language_variant(settings.LANGUAGE_CODE)
    languages = {language for language, _pk in versions}
    if default in languages:
        return default
    return min(versions, key=lambda version: version[1])[0]


def _page_fields(page) -> dict[str, Any]:
    """What every page's document carries, whatever its type."""
    language = page.locale.language_code
    versions = list(
        page.get_translations(inclusive=True).live().values_list("locale__language_code", "pk")
    ) or [(language, page.pk)]
    return {
        "key": document_key(page),
        "title": page.title,
        "url": page.get_url() or "",
        "language": language,
        "date": page.last_published_at or page.first_published_at,
        "group": str(page.translation_key),
        "translations": tuple(sorted(code for code, _pk in versions)),
        "stands_for_missing": _standing_for_missing(versions) == language,
        "tags": tuple(tag.name for tag in page.tags.all()) if hasattr(page, "tags") else (),
    }


PageBuilder = Callable[[Any], dict[str, Any] | None]


def page_source(label: str, *, queryset: Callable[[], models.QuerySet]):
    """Register a page type's builder, which returns only what is its own (kind, summary,
    body, audience, facets) or None. The findability check and the fields every page shares
    (``_page_fields``) are added here, once for every page type."""

    def register(builder: PageBuilder) -> Builder:
        @functools.wraps(builder)
        def build_page(page) -> SearchDocument | None:
            if not _page_is_findable(page):
                return None
            own = builder(page)
            return None if own is None else SearchDocument(**_page_fields(page), **own)

        return source(label, queryset=queryset)(build_page)

    return register


def _library_facets(page) -> dict[str, Any]:
    """The facets case studies and resources share."""
    return {
        "region": page.region,
        "year": page.year,
        "themes": tuple(theme.slug for theme in page.themes.all()),
        "ecosystems": tuple(ecosystem.slug for ecosystem in page.ecosystems.all()),
    }


def _case_studies():
    from library.models import CaseStudyPage

    return CaseStudyPage.objects.select_related("locale").prefetch_related(
        "themes", "ecosystems", "tagged_items__tag"
    )


@page_source("library.casestudypage", queryset=_case_studies)
def case_study_document(page) -> dict[str, Any]:
    return {
        "kind": "case_study",
        "summary": page.summary,
        "body": " ".join(
            [
                stream_text(page.body),
                " ".join(f"{o.label} {o.value} {o.unit}" for o in page.outcomes.all()),
                _vocabulary_text(page),
            ]
        ),
        "audience": PUBLIC,
        **_library_facets(page),
        "country": str(page.country.code or ""),
        "latitude": float(page.latitude) if page.latitude is not None else None,
        "longitude": float(page.longitude) if page.longitude is not None else None,
    }


def _resources():
    from library.models import ResourcePage

    return ResourcePage.objects.select_related("locale").prefetch_related(
        "themes", "ecosystems", "tagged_items__tag"
    )


@page_source("library.resourcepage", queryset=_resources)
def resource_document(page) -> dict[str, Any]:
    return {
        "kind": "resource",
        "summary": page.summary,
        "body": " ".join(
            [
                page.get_resource_type_display(),
                page.publisher,
                stream_text(page.body),
                _vocabulary_text(page),
            ]
        ),
        **_library_facets(page),
    }


# --- Events --------------------------------------------------------------------------------


def _events():
    from events.models import EventPage

    return EventPage.objects.select_related("locale").prefetch_related("themes")


@page_source("events.eventpage", queryset=_events)
def event_document(page) -> dict[str, Any]:
    """An event and, once it has ended, its organisers' notes (``events.EventNotes``, saved
    through the one sanitiser; saving them reindexes every language of the event). A
    members-only event is found by its partnership's members only."""
    from events.models import EventNotes

    notes = (
        EventNotes.objects.filter(event_key=page.translation_key)
        .values_list("search_text", flat=True)
        .first()
    )
    private = page.members_only and page.partnership_id
    return {
        "kind": "event",
        "summary": page.summary,
        "body": " ".join(
            [page.place, plain(page.description), notes or "", _vocabulary_text(page)]
        ),
        "audience": partnership_audience(page.partnership_id) if private else PUBLIC,
        "region": page.region,
        "themes": tuple(theme.slug for theme in page.themes.all()),
    }


# --- The network ---------------------------------------------------------------------------


def _partnerships():
    from network.models import LandscapePartnership

    return LandscapePartnership.objects.prefetch_related("organisations")


@source("network.landscapepartnership", queryset=_partnerships)
def partnership_document(partnership) -> SearchDocument:
    # Names of organisations are public; members (people) are never part of the text.
    organisations = " ".join(org.name for org in partnership.organisations.all())
    return SearchDocument(
        key=document_key(partnership),
        kind="partnership",
        title=partnership.name,
        url=partnership.get_absolute_url(),
        language="",
        summary=plain(partnership.description)[:400],
        body=f"{plain(partnership.description)} {organisations}",
        date=partnership.updated_at,
        region=partnership.region,
        country=str(partnership.country.code or ""),
        latitude=float(partnership.latitude) if partnership.latitude is not None else None,
        longitude=float(partnership.longitude) if partnership.longitude is not None else None,
    )


def _organisations():
    from network.models import Organisation

    return Organisation.objects.all()


@dependents("network.organisation")
def _partnerships_of(pk) -> list[tuple[str, models.QuerySet]]:
    """A partnership's document lists its organisations' names."""
    return [("network.landscapepartnership", _partnerships().filter(organisations=pk))]


@source("network.organisation", queryset=_organisations)
def organisation_document(organisation) -> SearchDocument:
    return SearchDocument(
        key=document_key(organisation),
        kind="organisation",
        title=organisation.name,
        url=organisation.get_absolute_url(),
        language="",
        summary=plain(organisation.description)[:400],
        body=" ".join(
            [
                organisation.get_type_display(),
                plain(organisation.description),
                plain(organisation.offers),
            ]
        ),
        date=organisation.created_at,
        country=str(organisation.country.code or ""),
    )


# --- Courses -------------------------------------------------------------------------------


def _course_audience(course) -> str:
    """Open courses' lessons are for any member (they can enrol at once); cohort courses'
    lessons for their enrolled learners and trainers only."""
    from courses.models import EnrolmentMode

    if course is not None and course.enrolment_mode == EnrolmentMode.OPEN:
        return MEMBERS
    return course_audience(course.translation_key) if course is not None else MEMBERS


def _courses():
    from courses.models import CoursePage

    return CoursePage.objects.select_related("locale")


@page_source("courses.coursepage", queryset=_courses)
def course_document(page) -> dict[str, Any]:
    return {
        "kind": "course",
        "summary": page.summary,
        "body": f"{plain(page.learning_outcomes)} {_vocabulary_text(page)}",
    }


def _lessons():
    from courses.models import LessonPage

    return LessonPage.objects.select_related("locale")


@dependents("courses.coursepage")
def _lessons_of(pk) -> list[tuple[str, models.QuerySet]]:
    """A lesson's document carries its course's title and enrolment mode (its audience)."""
    from courses.models import CoursePage

    course = CoursePage.objects.filter(pk=pk).first()
    return [] if course is None else [("courses.lessonpage", _lessons().descendant_of(course))]


@page_source("courses.lessonpage", queryset=_lessons)
def lesson_document(page) -> dict[str, Any] | None:
    from courses.models import CoursePage

    course = CoursePage.objects.ancestor_of(page).live().first()
    if course is None:
        return None
    # Quiz blocks hold the answers: they never reach the index.
    return {
        "kind": "lesson",
        "summary": f"{course.title}",
        "body": stream_text(page.body, skip_block_types=frozenset({"quiz"})),
        "audience": _course_audience(course),
    }


# --- Forums --------------------------------------------------------------------------------


def _category_audience(category) -> str:
    if category is not None and category.partnership_id:
        return partnership_audience(category.partnership_id)
    return PUBLIC


def _topics():
    from forums.models import Post, Topic

    # The opening post's text in the same query, so a category's topics are built in one.
    opening = Post.objects.filter(topic=OuterRef("pk"), hidden=False).order_by("created_at", "pk")
    return (
        Topic.objects.select_related("category")
        .prefetch_related("tags")
        .annotate(opening_text=Subquery(opening.values("search_text")[:1]))
    )


def _opening_text(topic) -> str:
    if hasattr(topic, "opening_text"):
        return topic.opening_text or ""
    opening = topic.posts.filter(hidden=False).order_by("created_at", "pk").first()
    return opening.search_text if opening else ""


@source("forums.topic", queryset=_topics)
def topic_document(topic) -> SearchDocument | None:
    if topic.hidden or topic.unlisted or topic.conversation:
        return None  # unlisted: read by link, found nowhere; conversations: participants only
    opening = _opening_text(topic)
    return SearchDocument(
        key=document_key(topic),
        kind="topic",
        title=topic.title,
        url=topic.get_absolute_url(),
        language="",
        summary=opening[:300],
        body=" ".join([opening, *(tag.name for tag in topic.tags.all())]),
        audience=_category_audience(topic.category),
        date=topic.last_post_at,
        tags=tuple(tag.name for tag in topic.tags.all()),
    )


def _posts():
    from forums.models import Post

    # Which post opens the topic, in the same query, so a topic's posts are built in one.
    opening = Post.objects.filter(topic=OuterRef("topic")).order_by("created_at", "pk")
    return Post.objects.select_related("topic__category").annotate(
        opening_post_id=Subquery(opening.values("pk")[:1])
    )


@dependents("forums.topic")
def _posts_of_topic(pk) -> list[tuple[str, models.QuerySet]]:
    """A post's document shows its topic's title and is found only while the topic is."""
    return [("forums.post", _posts().filter(topic_id=pk))]


@dependents("forums.category")
def _contents_of_category(pk) -> list[tuple[str, models.QuerySet]]:
    """A category's partnership is the audience of everything in it."""
    return [
        ("forums.topic", _topics().filter(category_id=pk)),
        ("forums.post", _posts().filter(topic__category_id=pk)),
        ("forums.dialoguesession", _dialogues().filter(category_id=pk)),
    ]


@source("forums.post", queryset=_posts)
def post_document(post) -> SearchDocument | None:
    topic = post.topic
    if post.hidden or topic.hidden or topic.unlisted or topic.conversation:
        return None
    if hasattr(post, "opening_post_id"):
        opening_id = post.opening_post_id
    else:
        opening_id = topic.posts.order_by("created_at", "pk").values_list("pk", flat=True).first()
    if opening_id == post.pk:
        return None  # the opening post is found through its topic
    return SearchDocument(
        key=document_key(post),
        kind="post",
        title=topic.title,
        url=post.get_absolute_url(),
        language="",
        summary=post.search_text[:300],
        body=post.search_text,
        audience=_category_audience(topic.category),
        date=post.edited_at or post.created_at,
    )


def _dialogues():
    from forums.models import DialogueSession

    return DialogueSession.objects.select_related("category")


@source("forums.dialoguesession", queryset=_dialogues)
def dialogue_document(session) -> SearchDocument:
    return SearchDocument(
        key=document_key(session),
        kind="dialogue",
        title=session.title,
        url=session.get_absolute_url(),
        language="",
        summary=plain(session.description)[:300],
        body=plain(session.description),
        audience=_category_audience(session.category),
        date=session.starts_at,
    )


# --- Landscape finance ---------------------------------------------------------------------


def _projects():
    from finance.models import Project

    return Project.objects.select_related("partnership").prefetch_related("sdgs", "outcomes")


@dependents("network.landscapepartnership")
def _projects_of(pk) -> list[tuple[str, models.QuerySet]]:
    """A project's document carries its partnership's name, region and country."""
    return [("finance.project", _projects().filter(partnership_id=pk))]


@source("finance.project", queryset=_projects)
def project_document(project) -> SearchDocument | None:
    """A published project seeking finance: public (a portfolio is for outside funders); a
    draft is not findable. Interest and conversations never reach the index."""
    from finance import bands

    if not project.published:
        return None
    partnership = project.partnership
    outcomes = " ".join(f"{o.label} {o.value} {o.unit}" for o in project.outcomes.all())
    goals = project.sdgs.all()
    return SearchDocument(
        key=document_key(project),
        kind="project",
        title=project.title,
        url=project.get_absolute_url(),
        language="",
        summary=plain(project.summary)[:400],
        body=" ".join(
            [
                plain(project.description),
                partnership.name,
                project.get_kind_display(),
                project.get_stage_display(),
                outcomes,
                " ".join(
                    name
                    for goal in goals
                    for name in (goal.name, goal.name_es, goal.name_fr, goal.name_pt)
                    if name
                ),
            ]
        ),
        audience=PUBLIC,
        date=project.updated_at,
        region=partnership.region,
        country=str(partnership.country.code or ""),
        latitude=float(project.latitude) if project.latitude is not None else None,
        longitude=float(project.longitude) if project.longitude is not None else None,
        finance_kind=project.kind,
        stage=project.stage,
        sdgs=tuple(goal.slug for goal in goals),
        amount=bands.facet_value(project.currency, project.amount_sought),
    )
