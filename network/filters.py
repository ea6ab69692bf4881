"""Directory filters as forms: shareable GET URLs; what does not validate is ignored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from network.geography import Region
from network.models import OrganisationType


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), max_length=200, required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["country"].choices = [("", _("Any country")), *countries]

    def filters(self) -> dict[str, Any]:
        """The filters that validated, with empty ones left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    @property
    def ignored(self) -> list[str]:
        self.is_valid()
        return sorted(self.errors)


class PartnershipFilterForm(DirectoryFilterForm):
    region = forms.ChoiceField(label=_("Region"), required=False)
    field_order = ["q", "region", "country"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [("", _("Any region")), *Region.choices]


class OrganisationFilterForm(DirectoryFilterForm):
    type = forms.ChoiceField(label=_("Type"), required=False)
    field_order = ["q", "type", "country"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["type"].choices = [("", _("Any type")), *OrganisationType.choices]
