"""The email digest: unread notifications nobody has emailed yet, one mail per member."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from forums.models import Notification
from forums.selectors import notifications_for
from network.models import User


def digest_send(*, limit_per_user: int = 50) -> int:
    """Mail each member their unread, not yet mailed notifications (still visible to them).

    Returns the number of emails sent. Notifications are marked as mailed in the same
    transaction as they are read, so a crash never mails the same item twice after a retry
    and never loses one that was not sent.
    """
    sent = 0
    user_ids = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True)
        .values_list("user_id", flat=True)
        .distinct()
    )
    for user in User.objects.filter(pk__in=list(user_ids), is_active=True):
        with transaction.atomic():
            pending = list(
                notifications_for(user)
                .filter(read_at__isnull=True, emailed_at__isnull=True)
                .select_for_update(of=("self",))[:limit_per_user]
            )
            if not pending:
                continue
            with translation.override(settings.LANGUAGE_CODE):
                body = render_to_string(
                    "forums/email/digest.txt",
                    {"user": user, "notifications": pending, "site_url": settings.SITE_URL},
                )
                subject = _("%(count)s new in the Landscape Commons forums") % {
                    "count": len(pending)
                }
            send_mail(subject, body, None, [user.email])
            Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
                emailed_at=timezone.now()
            )
            sent += 1
    return sent
