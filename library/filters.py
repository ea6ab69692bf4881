"""The listing filters visitors use, as forms: validation in one place, shareable GET URLs.

A filter that does not validate is dropped rather than failing the page, so an old or
hand-edited link still shows a listing (and never a server error).
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from library.models import Ecosystem, Theme
from library.models.case_studies import EARLIEST_YEAR
from library.models.resources import ResourceType
from network.geography import Region


def _blank(label) -> list[tuple[str, Any]]:
    return [("", label)]


def countries_with_counts(counts: dict[str, int], *, chosen: str | None) -> list[tuple[str, str]]:
    """The countries that have content, each with how much, by name in the reader's language
    (not ~250 countries, most of them empty). The chosen country stays a choice even with
    nothing there."""
    codes = set(counts)
    if chosen and chosen in countries:
        codes.add(chosen)
    named = [(code, str(countries.name(code))) for code in codes]
    return [
        (code, _("%(country)s (%(count)s)") % {"country": name, "count": counts.get(code, 0)})
        for code, name in sorted(named, key=lambda pair: pair[1])
    ]


class LocalizedTermChoiceField(forms.MultipleChoiceField):
    """Terms chosen by slug (stable in URLs), labelled in the reader's language.

    The terms come from the cached vocabulary (``library.selectors.vocabulary``), so neither
    drawing the checkboxes nor validating a choice costs a query; the cleaned value is the
    list of chosen terms.
    """

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(
            choices=self._choices_now, required=False, widget=forms.CheckboxSelectMultiple, **kwargs
        )

    def _terms_by_slug(self) -> dict[str, Any]:
        from library.selectors import vocabulary

        return {term.slug: term for term in vocabulary(self.model).values()}

    def _choices_now(self) -> list[tuple[str, str]]:
        """Read at each rendering, so labels follow the active language and new terms show."""
        return [(slug, term.label) for slug, term in self._terms_by_slug().items()]

    def clean(self, value) -> list:
        slugs = super().clean(value)
        terms = self._terms_by_slug()
        return [terms[slug] for slug in slugs if slug in terms]


class ListingFilterForm(forms.Form):
    """Filters shared by every knowledge listing; subclasses add their own."""

    q = forms.CharField(label=_("Words"), max_length=200, required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    theme = LocalizedTermChoiceField(Theme, label=_("Themes"))
    ecosystem = LocalizedTermChoiceField(Ecosystem, label=_("Ecosystems"))
    language = forms.ChoiceField(label=_("Language"), required=False)
    year = forms.IntegerField(label=_("Year"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = _blank(_("Any region")) + list(Region.choices)
        self.fields["country"].choices = _blank(_("Any country")) + list(countries)
        self.fields["language"].choices = _blank(_("Any language")) + [
            (code, _(name)) for code, name in settings.LANGUAGES
        ]
        year_field = self.fields["year"]
        year_field.min_value = EARLIEST_YEAR
        year_field.max_value = datetime.date.today().year + 1
        year_field.validators += [
            MinValueValidator(EARLIEST_YEAR),
            MaxValueValidator(year_field.max_value),
        ]

    def filters(self) -> dict[str, Any]:
        """The filters that validated, with empty ones left out."""
        self.is_valid()
        chosen: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if isinstance(value, QuerySet):
                value = list(value)
            if value not in (None, "", []):
                chosen[name] = value
        return chosen

    @property
    def ignored(self) -> list[str]:
        """Names of the filters that were given but could not be understood."""
        self.is_valid()
        return sorted(self.errors)


class CaseStudyFilterForm(ListingFilterForm):
    def offer_countries(self, counts: dict[str, int]) -> None:
        """Offer only the countries with case studies under the other filters, with their
        counts (``CaseStudyListing.country_counts``). Called after validation, which accepts
        any country, so an old link to an empty country still reads as what it asked for."""
        self.is_valid()  # an unbound form (no filters) has no cleaned data
        chosen = getattr(self, "cleaned_data", {}).get("country") or None
        self.fields["country"].choices = _blank(_("Any country")) + countries_with_counts(
            counts, chosen=chosen
        )


class ResourceFilterForm(ListingFilterForm):
    type = forms.ChoiceField(label=_("Type"), required=False)

    field_order = ["q", "type", "region", "theme", "ecosystem", "language", "year"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["type"].choices = _blank(_("Any type")) + list(ResourceType.choices)
        del self.fields["country"]
