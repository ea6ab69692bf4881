"""Reactions of the forums to other apps' signals: open sockets re-check what they may see.

Each handler rings ``user.<id>`` (after commit, through the channel layer, so every process
hears it); the sockets then re-read the sign-in and the access from the database themselves.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model, user_logged_out
from django.db.models.signals import post_delete, post_save

from config.loaded_values import changed_fields
from forums import events
from forums.socket_identity import session_digest
from network.signals import case_study_published, join_request_decided, membership_changed

#: User fields whose change may end a sign-in (the session hash is made from the password).
_SIGN_IN_FIELDS = frozenset({"password", "is_active"})


def _recheck(user_id: int, **extra) -> None:
    message = {"type": "user.access", "user": user_id, **extra}
    events.send_on_commit(events.user_group(user_id), message)


def recheck_open_sockets(sender, *, user_id: int, partnership_id: int, **kwargs) -> None:
    """A membership changed (after commit): the person's open sockets re-check their access,
    so someone who left a partnership stops receiving its private topics at once."""
    events.send_now(events.user_group(user_id), {"type": "user.access", "user": user_id})


def notify_join_request_decided(
    sender, *, user_id: int, partnership_id: int, approved: bool, **kwargs
) -> None:
    """A coordinator answered a request to join: the requester hears it in their
    notifications (written in the deciding transaction), live on an open page after commit,
    and in the digest."""
    from forums.models import Notification, NotificationKind

    kind = NotificationKind.JOIN_APPROVED if approved else NotificationKind.JOIN_DECLINED
    notification = Notification.objects.create(
        user_id=user_id, kind=kind, partnership_id=partnership_id
    )
    events.notification_on_commit(user_id=user_id, notification_id=notification.pk)


def notify_case_study_published(
    sender, *, partnership_id: int, page_id: int, actor_id: int | None = None, **kwargs
) -> None:
    """A partnership's case study is out: its followers hear of it (``forums.notifications``)."""
    from forums.notifications import case_study_followers_notify

    case_study_followers_notify(partnership_id=partnership_id, page_id=page_id, actor_id=actor_id)


def recheck_after_logout(sender, *, request, user, **kwargs) -> None:
    """Logout flushes one session: the sockets opened with it close (the others stay).

    Django sends this signal before it flushes the session, so the message names the ended
    session (by digest): a socket that re-read the store now could still find it."""
    if user is not None and user.pk is not None:
        _recheck(user.pk, ended_session=session_digest(request.session.session_key))


def recheck_after_account_change(
    sender, *, instance, created: bool = False, raw: bool = False, update_fields=None, **kwargs
) -> None:
    """Deactivation or a password change ends every sign-in of the user. Saves that change
    only other fields (``last_login`` at each login, a profile edit) ring nothing: the user
    remembers the values it was loaded with (``config.loaded_values``)."""
    if raw or created:
        return
    if changed_fields(instance, _SIGN_IN_FIELDS, update_fields=update_fields):
        _recheck(instance.pk)


def recheck_after_account_deleted(sender, *, instance, **kwargs) -> None:
    """A deleted account's sockets close."""
    _recheck(instance.pk)


def connect() -> None:
    membership_changed.connect(recheck_open_sockets, dispatch_uid="forums.recheck_open_sockets")
    join_request_decided.connect(
        notify_join_request_decided, dispatch_uid="forums.notify_join_request_decided"
    )
    case_study_published.connect(
        notify_case_study_published, dispatch_uid="forums.notify_case_study_published"
    )
    user_logged_out.connect(recheck_after_logout, dispatch_uid="forums.recheck_after_logout")
    user_model = get_user_model()
    post_save.connect(
        recheck_after_account_change, sender=user_model, dispatch_uid="forums.recheck_user_saved"
    )
    post_delete.connect(
        recheck_after_account_deleted,
        sender=user_model,
        dispatch_uid="forums.recheck_user_deleted",
    )
