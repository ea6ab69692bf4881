"""Who may read a post's edit history, and the moderators' redaction of a revision.

The history keeps what a post said before each edit so an edit cannot silently rewrite a
conversation. But a moderator who edits out a phone number has not removed it while the old
version stays readable: so the history is shown to the post's author and the moderators only,
and a moderator can redact a revision (its text is erased for good, and the moderation log
says who did it and why).
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from forums.models import ModerationAction, ModerationLog, Post, PostRevision
from forums.selectors import is_moderator
from forums.services import check_moderator
from network.models import User
from network.text import without_control_characters


def history_visible_to(user: AbstractBaseUser | AnonymousUser, post: Post) -> bool:
    """The author and the moderators read a post's earlier versions; nobody else does."""
    return user.is_authenticated and (post.author_id == user.pk or is_moderator(user))


@transaction.atomic
def revision_redact(*, moderator: User, revision: PostRevision, reason: str = "") -> PostRevision:
    """Erase what a revision said, keeping that an edit happened, and log the redaction."""
    revision = (
        PostRevision.objects.select_for_update().select_related("post__topic").get(pk=revision.pk)
    )
    check_moderator(user=moderator, topic=revision.post.topic)
    revision.body_source = ""
    revision.body_html = ""
    revision.redacted = True
    revision.save(update_fields=["body_source", "body_html", "redacted"])
    ModerationLog.objects.create(
        actor=moderator,
        action=ModerationAction.REDACT,
        topic=revision.post.topic,
        post=revision.post,
        reason=without_control_characters(reason).strip()[:500],
    )
    return revision
