"""The search page's query string, validated: anything malformed is dropped, never a 500."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from search.types import FACETS, BoundingBox

_FACET_VALUE = re.compile(r"^[\w\- .:'&]{1,120}$", re.UNICODE)
MAX_VALUES_PER_FACET = 20


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[("relevance", _("Best match")), ("date", _("Newest first"))],
    )
    view = forms.ChoiceField(required=False, choices=[("list", _("List")), ("map", _("Map"))])
    page = forms.IntegerField(required=False, min_value=1, max_value=100)
    bbox = forms.CharField(required=False, max_length=100)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.facet_filters: dict[str, tuple[str, ...]] = {}
        if data is not None:
            for name in FACETS:
                values = [value.strip() for value in data.getlist(name)][:MAX_VALUES_PER_FACET]
                kept = tuple(dict.fromkeys(v for v in values if _FACET_VALUE.match(v)))
                if kept:
                    self.facet_filters[name] = kept

    def clean_bbox(self) -> BoundingBox | None:
        raw = self.cleaned_data.get("bbox") or ""
        if not raw:
            return None
        try:
            south, west, north, east = (float(part) for part in raw.split(","))
        except ValueError:
            raise forms.ValidationError(_("The map area is not understood.")) from None
        if not (-90 <= south <= north <= 90 and -180 <= west <= east <= 180):
            raise forms.ValidationError(_("The map area is not understood."))
        return BoundingBox(south=south, west=west, north=north, east=east)

    def values(self) -> dict[str, Any]:
        """Valid values only (invalid ones fall back to their defaults)."""
        data = self.cleaned_data if self.is_bound and (self.is_valid() or True) else {}
        return {
            "text": (data.get("q") or "").strip(),
            "sort": data.get("sort") or "relevance",
            "view": data.get("view") or "list",
            "page": data.get("page") or 1,
            "geo": data.get("bbox"),
            "filters": self.facet_filters,
        }
