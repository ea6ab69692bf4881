"""Tables of the forums: categories, topics, posts and everything that hangs off a post.

Rules live in ``forums/services.py`` (writes) and ``forums/selectors.py`` (who may read what);
these classes only hold data and its validation. A post keeps what its author typed
(``body_source``, Markdown), the sanitised HTML we show (``body_html``) and plain text for
search (``search_text``), as Misago does, so a better renderer or sanitiser can re-render
every post later.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from config.loaded_values import RemembersLoadedValues
from forums.storage import get_private_storage


class Category(RemembersLoadedValues, models.Model):
    """A room of the forum: public, or private to the members of one landscape partnership."""

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=600)
    partnership = models.ForeignKey(
        "network.LandscapePartnership",
        verbose_name=_("private to partnership"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="forum_categories",
        help_text=_("Leave empty for a public category."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name", "pk"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("forums:category", kwargs={"slug": self.slug})

    @property
    def is_private(self) -> bool:
        return self.partnership_id is not None


class Topic(RemembersLoadedValues, models.Model):
    """A thread of posts; its first post is the opening message."""

    category = models.ForeignKey(
        Category, verbose_name=_("category"), on_delete=models.CASCADE, related_name="topics"
    )
    title = models.CharField(_("title"), max_length=200)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="forum_topics",
    )
    pinned = models.BooleanField(_("pinned"), default=False)
    locked = models.BooleanField(_("locked"), default=False)
    #: Only moderators see it (and its author while it waits for approval).
    hidden = models.BooleanField(_("hidden"), default=False)
    #: Reachable by its address but listed nowhere: not in its category, the home page,
    #: search or the counts.
    unlisted = models.BooleanField(_("unlisted"), default=False)
    #: Opened by a new member: hidden until a moderator approves its first post
    #: (``forums.moderation``); its author sees it meanwhile.
    awaiting_approval = models.BooleanField(_("waiting for approval"), default=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    last_post_at = models.DateTimeField(_("last post"), default=timezone.now, db_index=True)
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    tags = TaggableManager(blank=True, verbose_name=_("tags"))
    #: A private conversation (a funder's interest in a project, ``finance``): only its
    #: participants (``TopicParticipant``) see it, whatever its category says. Kept on the row
    #: so that every other topic is filtered by its category alone, as before.
    conversation = models.BooleanField(_("private conversation"), default=False, editable=False)

    class Meta:
        ordering = ["-pinned", "-last_post_at", "-pk"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [models.Index(fields=["category", "-pinned", "-last_post_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:topic", kwargs={"pk": self.pk})


class TopicParticipant(models.Model):
    """A person who may read and write a private conversation (``Topic.conversation``)."""

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_conversations"
    )

    class Meta:
        verbose_name = _("conversation participant")
        verbose_name_plural = _("conversation participants")
        constraints = [
            # (user, topic): "which conversations may this person read" walks the index.
            models.UniqueConstraint(fields=["user", "topic"], name="one_participation_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.topic_id}"


class HideReason(models.TextChoices):
    """Why a moderator hid or rejected a post: the author is told, in their language."""

    SPAM = "spam", _("Spam or advertising")
    OFF_TOPIC = "off_topic", _("Off topic")
    RUDE = "rude", _("Rude or abusive")
    PRIVATE = "private", _("Personal information")
    OTHER = "other", _("Other")


class Post(models.Model):
    topic = models.ForeignKey(
        Topic, verbose_name=_("topic"), on_delete=models.CASCADE, related_name="posts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="forum_posts",
    )
    body_source = models.TextField(_("message"))
    body_html = models.TextField(_("rendered message"))
    search_text = models.TextField(_("search text"), blank=True)
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replies",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    hidden = models.BooleanField(_("hidden"), default=False)
    hidden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hidden by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hidden_reason = models.CharField(_("reason for hiding"), max_length=300, blank=True)
    hidden_reason_kind = models.CharField(
        _("kind of reason"), max_length=20, choices=HideReason.choices, blank=True
    )
    #: A new member's post held for a moderator (``forums.moderation``). It is saved hidden
    #: too, so every reader that leaves hidden posts out (pages, sockets, search, the digest,
    #: counts, caches) leaves it out with no code of its own; only its author and the
    #: moderators see it, marked as waiting.
    awaiting_approval = models.BooleanField(_("waiting for approval"), default=False)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        indexes = [
            models.Index(fields=["topic", "created_at"]),
            models.Index(
                fields=["created_at"],
                condition=models.Q(awaiting_approval=True),
                name="forums_post_awaiting_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} in {self.topic_id}"

    def get_absolute_url(self) -> str:
        return reverse("forums:post", kwargs={"pk": self.pk})


class PostRevision(models.Model):
    """What a post said before an edit, shown to its author and the moderators: edits are
    history, never silent rewrites, and a moderator can redact a revision that must go."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body_source = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    #: A moderator removed what this revision said (``forums.redaction.revision_redact``).
    redacted = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("post revision")
        verbose_name_plural = _("post revisions")

    def __str__(self) -> str:
        return f"revision of post {self.post_id}"


