"""The IANA time zones an event may be held in (the zone names the tz database knows)."""

from __future__ import annotations

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every zone name of the tz database, sorted, without the legacy aliases ("US/...")."""
    return (
        *sorted(
            name
            for name in zoneinfo.available_timezones()
            if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
        ),
        "UTC",
    )


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("%(value)s is not a time zone name (for example Europe/Madrid)."),
            params={"value": value},
        ) from error
