"""Resources: guides, tools, reports, videos and datasets a practitioner can use tomorrow."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from library.blocks import BodyBlock
from library.models.case_studies import validate_year
from library.models.pages import CachedRestrictionsMixin
from network.geography import Region


class ResourceType(models.TextChoices):
    GUIDE = "guide", _("Guide")
    TOOL = "tool", _("Tool")
    REPORT = "report", pgettext_lazy("resource type", "Report")
    VIDEO = "video", _("Video")
    DATASET = "dataset", _("Dataset")


class Licence(models.TextChoices):
    CC_BY = "cc-by-4.0", _("Creative Commons Attribution 4.0")
    CC_BY_SA = "cc-by-sa-4.0", _("Creative Commons Attribution-ShareAlike 4.0")
    CC_BY_NC = "cc-by-nc-4.0", _("Creative Commons Attribution-NonCommercial 4.0")
    CC0 = "cc0-1.0", _("Public domain (CC0 1.0)")
    ODBL = "odbl-1.0", _("Open Database License 1.0")
    ALL_RIGHTS_RESERVED = "all-rights-reserved", _("All rights reserved")


class ResourcePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "library.ResourcePage", related_name="tagged_items", on_delete=models.CASCADE
    )


class ResourcePage(CachedRestrictionsMixin, Page):
    """A usable thing: a file hosted here or a link to where it lives, with its licence."""

    resource_type = models.CharField(_("type"), max_length=20, choices=ResourceType.choices)
    summary = models.TextField(
        _("summary"),
        validators=[MaxLengthValidator(400)],
        help_text=_("One or two sentences shown in listings, feeds and link previews."),
    )
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("file"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.URLField(_("link"), blank=True, help_text=_("Where the resource lives online."))
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(
        _("year published"), null=True, blank=True, validators=[validate_year]
    )
    region = models.CharField(
        _("region"), max_length=20, choices=Region.choices, blank=True, help_text=_("If any.")
    )
    themes = ParentalManyToManyField("library.Theme", verbose_name=_("themes"), blank=True)
    ecosystems = ParentalManyToManyField(
        "library.Ecosystem", verbose_name=_("ecosystems"), blank=True
    )
    tags = ClusterTaggableManager(through=ResourcePageTag, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("description"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("resource_type"), FieldPanel("licence")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("link")],
            heading=_("File or link"),
            help_text=_("Upload a file, give a link, or both."),
        ),
        FieldRowPanel([FieldPanel("publisher"), FieldPanel("year"), FieldPanel("region")]),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("ecosystems", widget=forms.CheckboxSelectMultiple),
        FieldPanel("tags"),
        FieldPanel("body"),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("resource_type"),
    ]
    api_fields = [
        APIField("resource_type"),
        APIField("summary"),
        APIField("licence"),
        APIField("publisher"),
        APIField("year"),
        APIField("region"),
        APIField("link"),
        APIField("download_url"),
        APIField("tag_names"),
    ]
    parent_page_types = ["library.ResourceIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def cache_dependencies(self, request: HttpRequest) -> tuple[str, ...]:
        """Anonymous visitors may get this page from the page cache (``config.page_cache``):
        it is built from itself and its translations (``page:<translation key>``), the frame
        every page shows (``pages.frame``) and the vocabularies it names."""
        return (f"page:{self.translation_key}", "vocabularies")

    def clean(self) -> None:
        super().clean()
        if not self.document_id and not self.link:
            raise ValidationError(
                {"link": _("Upload a file or give a link: a resource needs one of them.")}
            )

    @property
    def download_url(self) -> str:
        return self.document.url if self.document_id else ""

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]
