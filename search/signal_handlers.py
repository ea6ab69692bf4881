"""Tell the index about changes, after commit, by ``(label, pk)``.

Pages are indexed when published, unpublished, deleted, moved behind or out of a view
restriction, and when a translation appears (each version lists the languages of the others).
Other indexed models are indexed on save and delete. Raw saves (fixtures) are skipped.

What is built partly from another object (a topic's posts, a category's topics and posts, a
partnership's organisations, a course's lessons, the pages below a view restriction) is
reindexed together, in one background task by the other object's ``(label, pk)``, and only
when a field it reads changed (``READ_BY_DEPENDENTS``): a write costs the same whatever the size
of what it touches.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

from asgiref.local import Local
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished

from config.loaded_values import changed_fields
from search import sources

#: The fields of an object that the documents of its dependents (``sources.dependents``) read:
#: only a change to one of them sends those documents back to the index.
READ_BY_DEPENDENTS: dict[str, tuple[str, ...]] = {
    "forums.topic": ("category", "hidden", "unlisted", "title"),
    "forums.category": ("partnership",),
    "network.organisation": ("name",),
    # A project's document shows its partnership's name, region and country (``finance``).
    "network.landscapepartnership": ("name", "region", "country", "slug"),
}


class _Work:
    """One piece of index work waiting for a commit, however many times it was asked for."""

    __slots__ = ("__weakref__", "callback", "done")

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.done = False


#: Work asked for and not yet run, by key, in this thread (or async context), like Django's
#: connections. Only the callbacks registered with ``on_commit`` hold the work: when a rollback
#: drops them, the entry goes too.
_waiting = Local()


def _on_commit_once(key: str, callback: Callable[[], None]) -> None:
    """Run ``callback`` once after commit, however often the same work is asked for before it.

    One write often reaches the index several ways (a reply's ``post_save`` and the forum
    service both ask for the post), and on the embedded default each request runs the task
    inline. Each request registers its own ``on_commit`` callback, so Django's own handling of
    savepoints stays in charge (a rolled-back savepoint drops its callbacks, and the work still
    runs if a callback that survived asks for it); the first to run does the work, the others
    find it done."""
    waiting = getattr(_waiting, "work", None)
    if waiting is None:
        waiting = _waiting.work = weakref.WeakValueDictionary()
    work = waiting.get(key)
    if work is None or work.done:
        work = waiting[key] = _Work(callback)

    def run() -> None:
        if work.done:
            return
        work.done = True  # a later write asks again, with new work
        work.callback()

    transaction.on_commit(run, robust=True)


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


def schedule_dependents(label: str, pk) -> None:
    """Reindex what is built partly from one object, in one background task after commit."""
    pk = str(pk)

    def enqueue() -> None:
        from search.tasks import reindex_dependents

        reindex_dependents.enqueue(label, pk)

    _on_commit_once(f"dependents {label}:{pk}", enqueue)


def _reindex_lessons_of_course(page: Page) -> None:
    """A course's title and enrolment mode (who may find its lessons) go into its lessons'
    documents; a page's draft is not compared with what was live, so every publication of a
    course counts (one task, whatever the number of lessons)."""
    label = sources.model_key(type(page))
    if label == "courses.coursepage":
        schedule_dependents(label, page.pk)


def on_page_published(sender, instance, **kwargs) -> None:
    _reindex_page_and_translations(instance.specific)
    _reindex_lessons_of_course(instance.specific)


def on_page_unpublished(sender, instance, **kwargs) -> None:
    _reindex_page_and_translations(instance.specific)
    _reindex_lessons_of_course(instance.specific)


def _reindex_dependents_if_read_fields_changed(instance, *, created: bool, update_fields) -> None:
    """Moving, hiding or renaming a topic changes its posts' documents; pinning or locking it
    does not, and then costs nothing more whatever the number of posts."""
    label = sources.model_key(type(instance))
    fields = READ_BY_DEPENDENTS.get(label)
    if not fields or created:  # nothing can depend yet on what was just created
        return
    if changed_fields(instance, fields, update_fields=update_fields):
        schedule_dependents(label, instance.pk)


def on_saved(
    sender, instance, raw: bool = False, created: bool = False, update_fields=None, **kwargs
) -> None:
    if raw or isinstance(instance, Page):
        return  # pages go through publish/unpublish, not every draft save
    schedule_reindex(instance)
    _reindex_dependents_if_read_fields_changed(
        instance, created=created, update_fields=update_fields
    )


def on_category_saved(
    sender, instance, raw: bool = False, created: bool = False, update_fields=None, **kwargs
) -> None:
    """A category turning private (or public) changes the audience of all it holds."""
    if raw:
        return
    _reindex_dependents_if_read_fields_changed(
        instance, created=created, update_fields=update_fields
    )


def on_deleted(sender, instance, **kwargs) -> None:
    schedule_removal(instance)
    if isinstance(instance, Page):
        # The other versions list one language less, and one may now stand for the missing.
        others = Page.objects.filter(translation_key=instance.translation_key)
        for version in others.exclude(pk=instance.pk).specific():
            schedule_reindex(version)


def on_restriction_changed(sender, instance, raw: bool = False, **kwargs) -> None:
    """A view restriction decides whether its page and every page below it may be found."""
    if raw:
        return
    schedule_dependents("wagtailcore.page", instance.page_id)


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