class ReactionKind(models.TextChoices):
    LIKE = "like", _("Like")
    THANKS = "thanks", _("Thanks")
    INSIGHTFUL = "insightful", _("Insightful")
    AGREE = "agree", _("Agree")


REACTION_SYMBOLS = {
    ReactionKind.LIKE: "👍",
    ReactionKind.THANKS: "🙏",
    ReactionKind.INSIGHTFUL: "💡",
    ReactionKind.AGREE: "✅",
}


class Reaction(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=ReactionKind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.kind} on post {self.post_id}"


def attachment_upload_to(instance: Attachment, filename: str) -> str:
    """A random name under the month: the uploader's file name is never used on disk."""
    now = timezone.now()
    return f"forum-attachments/{now:%Y/%m}/{uuid.uuid4().hex}.{instance.extension}"


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")


class Attachment(models.Model):
    """A file on a post; served through a view that re-checks who may see the post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attachments")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=AttachmentKind.choices)
    file = models.FileField(
        upload_to=attachment_upload_to, storage=get_private_storage, max_length=200
    )
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    extension = models.CharField(max_length=10)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("forums:attachment", kwargs={"pk": self.pk})


class Subscription(models.Model):
    """A person watches a topic (new replies) or a category (new topics)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(topic__isnull=False, category__isnull=True)
                    | models.Q(topic__isnull=True, category__isnull=False)
                ),
                name="subscription_topic_xor_category",
            ),
            models.UniqueConstraint(fields=["user", "topic"], name="one_subscription_per_topic"),
            models.UniqueConstraint(
                fields=["user", "category"], name="one_subscription_per_category"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} watches {self.topic_id or self.category_id}"


class NotificationKind(models.TextChoices):
    MENTION = "mention", _("Mentioned you")
    REPLY = "reply", _("Replied in a topic you watch")
    NEW_TOPIC = "new_topic", _("New topic in a category you watch")
    PARTNERSHIP_TOPIC = "partnership_topic", _("New topic in a partnership you follow")
    JOIN_APPROVED = "join_approved", _("Your request to join was approved")
    JOIN_DECLINED = "join_declined", _("Your request to join was declined")
    CONVERSATION = "conversation", _("Started a private conversation with you")
    POST_APPROVED = "post_approved", _("Your post was approved")
    POST_REJECTED = "post_rejected", _("Your post was not approved")
    POST_HIDDEN = "post_hidden", _("Your post was hidden")
    NEW_REPORT = "new_report", _("A post was reported")
    CASE_STUDY = "case_study", _("New case study from a partnership you follow")
    COURSE_MESSAGE = "course_message", _("A message from a trainer of your course")


#: Kinds whose news already went out by mail when they were written: the digest leaves them.
MAILED_AT_ONCE = frozenset({NotificationKind.COURSE_MESSAGE})


