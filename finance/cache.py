"""What finance's writes change in the anonymous page cache (``config.page_cache``) and the
proxy's.

- ``finance.projects``: the network-wide listing, its map, the CSV (every published project).
- ``finance.portfolio:<partnership slug>``: one partnership's portfolio page and its
  projects' pages (the views' keyword argument names it).

A project's row, its outcomes, goals and documents all change what both show, so each of their
writes bumps both (a draft's too: publishing or unpublishing is a save). The services call
:func:`project_changed` once per write, after their own rows are saved.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from config import proxy_cache
from config.page_cache import bump

LISTING_TAG = "finance.projects"
#: Declared by the views with their ``slug`` keyword argument.
PORTFOLIO_TAG = "finance.portfolio:{slug}"


def portfolio_tag(slug: str) -> str:
    return PORTFOLIO_TAG.format(slug=slug)


def project_changed(project) -> None:
    """Drop the listing and the partnership's portfolio, here and in the proxy."""
    from django.urls import reverse

    slug = project.partnership.slug
    bump(LISTING_TAG, portfolio_tag(slug))
    urls = [reverse("finance:listing")]
    urls.append(reverse("finance:portfolio", kwargs={"slug": slug}))
    if project.slug:
        urls.append(reverse("finance:project", kwargs={"slug": slug, "project_slug": project.slug}))
    proxy_cache.purge_urls(urls)


def _saved_or_deleted(sender, instance, *, raw: bool = False, **kwargs) -> None:
    """A save from the admin or a shell (not through the services) still drops the pages."""
    if not raw:
        project_changed(instance)


def connect() -> None:
    from finance.models import Project

    for signal in (post_save, post_delete):
        signal.connect(_saved_or_deleted, sender=Project, dispatch_uid=f"finance.cache.{signal}")
