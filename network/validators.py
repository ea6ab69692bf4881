"""Validators for what members type or upload into their profile."""

from __future__ import annotations

import re
import unicodedata
import zoneinfo
from collections.abc import Iterable

from django.conf import global_settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from network.text import single_line

_KNOWN_LANGUAGES = {code for code, _name in global_settings.LANGUAGES}


def validate_language_codes(value: Iterable[str]) -> None:
    """Accept only a list of language codes Django knows (``en``, ``es``, ``sw``...)."""
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_("Languages must be a list of language codes."), code="invalid")
    unknown = sorted(set(value) - _KNOWN_LANGUAGES)
    if unknown:
        raise ValidationError(
            _("Unknown language code: %(codes)s.") % {"codes": ", ".join(unknown)},
            code="unknown_language",
        )


def time_zone_names() -> list[str]:
    """Every IANA zone this machine knows, sorted (Africa/Nairobi, America/Lima...), without
    the legacy aliases (``US/Eastern``, ``Etc/GMT+3``) a person would not look for."""
    return sorted(
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )


def validate_time_zone(value: str) -> None:
    """Accept an IANA zone name this machine can load (``Africa/Nairobi``) or nothing."""
    if not value:
        return
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValidationError(
            _("Unknown time zone: %(zone)s.") % {"zone": value}, code="unknown_time_zone"
        ) from error


#: Words that would make a member's name pass for the site or its staff.
RESERVED_NAME_WORDS = frozenset(
    {
        "admin",
        "administrator",
        "administrators",
        "moderator",
        "moderators",
        "staff",
        "system",
        "official",
        "support",
    }
)
RESERVED_NAMES = frozenset({"landscapecommons", "sitemanager", "siteadmin"})


#: Cyrillic and Greek letters that read as Latin ones once case is folded ("Moderator" spelt
#: with a Cyrillic em and o): a name that differs from another only by these is the same name.
_LOOKALIKES = str.maketrans(
    "аеорсухіјѕԁһӏԛԝмнтвкοαινκτρεημ",
    "aeopcyxijsdhlqwmhtbkoaivktpehm",
)


def name_key(name: str) -> str:
    """What two names share when people would read them as the same name: compatibility forms,
    case, runs of spaces and Latin look-alike letters do not count. Stored, unique, as
    ``User.display_name_key``."""
    folded = unicodedata.normalize("NFKC", name).casefold().translate(_LOOKALIKES)
    return " ".join(folded.split())


def validate_display_name(name: str, *, user: AbstractBaseUser | None = None) -> str:
    """Check a display name and return it trimmed (single spaces).

    A display name stands for one member on one line: no control or invisible characters (a
    line break in a name forges lines of e-mails and transcripts), not another member's display
    name or username in any case, and, unless the member is staff, nothing that reads as the
    site or its moderators. Raises ``ValidationError`` with a message meant for the member.
    """
    if any(
        unicodedata.category(char) != "Zs"
        and (not char.isprintable() or unicodedata.category(char) == "Cf")
        for char in name or ""
    ):
        raise ValidationError(
            _("A display name is one line of visible characters, without line breaks."),
            code="invalid_characters",
        )
    cleaned = single_line(name)
    if not cleaned:
        return ""
    key = name_key(cleaned)
    is_staff = user is not None and (user.is_staff or user.is_superuser)
    if not is_staff and (
        set(re.split(r"[\W_]+", key)) & RESERVED_NAME_WORDS
        or key.replace(" ", "") in RESERVED_NAMES
    ):
        raise ValidationError(
            _("This name could be mistaken for the site or its moderators. Choose another."),
            code="reserved_name",
        )
    # The stored key compares alike on every database (SQLite's iexact folds only ASCII).
    others = get_user_model().objects.filter(Q(display_name_key=key) | Q(username__iexact=cleaned))
    if user is not None and user.pk is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise ValidationError(
            _("Another member already uses this name. Choose another display name."),
            code="name_taken",
        )
    return cleaned
