"""Every mail the site sends to a person: in their language, with times in their zone, and a
one-click way out of any mail they did not ask for.

The apps render and send through :func:`mail_member` (a member) or :func:`mail_address` (an
address with no account yet, an invitation), never ``send_mail`` directly, so each rule below
holds for every mail:

- **Language.** The member's mail language (``User.language``), else the language the mail's
  occasion was in (the page they registered on), else the site's default.
- **Time zone.** The occasion's zone when it has one (an event's times are in the event's zone),
  else the member's (``User.time_zone``), else UTC.
- **Optional mail can be declined in one click.** Mail of an :data:`OPTIONAL_KINDS` kind carries
  ``List-Unsubscribe`` with a signed address and ``List-Unsubscribe-Post:
  List-Unsubscribe=One-Click`` (RFC 8058): a mail client POSTs to it, without cookies, and
  that kind stops; the same address, opened in a browser, asks first. The body ends with that
  address and the mail settings page. A member who declined a kind is not sent it at all.
  Mail about something the member did or is owed (a registration cancelled, a place that
  opened) is not optional and carries no such header.
"""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from network.models import DigestFrequency, User

DIGEST = "digest"

#: The kinds of mail a member may decline, with what the settings page calls them. The digest
#: is declined by its frequency; every other kind is in ``User.mail_declined`` once declined.
#: Apps add their own with :func:`add_optional_kind` when they are ready.
OPTIONAL_KINDS: dict[str, Any] = {DIGEST: _("The forum digest")}


def add_optional_kind(kind: str, label: Any) -> None:
    """Let members decline mail of ``kind`` (called from an app's ``ready``)."""
    OPTIONAL_KINDS[kind] = label


_UNSUBSCRIBE_SALT = "network.mail.unsubscribe"


class UnknownKind(ValueError):
    """A mail kind no member can decline (a typo in the caller)."""


def wants(user: User, kind: str | None) -> bool:
    """Whether ``user`` may be sent mail of this kind now (an active account, the kind not
    declined; ``None`` is mail they are owed)."""
    if not user.is_active or not user.email:
        return False
    if kind is None:
        return True
    if kind == DIGEST:
        return user.digest_frequency != DigestFrequency.OFF
    return kind not in (user.mail_declined or [])


def unsubscribe_token(user: User, kind: str) -> str:
    """A signed, non-expiring token naming the member and the kind (mail is read months later)."""
    if kind not in OPTIONAL_KINDS:
        raise UnknownKind(kind)
    return signing.dumps({"u": user.pk, "k": kind}, salt=_UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[int, str] | None:
    """``(user id, kind)`` from a token :func:`unsubscribe_token` made, else ``None``."""
    try:
        data = signing.loads(token, salt=_UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, kind = data.get("u"), data.get("k")
    if not isinstance(user_id, int) or kind not in OPTIONAL_KINDS:
        return None
    return user_id, kind


def mail_language(user: User | None, occasion: str = "") -> str:
    """The language a mail to ``user`` is written in (see the module's rules)."""
    codes = {code for code, _name in settings.LANGUAGES}
    for code in (user.language if user else "", occasion):
        if code in codes:
            return code
    return settings.LANGUAGE_CODE


UTC = zoneinfo.ZoneInfo("UTC")


def member_zone(user: User | None) -> zoneinfo.ZoneInfo:
    """The member's own zone, UTC when they chose none (or it no longer loads)."""
    if user is not None and user.time_zone:
        try:
            return zoneinfo.ZoneInfo(user.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass
    return UTC


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _render(
    *,
    template: str,
    context: Mapping[str, Any],
    subject: Callable[[], str],
    language: str,
    zone: Any,
    footer: Mapping[str, str] | None,
) -> tuple[str, str]:
    with translation.override(language), timezone.override(zone):
        body = render_to_string(template, {**context, "site_url": settings.SITE_URL})
        if footer is not None:
            body = (
                body.rstrip("\n") + "\n\n" + render_to_string("network/email/_footer.txt", footer)
            )
        return str(subject()), body


def mail_member(
    *,
    user: User,
    kind: str | None,
    template: str,
    context: Mapping[str, Any],
    subject: Callable[[], str],
    occasion_language: str = "",
    zone: Any = None,
) -> bool:
    """Render ``template`` for ``user`` and send it; False when they are not to get it.

    ``kind`` is one of :data:`OPTIONAL_KINDS`, or ``None`` for mail they are owed. ``subject``
    is called inside the mail's language. ``zone``: the occasion's zone, if it has one.
    """
    if kind is not None and kind not in OPTIONAL_KINDS:
        raise UnknownKind(kind)
    if not wants(user, kind):
        return False
    language = mail_language(user, occasion_language)
    headers: dict[str, str] = {}
    footer = None
    with translation.override(language):
        settings_url = _absolute(reverse("network:mail_settings"))
        if kind is not None:
            unsubscribe_url = _absolute(
                reverse("network:unsubscribe", kwargs={"token": unsubscribe_token(user, kind)})
            )
            headers = {
                "List-Unsubscribe": f"<{unsubscribe_url}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
            footer = {"unsubscribe_url": unsubscribe_url, "settings_url": settings_url}
    subject_text, body = _render(
        template=template,
        context={**context, "user": user},
        subject=subject,
        language=language,
        zone=zone or member_zone(user),
        footer=footer,
    )
    EmailMessage(subject_text, body, None, [user.email], headers=headers).send()
    return True


def mail_address(
    *,
    address: str,
    template: str,
    context: Mapping[str, Any],
    subject: Callable[[], str],
    language: str,
) -> None:
    """Send to an address with no account behind it (an invitation), in ``language`` (the
    sender's), times in UTC."""
    subject_text, body = _render(
        template=template,
        context=context,
        subject=subject,
        language=mail_language(None, language),
        zone=UTC,
        footer=None,
    )
    EmailMessage(subject_text, body, None, [address]).send()
