"""Invalidate the page cache (``config.page_cache``) when what pages are built from changes.

Connected in ``SiteConfig.ready()``, so writes from the admin, a management command or a
background worker all count. Each model maps to the one family of content it belongs to;
models that change without changing any public page (presence heartbeats, read states,
notifications, learners' records, image renditions made while rendering) are left out on
purpose, or every heartbeat would empty the cache.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from config.page_cache import bump

#: ``app_label.model_name`` -> family. Pages are recognised by type (every page model).
FAMILY_OF_MODEL = {
    "wagtailcore.pageviewrestriction": "pages",
    "wagtailcore.site": "pages",
    "wagtailcore.locale": "pages",
    "wagtailimages.image": "pages",
    "wagtaildocs.document": "pages",
    "library.theme": "vocabularies",
    "library.ecosystem": "vocabularies",
    "library.sustainabledevelopmentgoal": "vocabularies",
    "network.user": "network",
    "network.organisation": "network",
    "network.landscapepartnership": "network",
    "network.partnershipmembership": "network",
    "network.organisationmembership": "network",
    "forums.category": "forums",
    "forums.topic": "forums",
    "forums.post": "forums",
    "forums.topicevent": "forums",
    "forums.dialoguesession": "forums",
}
#: Saves that touch only these fields change no page (a login stamps ``last_login``).
_INVISIBLE_UPDATES = {"network.user": {"last_login"}}


def _family(sender) -> str | None:
    if isinstance(sender, type) and issubclass(sender, Page):
        return "pages"
    meta = getattr(sender, "_meta", None)
    return FAMILY_OF_MODEL.get(meta.label_lower) if meta else None


def content_saved(sender, *, raw: bool = False, update_fields=None, **kwargs) -> None:
    if raw:  # loading fixtures
        return
    family = _family(sender)
    if family is None:
        return
    invisible = _INVISIBLE_UPDATES.get(sender._meta.label_lower)
    if invisible and update_fields and set(update_fields) <= invisible:
        return
    bump(family)


def content_deleted(sender, **kwargs) -> None:
    if family := _family(sender):
        bump(family)


def relations_changed(sender, *, instance, action: str, **kwargs) -> None:
    if action.startswith("post_") and (family := _family(type(instance))):
        bump(family)


def page_changed(sender, **kwargs) -> None:
    bump("pages")


def connect() -> None:
    post_save.connect(content_saved, dispatch_uid="page_cache.content_saved")
    post_delete.connect(content_deleted, dispatch_uid="page_cache.content_deleted")
    m2m_changed.connect(relations_changed, dispatch_uid="page_cache.relations_changed")
    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("moved", post_page_move),
    ):
        signal.connect(page_changed, dispatch_uid=f"page_cache.page_{name}")
