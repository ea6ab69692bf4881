"""The mail a live dialogue's followers get before it starts (through ``network.mail``: in
their language and zone, and declinable in one click)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from forums.dialogues.schedule import dialogue_followers
from forums.models import DialogueSession, DialogueStatus
from network.mail import mail_member

#: The kind a member may decline (``network.mail.OPTIONAL_KINDS``).
REMINDER = "dialogue_reminder"


def dialogue_reminders_mail(*, session_id: int, day_before: bool = False) -> int:
    """Mail every follower who may still see the session; the number mailed. Nothing when the
    session is gone or over (a worker that fell behind may send it after the opening: the
    room is open, the mail still useful). ``day_before``: the reminder a day ahead."""
    session = (
        DialogueSession.objects.select_related("category")
        .filter(pk=session_id)
        .exclude(status=DialogueStatus.ENDED)
        .first()
    )
    if session is None:
        return 0
    context = {
        "session": session,
        "session_url": f"{settings.SITE_URL}{session.get_absolute_url()}",
        "day_before": day_before,
    }
    subject = (
        (lambda: _("Tomorrow: %(title)s") % {"title": session.title})
        if day_before
        else (lambda: _("Starting soon: %(title)s") % {"title": session.title})
    )
    sent = 0
    for user in dialogue_followers(session).iterator(chunk_size=500):
        sent += mail_member(
            user=user,
            kind=REMINDER,
            template="forums/email/dialogue_reminder.txt",
            context=context,
            subject=subject,
        )
    return sent
