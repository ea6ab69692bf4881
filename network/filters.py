"""Directory filters as forms: shareable GET URLs; what does not validate is ignored."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from network.geography import Region
from network.models import LandscapePartnership, OrganisationType, PartnershipStatus


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


def _vocabulary(field_name: str):
    """The library vocabulary a partnership field names, reached through the field (network
    does not import library)."""
    return LandscapePartnership._meta.get_field(field_name).related_model.objects


class PartnershipFilterForm(DirectoryFilterForm):
    region = forms.ChoiceField(label=_("Region"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    ecosystem = forms.ChoiceField(label=_("Ecosystem"), required=False)
    sdg = forms.TypedChoiceField(
        label=_("Sustainable Development Goal"), required=False, coerce=int, empty_value=None
    )
    field_order = ["q", "region", "country", "status", "theme", "ecosystem", "sdg"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["region"].choices = [("", _("Any region")), *Region.choices]
        self.fields["status"].choices = [("", _("Any status")), *PartnershipStatus.choices]
        # Callables: the terms are read only when a filter is given or the form is drawn
        # (inside its cached fragment), not for every download of the whole directory.
        self.fields["theme"].choices = lambda: [
            ("", _("Any theme")),
            *((term.slug, term.label) for term in _vocabulary("themes").all()),
        ]
        self.fields["ecosystem"].choices = lambda: [
            ("", _("Any ecosystem")),
            *((term.slug, term.label) for term in _vocabulary("ecosystems").all()),
        ]
        self.fields["sdg"].choices = lambda: [
            ("", _("Any goal")),
            *((str(goal.number), goal.label) for goal in _vocabulary("sdgs").all()),
        ]


class OrganisationFilterForm(DirectoryFilterForm):
    type = forms.ChoiceField(label=_("Type"), required=False)
    field_order = ["q", "type", "country"]

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["type"].choices = [("", _("Any type")), *OrganisationType.choices]
