"""The site's main navigation: the home page's menu sections, then the Django-served rooms."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import Page, Site

register = template.Library()


@register.inclusion_tag("includes/main_nav.html", takes_context=True)
def main_nav(context) -> dict[str, object]:
    request = context.get("request")
    items: list[dict[str, str]] = []
    site = Site.find_for_request(request) if request else None
    if site is not None:
        root = site.root_page.localized
        sections = Page.objects.child_of(root).live().public().in_menu().order_by("path")
        items = [{"label": page.title, "url": page.get_url(request) or "#"} for page in sections]
    items += [
        {"label": _("Forums"), "url": reverse("forums:index")},
        {"label": _("Network"), "url": reverse("network:directory")},
        {"label": _("Search"), "url": reverse("search:search")},
    ]
    current = request.path if request else ""
    for item in items:
        url = item["url"]
        item["current"] = url != "/" and current.startswith(url)
    return {"items": items}
