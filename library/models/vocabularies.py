"""Managed vocabularies for describing knowledge: themes, ecosystems and the SDGs.

Editors maintain them as snippets so listings, facets and the map group things the same way;
free text would split "agroforestry" from "Agroforestry " and break every filter. Each term
carries its own name in every shipped language, because editors (not translators of the code)
own these words.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.search import index

LOCALIZED_NAME_LANGUAGES = ("es", "fr", "pt")


class LocalizedTerm(index.Indexed, models.Model):
    """A term with a stable slug (used in URLs and facets) and a name in each language."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name (English)"), max_length=120)
    name_es = models.CharField(_("name (Spanish)"), max_length=120, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    name_pt = models.CharField(_("name (Portuguese)"), max_length=120, blank=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("name_es"), FieldPanel("name_fr"), FieldPanel("name_pt")],
            heading=_("Translations"),
        ),
    ]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        """The name in the active language, falling back to English."""
        language = (get_language() or "en").split("-")[0]
        if language in LOCALIZED_NAME_LANGUAGES:
            return getattr(self, f"name_{language}") or self.name
        return self.name


class Theme(LocalizedTerm):
    """What a piece of knowledge is about: restoration, agroforestry, finance..."""

    class Meta(LocalizedTerm.Meta):
        verbose_name = _("theme")
        verbose_name_plural = _("themes")


class Ecosystem(LocalizedTerm):
    """The kind of land or water a landscape holds: forest, drylands, wetlands..."""

    class Meta(LocalizedTerm.Meta):
        verbose_name = _("ecosystem")
        verbose_name_plural = _("ecosystems")


class SustainableDevelopmentGoal(LocalizedTerm):
    """One of the 17 UN Sustainable Development Goals, ordered by number."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)

    panels = [FieldPanel("number"), *LocalizedTerm.panels]

    class Meta(LocalizedTerm.Meta):
        ordering = ["number"]
        verbose_name = _("sustainable development goal")
        verbose_name_plural = _("sustainable development goals")

    @property
    def label(self) -> str:
        return f"{self.number}. {super().label}"
