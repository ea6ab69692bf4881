"""What the library's writes change in the anonymous page cache (``config.page_cache``).

The library owns the site's page tree (the home page is its root), so the ``pages`` tag is
bumped here for every change Wagtail signals on any page type — publish, unpublish, move,
delete — and for the rows every page is built from: view restrictions, sites, locales, images
and documents. Saving a draft changes no public page and bumps nothing. The ``vocabularies``
tag follows the theme, ecosystem and SDG snippets.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from config.page_cache import bump

#: Fields a draft save or a revision writes on the page row: the live page does not change.
DRAFT_FIELDS = {
    "draft_title",
    "has_unpublished_changes",
    "latest_revision",
    "latest_revision_created_at",
    "locked",
    "locked_at",
    "locked_by",
}


def pages_changed(sender=None, **kwargs) -> None:
    bump("pages")


def page_saved(sender, instance, *, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A live page saved outside publishing (a script, a test) changes what visitors see.
    Connected for every sender: Django signals a page's save with its specific class."""
    if raw or not isinstance(instance, Page) or not instance.live:
        return
    if update_fields and set(update_fields) <= DRAFT_FIELDS:
        return
    bump("pages")


def page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        bump("pages")


def vocabulary_changed(sender, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump("vocabularies")


def connect() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from library.models import Ecosystem, SustainableDevelopmentGoal, Theme

    for signal, name in (
        (page_published, "published"),
        (page_unpublished, "unpublished"),
        (post_page_move, "moved"),
    ):
        signal.connect(pages_changed, dispatch_uid=f"library.cache.page_{name}")
    post_save.connect(page_saved, dispatch_uid="library.cache.page_saved")
    post_delete.connect(page_deleted, dispatch_uid="library.cache.page_deleted")
    for model in (
        PageViewRestriction,
        Site,
        Locale,
        get_image_model(),
        get_document_model(),
    ):
        post_save.connect(pages_changed, sender=model, dispatch_uid=f"library.cache.{model}")
        post_delete.connect(pages_changed, sender=model, dispatch_uid=f"library.cache.d.{model}")
    for model in (Theme, Ecosystem, SustainableDevelopmentGoal):
        for signal in (post_save, post_delete):
            signal.connect(vocabulary_changed, sender=model, dispatch_uid=f"lib.cache.{model}")
