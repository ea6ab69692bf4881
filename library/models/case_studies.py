"""Case studies: what a landscape partnership tried, where, and what changed in figures."""

from __future__ import annotations

import datetime
import functools
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from config.page_cache import BASE_TAGS
from config.renditions import prefetch_renditions
from library.blocks import BodyBlock
from library.models.pages import CachedRestrictionsMixin
from network.geography import (
    Region,
    area_hectares_field,
    latitude_field,
    longitude_field,
    validate_coordinates_pair,
)
from network.vocabulary_terms import VocabularyTerms

EARLIEST_YEAR = 1950
#: The hero image's renditions the page shows (``case_study_page.html``: the ``og:image`` and
#: the ``srcset``), read together in one query rather than one per tag.
HERO_RENDITION_SPECS = (
    "fill-1200x630|format-jpeg",
    "width-480|format-webp",
    "width-960|format-webp",
    "width-1440|format-webp",
)
#: The body's figures' renditions (``library/blocks/figure.html``'s ``srcset``).
FIGURE_RENDITION_SPECS = ("width-400", "width-800", "width-1200")


def validate_year(value: int) -> None:
    latest = datetime.date.today().year + 1
    if not EARLIEST_YEAR <= value <= latest:
        raise ValidationError(
            _("Give a year between %(earliest)s and %(latest)s.")
            % {"earliest": EARLIEST_YEAR, "latest": latest},
            code="year_out_of_range",
        )


class CaseStudyPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "library.CaseStudyPage", related_name="tagged_items", on_delete=models.CASCADE
    )


