"""The mail digest: unread notifications nobody has mailed yet, one mail per member, as often as
they chose (``User.digest_frequency``), with only the kinds they still want, in their language
(``network.mail``)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import ngettext

from forums.models import MAILED_AT_ONCE, Notification, NotificationKind
from forums.selectors import notifications_for
from network.mail import DIGEST, add_optional_kind, mail_member
from network.models import DigestFrequency, User

#: How long after one digest the next may leave.
INTERVALS = {
    DigestFrequency.DAILY: datetime.timedelta(hours=23),
    DigestFrequency.WEEKLY: datetime.timedelta(days=7, hours=-1),
}


def mail_kind(kind: str) -> str:
    """The ``network.mail`` kind under which a member declines this notification kind."""
    return f"notification.{kind}"


def register_kinds() -> None:
    """The kinds a member may keep out of their digest; not those mailed when written."""
    for kind in NotificationKind:
        if kind not in MAILED_AT_ONCE:
            add_optional_kind(mail_kind(kind.value), kind.label)


def _due(user: User, now: datetime.datetime) -> bool:
    interval = INTERVALS.get(user.digest_frequency)
    if interval is None:
        return False
    return user.last_digest_at is None or now - user.last_digest_at >= interval


def digest_send(*, limit_per_user: int = 50) -> int:
    """Mail each member whose digest is due their unread, not yet mailed notifications (still
    visible to them, of the kinds they want). Meant to run every hour or so: each member's
    frequency decides whether this run is theirs.

    Returns the number of mails sent. Notifications are marked as mailed in the same
    transaction as they are read, so a crash never mails the same item twice after a retry
    and never loses one that was not sent.
    """
    sent = 0
    now = timezone.now()
    user_ids = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    members = User.objects.filter(pk__in=list(user_ids), is_active=True).exclude(
        digest_frequency=DigestFrequency.OFF
    )
    for user in members:
        if not _due(user, now):
            continue
        declined = [k for k in NotificationKind.values if mail_kind(k) in user.mail_declined]
        declined += MAILED_AT_ONCE
        with transaction.atomic():
            pending = list(
                notifications_for(user)
                .filter(read_at__isnull=True, emailed_at__isnull=True)
                .exclude(kind__in=declined)
                .select_for_update(of=("self",))[:limit_per_user]
            )
            if not pending:
                continue
            count = len(pending)
            mailed = mail_member(
                user=user,
                kind=DIGEST,
                template="forums/email/digest.txt",
                context={"notifications": pending},
                subject=lambda count=count: (
                    ngettext(
                        "%(count)s new in the Landscape Commons forums",
                        "%(count)s new in the Landscape Commons forums",
                        count,
                    )
                    % {"count": count}
                ),
            )
            if not mailed:
                continue
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=now)
            User.objects.filter(pk=user.pk).update(last_digest_at=now)
            sent += 1
    return sent
