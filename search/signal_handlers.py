"""Tell the index about changes, after commit, by ``(label, pk)``.

Pages are indexed when published, unpublished, deleted, moved behind or out of a view
restriction, and when a translation appears (each version lists the languages of the others).
Other indexed models are indexed on save and delete. Raw saves (fixtures) are skipped.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from config import commit
from search import sources


def _on_commit_once(key: str, callback) -> None:
    """Register ``callback`` after commit unless the same work is already waiting for it.

    One write often reaches the index several ways (a reply's ``post_save`` and the forum
    service both ask for the post), and on the embedded default each request runs the task
    inline. Django drops callbacks of rolled-back savepoints from ``run_on_commit``, so looking
    there is always current."""
    if commit.is_pending(lambda waiting: getattr(waiting, "search_work", None) == key):
        return

    def run() -> None:
        run.search_work = None  # done: a later write asks again
        callback()

    run.search_work = key
    commit.on_commit_late(run)  # broadcasts of the same write go first (config/commit.py)


def schedule_reindex(obj) -> None:
    if obj is None or not sources.is_indexed(type(obj)):
        return
    label, pk = sources.model_key(type(obj)), str(obj.pk)

    def enqueue() -> None:
        from search.tasks import reindex_object

        reindex_object.enqueue(label, pk)

    _on_commit_once(f"reindex {label}:{pk}", enqueue)


def schedule_removal(obj) -> None:
    if not sources.is_indexed(type(obj)):
        return
    key = sources.document_key(obj)

    def enqueue() -> None:
        from search.tasks import remove_document

        remove_document.enqueue(key)

    _on_commit_once(f"remove {key}", enqueue)


def _reindex_page_and_translations(page: Page) -> None:
    for version in page.get_translations(inclusive=True).specific():
        schedule_reindex(version)


def _reindex_lessons_of_course(page: Page) -> None:
    """A course's enrolment mode decides who may find its lessons."""
    if sources.model_key(type(page)) == "courses.coursepage":
        for lesson in page.get_descendants().type(*_lesson_models()).specific():
            schedule_reindex(lesson)


def _lesson_models():
    from courses.models import LessonPage

    return (LessonPage,)


def on_page_published(sender, instance, **kwargs) -> None:
    _reindex_page_and_translations(instance.specific)
    _reindex_lessons_of_course(instance.specific)


def on_page_unpublished(sender, instance, **kwargs) -> None:
    _reindex_page_and_translations(instance.specific)
    _reindex_lessons_of_course(instance.specific)


def on_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or isinstance(instance, Page):
        return  # pages go through publish/unpublish, not every draft save
    schedule_reindex(instance)
    label = sources.model_key(sender)
    if label == "network.organisation":
        for partnership in instance.partnerships.all():
            schedule_reindex(partnership)
    elif label == "forums.topic":
        # Moving or hiding a topic changes who may find each of its posts.
        for post in instance.posts.all():
            schedule_reindex(post)


def on_category_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """A category turning private (or public) changes the audience of all it holds."""
    if raw:
        return
    for topic in instance.topics.all():
        schedule_reindex(topic)
        for post in topic.posts.all():
            schedule_reindex(post)


def on_deleted(sender, instance, **kwargs) -> None:
    schedule_removal(instance)


def on_restriction_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    page = instance.page
    for descendant in page.get_descendants(inclusive=True).specific():
        schedule_reindex(descendant)


def connect() -> None:
    page_published.connect(on_page_published, dispatch_uid="search.page_published")
    page_unpublished.connect(on_page_unpublished, dispatch_uid="search.page_unpublished")
    for model in sources.indexed_models():
        post_save.connect(on_saved, sender=model, dispatch_uid=f"search.saved.{model.__name__}")
        post_delete.connect(
            on_deleted, sender=model, dispatch_uid=f"search.deleted.{model.__name__}"
        )
    post_save.connect(
        on_restriction_changed, sender=PageViewRestriction, dispatch_uid="search.restriction.saved"
    )
    from forums.models import Category

    post_save.connect(on_category_saved, sender=Category, dispatch_uid="search.category.saved")
    post_delete.connect(
        on_restriction_changed,
        sender=PageViewRestriction,
        dispatch_uid="search.restriction.deleted",
    )
