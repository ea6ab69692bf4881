"""Validators for what members type or upload into their profile."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import global_settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

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