class NotificationNote(models.Model):
    """Words someone wrote to many people at once (a trainer's message to a course's learners):
    the subject and the first words, stored once and named by each recipient's notification.
    A row of its own rather than columns of the notification, so the message is not copied
    into every recipient's row and the rows a reply writes in bulk stay narrow (one nullable
    key, as ``NotificationReason`` explains)."""

    subject = models.CharField(_("subject"), max_length=200)
    excerpt = models.CharField(_("first words"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("notification note")
        verbose_name_plural = _("notification notes")

    def __str__(self) -> str:
        return self.subject


class Notification(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    #: empty for news about a partnership itself (a request to join answered)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    partnership = models.ForeignKey(
        "network.LandscapePartnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    #: the page the news is about (a partnership's case study first published, a course whose
    #: trainer wrote)
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    #: what the actor wrote, for news that is a message (a trainer's, with ``page`` the course)
    note = models.ForeignKey(
        NotificationNote,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class NotificationReason(models.Model):
    """Why a moderator acted on a member's post (hidden, not approved): a ``HideReason``
    rendered in the reader's language, the moderator's own words, and the topic's title for a
    topic the member can no longer open. Beside the notification rather than in it, so the
    rows a reply writes in bulk stay narrow: SQLite binds at most 999 values a statement, and
    three more columns split a 100-watcher insert in two."""

    notification = models.OneToOneField(
        Notification, primary_key=True, on_delete=models.CASCADE, related_name="reason"
    )
    kind = models.CharField(max_length=20, choices=HideReason.choices, blank=True)
    text = models.CharField(max_length=500, blank=True)
    subject = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return f"reason for notification {self.notification_id}"


class TopicReadState(models.Model):
    """The last post a person has seen in a topic: everything after it is unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="read_states")
    last_read_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "topic"], name="one_read_state_per_topic")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read {self.topic_id}"


class Flag(models.Model):
    """A member reports a post to the moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "reporter"],
                condition=models.Q(resolved_at__isnull=True),
                name="one_open_flag_per_reporter",
            )
        ]

    def __str__(self) -> str:
        return f"flag on post {self.post_id}"


class ModerationAction(models.TextChoices):
    HIDE = "hide", _("Hid a post")
    RESTORE = "restore", _("Restored a post")
    LOCK = "lock", _("Locked a topic")
    UNLOCK = "unlock", _("Unlocked a topic")
    PIN = "pin", _("Pinned a topic")
    UNPIN = "unpin", _("Unpinned a topic")
    MOVE = "move", _("Moved a topic")
    SUSPEND = "suspend", _("Suspended a member")
    RESOLVE_FLAG = "resolve_flag", _("Resolved a flag")
    REDACT = "redact", _("Redacted an earlier version of a post")
    APPROVE = "approve", _("Approved a post")
    REJECT = "reject", _("Did not approve a post")
    TOPIC_HIDE = "topic_hide", _("Hid a topic")
    TOPIC_UNLIST = "topic_unlist", _("Unlisted a topic")
    TOPIC_SHOW = "topic_show", _("Listed a topic again")


class ModerationLog(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    action = models.CharField(max_length=20, choices=ModerationAction.choices)
    topic = models.ForeignKey(
        Topic, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(max_length=500, blank=True)
    #: A move: where the topic was and where it went.
    from_category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    to_category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.action} by {self.actor_id}"


class MemberTrust(models.Model):
    """A member's trust level in the forums, as Discourse has them, kept to two: 0, a new
    member whose posts wait for a moderator and who may not attach files or post many links,
    and 1, a member who has read a little and had enough posts approved
    (``FORUMS_NEW_MEMBER_APPROVALS``, ``FORUMS_NEW_MEMBER_TOPICS_READ``). No row: level 0."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="forum_trust",
    )
    level = models.PositiveSmallIntegerField(_("trust level"), default=0)
    approved_posts = models.PositiveIntegerField(_("approved posts"), default=0)
    promoted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("member trust")
        verbose_name_plural = _("member trust")

    def __str__(self) -> str:
        return f"{self.user_id} at trust level {self.level}"


class Suspension(models.Model):
    """A member may read but not write until ``until``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_suspensions"
    )
    until = models.DateTimeField(_("suspended until"))
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-until"]
        indexes = [models.Index(fields=["user", "until"])]

    def __str__(self) -> str:
        return f"{self.user_id} until {self.until:%Y-%m-%d}"


class TopicEventKind(models.TextChoices):
    POST_CREATED = "post.created"
    POST_EDITED = "post.edited"
    POST_HIDDEN = "post.hidden"
    POST_RESTORED = "post.restored"
    REACTION_CHANGED = "reaction.changed"
    TOPIC_CHANGED = "topic.changed"
    POLL_CHANGED = "poll.changed"


class TopicEvent(models.Model):
    """One row per change a topic's live viewers must see; its id is the stream position.

    Services write the row in the same transaction as the change (holding the topic's row
    lock, so ids are committed in order) and broadcast only the id after commit; a client that
    reconnects asks for everything after the last id it saw, and the database answers.
    """

    topic = models.ForeignKey(Topic, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=TopicEventKind.choices)
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["topic", "id"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} in {self.topic_id}"


class Presence(models.Model):
    """Who has a socket open on a stream, refreshed by heartbeats; stale rows simply expire.

    Kept in the database rather than process memory so that every daphne process counts the
    same readers.
    """

    stream = models.CharField(max_length=60, db_index=True)
    channel_name = models.CharField(max_length=200, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    seen_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.channel_name} on {self.stream}"
