"""Amount ranges for the listing's facet, within one currency.

Amounts are never converted between currencies (the site holds no exchange rates, and a
funder reads a figure in the currency it was asked in), so a range is always "USD 100,000 to
1 million", never "about 100,000 dollars' worth". Pure functions, no database.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy as _

#: (key, lower bound inclusive, upper bound exclusive, label); None: unbounded.
BANDS: tuple[tuple[str, Decimal | None, Decimal | None, object], ...] = (
    ("lt100k", None, Decimal("100000"), _("under 100,000")),
    ("100k-1m", Decimal("100000"), Decimal("1000000"), _("100,000 to 1 million")),
    ("1m-10m", Decimal("1000000"), Decimal("10000000"), _("1 million to 10 million")),
    ("10m-up", Decimal("10000000"), None, _("10 million or more")),
)
BAND_KEYS = tuple(band[0] for band in BANDS)


def band_of(amount: Decimal) -> str:
    for key, lower, upper, _label in BANDS:
        if (lower is None or amount >= lower) and (upper is None or amount < upper):
            return key
    raise ValueError(amount)  # unreachable: the bands cover every amount


def facet_value(currency: str, amount: Decimal) -> str:
    """The facet value of an amount: ``"USD:100k-1m"``."""
    return f"{currency}:{band_of(amount)}"


def parse_facet_value(value: str) -> tuple[str, str] | None:
    """``"USD:100k-1m"`` -> ``("USD", "100k-1m")``, or None if it is not one."""
    currency, _sep, band = value.partition(":")
    if len(currency) != 3 or not currency.isalpha() or band not in BAND_KEYS:
        return None
    return currency.upper(), band


def bounds(band: str) -> tuple[Decimal | None, Decimal | None]:
    for key, lower, upper, _label in BANDS:
        if key == band:
            return lower, upper
    raise KeyError(band)


def label(value: str) -> str:
    parsed = parse_facet_value(value)
    if parsed is None:
        return value
    currency, band = parsed
    names = {key: name for key, _lower, _upper, name in BANDS}
    return f"{currency} {names[band]}"