class CaseStudyPage(VocabularyTerms, CachedRestrictionsMixin, Page):
    """One partnership's experience, described so another partnership can learn from it.

    Where, how big, which themes and what changed (outcomes as figures with units) are fields,
    not prose, so listings, facets, the map and search can use them.
    """

    summary = models.TextField(
        _("summary"),
        validators=[MaxLengthValidator(400)],
        help_text=_("One or two sentences shown in listings, feeds and link previews."),
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("main image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partnership = models.ForeignKey(
        "network.LandscapePartnership",
        verbose_name=_("landscape partnership"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case_studies",
    )
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    latitude = latitude_field()
    longitude = longitude_field()
    area_hectares = area_hectares_field()
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[validate_year], help_text=_("When the work started or was reported.")
    )
    themes = ParentalManyToManyField("library.Theme", verbose_name=_("themes"), blank=True)
    ecosystems = ParentalManyToManyField(
        "library.Ecosystem", verbose_name=_("ecosystems"), blank=True
    )
    sdgs = ParentalManyToManyField(
        "library.SustainableDevelopmentGoal",
        verbose_name=_("sustainable development goals"),
        blank=True,
    )
    partners = ParentalManyToManyField(
        "network.Organisation",
        verbose_name=_("partner organisations"),
        blank=True,
        related_name="case_studies",
    )
    tags = ClusterTaggableManager(through=CaseStudyPageTag, blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("story"))

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("hero_image"),
        FieldPanel("body"),
        InlinePanel("outcomes", heading=_("Outcomes"), label=_("Outcome")),
    ]
    place_panels = [
        FieldPanel("partnership"),
        FieldRowPanel([FieldPanel("country"), FieldPanel("region")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Location on the map"),
        ),
        FieldRowPanel([FieldPanel("area_hectares"), FieldPanel("year")]),
    ]
    topic_panels = [
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
        FieldPanel("ecosystems", widget=forms.CheckboxSelectMultiple),
        FieldPanel("sdgs"),
        FieldPanel("partners"),
        FieldPanel("tags"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(place_panels, heading=_("Place")),
            ObjectList(topic_panels, heading=_("Topics")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("region"),
        index.FilterField("year"),
    ]
    api_fields = [
        APIField("summary"),
        APIField("country"),
        APIField("region"),
        APIField("latitude"),
        APIField("longitude"),
        APIField("area_hectares"),
        APIField("year"),
        APIField("theme_slugs"),
        APIField("ecosystem_slugs"),
        APIField("sdg_numbers"),
        APIField("partnership_name"),
        APIField("outcome_list"),
        APIField("tag_names"),
        APIField("body"),
    ]
    parent_page_types = ["library.CaseStudyIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("case study")
        verbose_name_plural = _("case studies")

    def clean(self) -> None:
        super().clean()
        validate_coordinates_pair(self.latitude, self.longitude)

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    def cache_dependencies(self, request: HttpRequest) -> tuple[str, ...]:
        """Anonymous visitors may get this page from the page cache (``config.page_cache``):
        it is built from itself and its translations (``page:<translation key>``), the frame
        every page shows (``pages.frame``: menu, its section), and the vocabularies and
        partnerships it names; not from other case studies, so publishing one keeps the rest."""
        return (f"page:{self.translation_key}", "vocabularies", "network.partnerships")

    def get_context(
        self, request: HttpRequest, *args, case_study_index: Page | None = None, **kwargs
    ) -> dict[str, Any]:
        """``case_study_index``: the page's index, when routing came through it (a preview
        reads it). What the page shows from other tables is read on first use
        (``CaseStudyDetails``): not at all when the template's fragments come from their
        cache."""
        context = super().get_context(request, *args, **kwargs)
        index = case_study_index or self.get_parent()
        context["case_study_index"] = index
        # The links of every theme and ecosystem start with it: resolved once, not per link.
        context["case_study_index_url"] = index.get_url(request)
        context["details"] = CaseStudyDetails(self, request)
        context["fragment_tags"] = " ".join((*self.cache_dependencies(request), *BASE_TAGS))
        if self.has_location:
            from library.selectors import map_point

            context["map_points"] = [map_point(self)]
        return context

    def structured_data(
        self, request: HttpRequest | None = None, *, relations=None
    ) -> dict[str, Any]:
        """schema.org ``Article`` about a ``Place``, for search engines and partner sites
        (``relations``: ``library.selectors.CaseStudyRelations`` when the caller has them)."""
        tags = relations.tags if relations is not None else self.tags.all()
        themes = relations.themes if relations is not None else self.themes.all()
        data: dict[str, Any] = {
            "@context": "https://schema.org",
            "@type": "Article",
            "headline": self.title,
            "description": self.summary,
            "url": self.get_full_url(request),
            "inLanguage": self.locale.language_code,
            "datePublished": self.first_published_at,
            "dateModified": self.last_published_at,
            "keywords": [tag.name for tag in tags],
            "about": [theme.name for theme in themes],
            "publisher": {"@type": "Organization", "name": settings.WAGTAIL_SITE_NAME},
            "contentLocation": {
                "@type": "Place",
                "name": str(self.country.name),
                "address": {"@type": "PostalAddress", "addressCountry": self.country.code},
            },
        }
        if self.has_location:
            data["contentLocation"]["geo"] = {
                "@type": "GeoCoordinates",
                "latitude": float(self.latitude),
                "longitude": float(self.longitude),
            }
        if self.partnership_id:
            data["sourceOrganization"] = {"@type": "Organization", "name": self.partnership.name}
        return data

    # Read-only values for the API: slugs and names, never people (the terms: VocabularyTerms).
    @property
    def partnership_name(self) -> str:
        return self.partnership.name if self.partnership_id else ""

    @property
    def outcome_list(self) -> list[dict[str, str]]:
        return [
            {"label": outcome.label, "value": str(outcome.value), "unit": outcome.unit}
            for outcome in self.outcomes.all()
        ]

    @property
    def tag_names(self) -> list[str]:
        return [tag.name for tag in self.tags.all()]


class CaseStudyDetails:
    """What a case study page shows from other tables: its relations (all in one query), its
    outcomes, and the renditions of its hero and figures (one query however many figures),
    read together the first time the template asks for any of them. The template keeps the
    parts that use them as fragments (``{% cached_fragment %}``) under the page's own tags, so
    a warm anonymous rendering reads none of it."""

    def __init__(self, page: CaseStudyPage, request: HttpRequest) -> None:
        self.page = page
        self.request = request

    @functools.cached_property
    def relations(self):
        from library.selectors import case_study_relations, case_study_relations_in_memory

        page = self.page
        if getattr(self.request, "is_preview", False):
            relations = case_study_relations_in_memory(page)
        else:
            relations = case_study_relations(page)
        prefetch_related_objects([page], "outcomes")
        figures = [block.value["image"] for block in page.body if block.block_type == "figure"]
        prefetch_renditions(
            [page.hero_image, *figures], HERO_RENDITION_SPECS + FIGURE_RENDITION_SPECS
        )
        return relations

    @property
    def outcomes(self) -> list[CaseStudyOutcome]:
        self.relations  # noqa: B018 -- reads the outcomes with the rest
        return list(self.page.outcomes.all())

    @property
    def hero_image(self):
        """The hero image, its renditions read (the template's ``{% image %}`` tags)."""
        self.relations  # noqa: B018 -- reads the renditions with the rest
        return self.page.hero_image

    @property
    def body(self):
        self.relations  # noqa: B018 -- reads the figures' renditions with the rest
        return self.page.body

    @functools.cached_property
    def structured_data(self) -> dict[str, Any]:
        return self.page.structured_data(self.request, relations=self.relations)


class CaseStudyOutcome(Orderable):
    """A change the partnership measured: 1,200 ha restored, 340 households with new income."""

    page = ParentalKey(CaseStudyPage, on_delete=models.CASCADE, related_name="outcomes")
    label = models.CharField(_("what changed"), max_length=160)
    value = models.DecimalField(_("figure"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=40, blank=True, help_text=_("ha, households, %…"))

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("value"), FieldPanel("unit")])]

    class Meta(Orderable.Meta):
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self) -> str:
        return f"{self.label}: {self.value} {self.unit}".strip()
