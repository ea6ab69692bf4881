"""What the library's writes change in the anonymous page cache (``config.page_cache``).

The library owns the site's page tree (the home page is its root), so the page tags are
bumped here for every change Wagtail signals on any page type — publish, unpublish, move,
delete — and for the rows every page is built from. Three tags, from narrow to wide:

- ``page:<translation key>``: the page and its translations (what a detail page declares),
  and the pages below it that are not in the frame (a course's modules and lessons: the
  course page shows its outline, so a lesson published, unpublished or moved drops it);
- ``pages``: any page's content (listings, the home page, a course's outline declare it);
- ``pages.frame``: what every page shows around its content (``config.page_cache.BASE_TAGS``):
  the home page and the menu's sections (depth <= ``FRAME_DEPTH``), and whatever changes
  addresses or access for many pages at once: moves, deletions, view restrictions, sites,
  locales, images and documents.

Every page change bumps ``pages`` and its own ``page:`` tag; the frame only when it is one of
those. Saving a draft changes no public page and bumps nothing. The ``vocabularies`` tag
follows the theme, ecosystem and SDG snippets.

The same page writes purge the production shape's proxy (``config.proxy_cache``), after commit
and under every language prefix: a page published or unpublished (Wagtail's frontend cache
invalidation purges only its own URL) and a moved page, at its old and new address, with the
parent listings that show it and the home page; a view restriction saved or deleted, the page
and its live descendants (at most ``MAX_PURGED_DESCENDANTS``; the rest expire after
``PROXY_CACHE_SECONDS``).
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from config import proxy_cache
from config.page_cache import bump

#: A restriction or a move purges at most this many descendants' addresses.
MAX_PURGED_DESCENDANTS = 500

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


#: The home page (2) and its children, the menu's sections (3): shown in every page's frame.
FRAME_DEPTH = 3


def _page_tags(page: Page, *, frame: bool = False) -> list[str]:
    tags = ["pages", f"page:{page.translation_key}"]
    if frame or page.depth <= FRAME_DEPTH:
        tags.append("pages.frame")
    # Ancestors below the frame show this page in their own content (a course its lessons'
    # titles): one query, on a write only.
    ancestor_paths = [
        page.path[: depth * Page.steplen] for depth in range(FRAME_DEPTH + 1, page.depth)
    ]
    if ancestor_paths:
        keys = Page.objects.filter(path__in=ancestor_paths).values_list(
            "translation_key", flat=True
        )
        tags += [f"page:{key}" for key in keys]
    return tags


def pages_changed(sender=None, **kwargs) -> None:
    """A row every page may be built from (a site, a locale, an image, a document)."""
    bump("pages", "pages.frame")


def _home_urls(page: Page) -> list[str]:
    site = page.get_site()
    return proxy_cache.page_urls(site.root_page) if site is not None else ["/"]


def page_published_or_unpublished(sender, instance, **kwargs) -> None:
    """Purge the page, its parent's listing and the home page (after commit)."""
    bump(*_page_tags(instance))
    if not proxy_cache.enabled():
        return
    parent = instance.get_parent()
    urls = proxy_cache.page_urls(instance) + _home_urls(instance)
    if parent is not None:
        urls += proxy_cache.page_urls(parent)
    proxy_cache.purge_urls(urls)


def page_moved(sender, instance, *, url_path_before: str, url_path_after: str, **kwargs) -> None:
    """Purge the page and its descendants at their old and new addresses, both parents'
    listings and the home page."""
    bump(*_page_tags(instance, frame=True))
    if not proxy_cache.enabled():
        return
    urls = _home_urls(instance)
    for parent in (kwargs.get("parent_page_before"), kwargs.get("parent_page_after")):
        if parent is not None:
            urls += proxy_cache.page_urls(parent)
    pages = [instance, *instance.get_descendants().live()[:MAX_PURGED_DESCENDANTS]]
    roots = [
        root for root in Site.get_site_root_paths() if url_path_before.startswith(root.root_path)
    ]
    for page in pages:
        urls += proxy_cache.page_urls(page)
        old_path = url_path_before + page.url_path[len(url_path_after) :]
        urls += [root.root_url + "/" + old_path[len(root.root_path) :] for root in roots]
    proxy_cache.purge_urls(urls)


def restriction_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    """A page's view restriction saved or deleted: the page and its live descendants."""
    if raw:
        return
    bump("pages", "pages.frame")
    if not proxy_cache.enabled():
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:
        return
    urls = []
    for each in [page, *page.get_descendants().live()[:MAX_PURGED_DESCENDANTS]]:
        urls += proxy_cache.page_urls(each)
    proxy_cache.purge_urls(urls)


def page_saved(sender, instance, *, raw: bool = False, update_fields=None, **kwargs) -> None:
    """A live page saved outside publishing (a script, a test) changes what visitors see.
    Connected for every sender: Django signals a page's save with its specific class."""
    if raw or not isinstance(instance, Page) or not instance.live:
        return
    if update_fields and set(update_fields) <= DRAFT_FIELDS:
        return
    bump(*_page_tags(instance))


def page_deleted(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page):
        bump(*_page_tags(instance, frame=True))


def vocabulary_changed(sender, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump("vocabularies")


def connect() -> None:
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model

    from library.models import Ecosystem, SustainableDevelopmentGoal, Theme

    page_published.connect(page_published_or_unpublished, dispatch_uid="library.cache.published")
    page_unpublished.connect(page_published_or_unpublished, dispatch_uid="library.cache.unpub")
    post_page_move.connect(page_moved, dispatch_uid="library.cache.page_moved")
    post_save.connect(page_saved, dispatch_uid="library.cache.page_saved")
    post_delete.connect(page_deleted, dispatch_uid="library.cache.page_deleted")
    post_save.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="lib.cache.r")
    post_delete.connect(restriction_changed, sender=PageViewRestriction, dispatch_uid="lib.c.dr")
    for model in (
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
