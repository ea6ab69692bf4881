"""What finance's views parse from a request: a refused form comes back with what was typed
and why."""

from __future__ import annotations

import os
from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from finance import bands, selectors
from finance.currencies import CURRENCY_CHOICES, ISO_4217_CODES, normalise_currency
from finance.models import FinanceKind, ProjectStage
from finance.services import MAX_OUTCOMES, Outcome, ProjectData
from library.models import SustainableDevelopmentGoal
from network.geography import LATITUDE_VALIDATORS, LONGITUDE_VALIDATORS, Region
from network.text import single_line

DOCUMENT_EXTENSIONS = ("pdf", "doc", "docx", "odt", "xls", "xlsx", "ods", "csv")
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def parse_outcomes(text: str) -> list[Outcome]:
    """One outcome a line, ``what changes | figure | unit``: "Land restored | 1200 | ha"."""
    outcomes, errors = [], []
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if len(lines) > MAX_OUTCOMES:
        raise ValidationError(
            _("At most %(count)d expected outcomes.") % {"count": MAX_OUTCOMES},
            code="too_many_outcomes",
        )
    for number, line in enumerate(lines, start=1):
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 3 or not parts[0] or not parts[2]:
            errors.append(
                _("Line %(number)d: write “what changes | figure | unit”.") % {"number": number}
            )
            continue
        try:
            value = Decimal(parts[1].replace(",", "").replace(" ", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite() or value < 0 or value >= Decimal("1e12"):
            errors.append(
                _("Line %(number)d: the figure must be a number from 0 up.") % {"number": number}
            )
            continue
        outcomes.append(
            Outcome(label=single_line(parts[0])[:160], value=value, unit=single_line(parts[2])[:40])
        )
    if errors:
        raise ValidationError(errors)
    return outcomes


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(label=_("Summary"), max_length=600, widget=forms.Textarea)
    description = forms.CharField(
        label=_("Description"), max_length=6000, required=False, widget=forms.Textarea
    )
    amount_sought = forms.DecimalField(
        label=_("Amount sought"),
        max_digits=16,
        decimal_places=2,
        min_value=Decimal("0.01"),
    )
    currency = forms.CharField(
        label=_("Currency"),
        max_length=8,
        help_text=_("ISO 4217 code, such as USD, EUR or KES."),
    )
    kind = forms.ChoiceField(label=_("Kind of finance"), choices=FinanceKind.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=ProjectStage.choices)
    sdgs = forms.ModelMultipleChoiceField(
        label=_("Sustainable development goals"),
        queryset=SustainableDevelopmentGoal.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="slug",
    )
    outcomes = forms.CharField(
        label=_("Expected outcomes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One a line: what changes | figure | unit (Land restored | 1200 | ha)."),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        max_digits=8,
        decimal_places=5,
        required=False,
        validators=LATITUDE_VALIDATORS,
        help_text=_("Where in the landscape: decimal degrees, from -90 to 90."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        max_digits=8,
        decimal_places=5,
        required=False,
        validators=LONGITUDE_VALIDATORS,
        help_text=_("Decimal degrees, from -180 to 180."),
    )
    document = forms.FileField(
        label=_("Add a document"),
        required=False,
        help_text=_("PDF, Word, OpenDocument or spreadsheet, up to 10 MB."),
    )
    published = forms.BooleanField(
        label=_("Published: shown to funders and in the open data"), required=False
    )

    def clean_currency(self) -> str:
        code = normalise_currency(self.cleaned_data["currency"])
        if code not in ISO_4217_CODES:
            raise ValidationError(
                _("“%(code)s” is not an ISO 4217 currency code (such as USD, EUR, KES)."),
                params={"code": code},
                code="unknown_currency",
            )
        return code

    def clean_outcomes(self) -> list[Outcome]:
        return parse_outcomes(self.cleaned_data.get("outcomes", ""))

    def clean_document(self):
        document = self.cleaned_data.get("document")
        if document is None:
            return None
        extension = os.path.splitext(document.name)[1].lower().lstrip(".")
        if extension not in DOCUMENT_EXTENSIONS:
            raise ValidationError(
                _("Choose a PDF, Word, OpenDocument or spreadsheet file."), code="document_type"
            )
        if document.size > MAX_DOCUMENT_BYTES:
            raise ValidationError(_("Documents can be at most 10 MB."), code="document_size")
        return document

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("latitude") is None) != (cleaned.get("longitude") is None) and not (
            self.has_error("latitude") or self.has_error("longitude")
        ):
            raise ValidationError(
                _("Give both latitude and longitude, or neither."), code="incomplete_location"
            )
        return cleaned

    def project_data(self) -> ProjectData:
        data = self.cleaned_data
        return ProjectData(
            title=single_line(data["title"]),
            summary=data["summary"],
            description=data["description"],
            amount_sought=data["amount_sought"],
            currency=data["currency"],
            kind=data["kind"],
            stage=data["stage"],
            latitude=data["latitude"],
            longitude=data["longitude"],
            published=data["published"],
            sdgs=list(data["sdgs"]),
            outcomes=data["outcomes"],
        )

    @classmethod
    def initial_for(cls, project) -> dict:
        return {
            "title": project.title,
            "summary": project.summary,
            "description": project.description,
            "amount_sought": project.amount_sought,
            "currency": project.currency,
            "kind": project.kind,
            "stage": project.stage,
            "sdgs": [goal.slug for goal in project.sdgs.all()],
            "outcomes": "\n".join(
                f"{o.label} | {o.value.normalize():f} | {o.unit}" for o in project.outcomes.all()
            ),
            "latitude": project.latitude,
            "longitude": project.longitude,
            "published": project.published,
        }


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("A message for the coordinators (optional)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ProjectFilterForm(forms.Form):
    """The listing's facets as a GET form: shareable addresses; what does not validate is
    ignored, never an error page."""

    kind = forms.MultipleChoiceField(
        label=_("Kind of finance"), choices=FinanceKind.choices, required=False
    )
    stage = forms.MultipleChoiceField(
        label=_("Stage"), choices=ProjectStage.choices, required=False
    )
    amount = forms.MultipleChoiceField(label=_("Amount"), required=False)
    sdg = forms.MultipleChoiceField(label=_("Goal"), required=False)
    region = forms.MultipleChoiceField(label=_("Region"), choices=Region.choices, required=False)

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # Every "<currency>:<band>" (an amount is read within its own currency: finance.bands).
        self.fields["amount"].choices = [
            (f"{code}:{band}", bands.label(f"{code}:{band}"))
            for code, _name in CURRENCY_CHOICES
            for band in bands.BAND_KEYS
        ]
        self.fields["sdg"].choices = [
            (goal.slug, goal.label)
            for goal in SustainableDevelopmentGoal.objects.order_by("number").only(
                "slug", "number", "name", "name_es", "name_fr", "name_pt"
            )
        ]

    def filters(self) -> selectors.ListingFilters:
        """The facets that validated; a facet whose values did not is left out."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return selectors.ListingFilters(
            **{
                name: tuple(dict.fromkeys(cleaned.get(name) or ()))[:20]
                for name in selectors.FACETS
                if name not in self.errors
            }
        )
