"""Live dialogue sessions: a scheduled room with chat and moderated Q&A.

When the host ends a session its chat and questions are archived as a forum topic, so the
conversation can be read and searched later like any other discussion.

A session's schedule is its own ``starts_at``/``ends_at`` (aware UTC; the host enters them in
their own zone and each reader sees them in theirs): the clock
(``forums.dialogues.schedule``) opens a scheduled session at its start, reminds its followers
before, and archives a session nobody ended at its end. ``opened_at``/``closed_at`` record
when it actually ran.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class DialogueStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    LIVE = "live", _("Live now")
    ENDED = "ended", _("Ended")


class DialogueSession(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    host = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("host"),
        on_delete=models.PROTECT,
        related_name="hosted_dialogues",
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    category = models.ForeignKey(
        "forums.Category",
        verbose_name=_("forum category"),
        null=True,
        blank=True,
        # CASCADE like topics: a session archived in a partnership's private category must go
        # with it, never outlive it as a public session.
        on_delete=models.CASCADE,
        related_name="dialogues",
        help_text=_(
            "Where the transcript is archived; a private category makes the session private."
        ),
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="live_dialogues",
        help_text=_("The lesson this session belongs to: the lesson's page shows it."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=DialogueStatus.choices, default=DialogueStatus.SCHEDULED
    )
    archived_topic = models.OneToOneField(
        "forums.Topic",
        verbose_name=_("archived transcript"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dialogue",
    )
    created_at = models.DateTimeField(default=timezone.now)
    #: when the session actually opened and closed (by the host or by the clock)
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: when the followers' reminder was queued (once per session)
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    #: when the followers' reminder the day before was queued (once per session)
    reminded_day_before_at = models.DateTimeField(
        _("reminded the day before at"), null=True, blank=True
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"], name="dialogue_status_start")]
        verbose_name = _("live dialogue session")
        verbose_name_plural = _("live dialogue sessions")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("forums:dialogue", kwargs={"pk": self.pk})


class DialogueFollow(models.Model):
    """Someone who asked to be reminded of a session: they get mail before it starts."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dialogue_follows"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("dialogue follower")
        verbose_name_plural = _("dialogue followers")
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_follow_per_dialogue")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.session_id}"


class DialogueMessage(models.Model):
    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body_source = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    removed = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk} in {self.session_id}"


class DialogueQuestion(models.Model):
    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="questions")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body_source = models.TextField()
    body_html = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    answered = models.BooleanField(default=False)
    removed = models.BooleanField(default=False)
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["answered", "-vote_count", "created_at", "pk"]

    def __str__(self) -> str:
        return f"question {self.pk} in {self.session_id}"


class DialogueVote(models.Model):
    question = models.ForeignKey(DialogueQuestion, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["question", "user"], name="one_vote_per_question")
        ]

    def __str__(self) -> str:
        return f"vote on {self.question_id}"


class DialogueBan(models.Model):
    """A participant the host removed: they may not rejoin this session's room."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="bans")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "user"], name="one_ban_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} removed from {self.session_id}"


class DialogueEventKind(models.TextChoices):
    MESSAGE_CREATED = "message.created"
    MESSAGE_REMOVED = "message.removed"
    QUESTION_CHANGED = "question.changed"
    SESSION_CHANGED = "session.changed"


class DialogueEvent(models.Model):
    """The room's stream position, as ``TopicEvent`` is for topics: replayed on reconnect."""

    session = models.ForeignKey(DialogueSession, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=30, choices=DialogueEventKind.choices)
    message = models.ForeignKey(
        DialogueMessage, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    question = models.ForeignKey(
        DialogueQuestion, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} in {self.session_id}"
