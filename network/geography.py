"""Where things are: world regions and coordinates, shared by partnerships and case studies.

Regions are a closed list (the network reports by them), so they are choices, not free text.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    AFRICA = "africa", _("Africa")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    LATIN_AMERICA = "latin-america", _("Latin America and the Caribbean")
    MIDDLE_EAST = "middle-east", _("Middle East and North Africa")
    NORTH_AMERICA = "north-america", _("North America")
    OCEANIA = "oceania", _("Oceania")


LATITUDE_VALIDATORS = [
    MinValueValidator(Decimal("-90"), message=_("Latitude must be between -90 and 90.")),
    MaxValueValidator(Decimal("90"), message=_("Latitude must be between -90 and 90.")),
]
LONGITUDE_VALIDATORS = [
    MinValueValidator(Decimal("-180"), message=_("Longitude must be between -180 and 180.")),
    MaxValueValidator(Decimal("180"), message=_("Longitude must be between -180 and 180.")),
]


def latitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LATITUDE_VALIDATORS,
        help_text=_("Decimal degrees, from -90 (south) to 90 (north)."),
    )


def longitude_field() -> models.DecimalField:
    return models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        null=True,
        blank=True,
        validators=LONGITUDE_VALIDATORS,
        help_text=_("Decimal degrees, from -180 (west) to 180 (east)."),
    )


def area_hectares_field() -> models.DecimalField:
    return models.DecimalField(
        _("area (hectares)"),
        max_digits=12,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, message=_("The area cannot be negative."))],
    )


def validate_coordinates_pair(latitude: Decimal | None, longitude: Decimal | None) -> None:
    """A point needs both halves: one without the other would put a marker in the ocean."""
    if (latitude is None) != (longitude is None):
        raise ValidationError(
            _("Give both latitude and longitude, or neither."), code="incomplete_location"
        )
