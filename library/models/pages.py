"""The public face of the network as Wagtail pages.

The home page is the site root; the case study and resource indexes are its sections and gain
their child page types with the knowledge library.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

INTRO_FEATURES = ["bold", "italic", "link", "ol", "ul"]


class HomePage(Page):
    """The front door: what the network is, and where to go next."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "courses.CourseIndexPage",
        "library.CaseStudyIndexPage",
        "library.ResourceIndexPage",
    ]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("home page")


class CaseStudyIndexPage(Page):
    """Where visitors browse the partnerships' case studies."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["library.HomePage"]
    subpage_types = ["library.CaseStudyPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("case study index")


class ResourceIndexPage(Page):
    """Where visitors find guides, tools, reports, videos and datasets."""

    intro = RichTextField(_("introduction"), blank=True, features=INTRO_FEATURES)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["library.HomePage"]
    subpage_types = ["library.ResourcePage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("resource index")
