"""Trust levels of the forums, as Discourse has them, kept to two.

Level 0, a new member: each post waits for a moderator (``forums.moderation``), carries no
attachment, at most ``FORUMS_NEW_MEMBER_MAX_LINKS`` links and ``FORUMS_NEW_MEMBER_MAX_MENTIONS``
mentions, and at most ``FORUMS_NEW_MEMBER_MAX_WAITING`` posts wait at once (the queue cannot be
flooded). Level 1: a member who has had ``FORUMS_NEW_MEMBER_APPROVALS`` posts approved and read
``FORUMS_NEW_MEMBER_TOPICS_READ`` topics (Discourse's TL1 asks for 5 topics entered) posts
freely. Moderators are trusted; ``FORUMS_NEW_MEMBER_APPROVALS = 0`` trusts everyone.

The level is kept in ``MemberTrust`` so that a trusted member's post costs one indexed read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forums.mentions import mentioned_names
from forums.models import MemberTrust, Post, TopicReadState
from forums.selectors import Viewer, is_moderator

TRUSTED = 1
_LINK = re.compile(r"<a\s", re.IGNORECASE)


def _promote_if_ready(user: Viewer, approved_posts: int) -> bool:
    if approved_posts < settings.FORUMS_NEW_MEMBER_APPROVALS:
        return False
    wanted = settings.FORUMS_NEW_MEMBER_TOPICS_READ
    if wanted > 0 and TopicReadState.objects.filter(user=user)[:wanted].count() < wanted:
        return False
    MemberTrust.objects.filter(user=user, level__lt=TRUSTED).update(
        level=TRUSTED, promoted_at=timezone.now()
    )
    return True


def member_is_trusted(user: Viewer) -> bool:
    """Whether the member's posts go out at once (level 1), or wait for a moderator."""
    if settings.FORUMS_NEW_MEMBER_APPROVALS <= 0 or is_moderator(user):
        return True
    trust = MemberTrust.objects.filter(user=user).values_list("level", "approved_posts").first()
    if trust is None:
        return False
    level, approved_posts = trust
    return level >= TRUSTED or _promote_if_ready(user, approved_posts)


def member_trust_grant(*, user: Viewer) -> None:
    """Make a member trusted (level 1) whatever they did: demo people, imported members."""
    MemberTrust.objects.update_or_create(
        user=user, defaults={"level": TRUSTED, "promoted_at": timezone.now()}
    )


def approval_counted(*, user: Viewer) -> None:
    """A moderator approved one of the member's posts: count it, and promote them when they
    have also read enough."""
    counted = MemberTrust.objects.filter(user=user).update(approved_posts=F("approved_posts") + 1)
    if not counted:
        MemberTrust.objects.create(user=user, approved_posts=1)
    approved = MemberTrust.objects.filter(user=user).values_list("approved_posts", flat=True)
    _promote_if_ready(user, approved.first() or 0)


def check_new_member_post(
    *, user: Viewer, html: str, body: str, attachments: Iterable[object] = ()
) -> None:
    """What a new member may not post yet; a clear error, so the form keeps their text."""
    if any(attachments):
        raise ValidationError(
            _("New members cannot attach files yet: post the text, and attach later."),
            code="new_member_attachment",
        )
    most_links = settings.FORUMS_NEW_MEMBER_MAX_LINKS
    if len(_LINK.findall(html)) > most_links:
        raise ValidationError(
            ngettext(
                "New members can post at most %(limit)s link a post.",
                "New members can post at most %(limit)s links a post.",
                most_links,
            )
            % {"limit": most_links},
            code="new_member_links",
        )
    most_mentions = settings.FORUMS_NEW_MEMBER_MAX_MENTIONS
    if len(mentioned_names(body)) > most_mentions:
        raise ValidationError(
            ngettext(
                "New members can mention at most %(limit)s person a post.",
                "New members can mention at most %(limit)s people a post.",
                most_mentions,
            )
            % {"limit": most_mentions},
            code="new_member_mentions",
        )
    most_waiting = settings.FORUMS_NEW_MEMBER_MAX_WAITING
    if Post.objects.filter(author=user, awaiting_approval=True)[:most_waiting].count() >= (
        most_waiting
    ):
        raise ValidationError(
            _(
                "Your earlier posts are still waiting for a moderator: wait until they are "
                "approved before you post again. Your text is kept."
            ),
            code="new_member_waiting",
        )
