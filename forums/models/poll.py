"""A poll in a topic: one question, several choices, one vote per member that they may change.

Results are counted from ``PollVote`` rows; a vote records a ``TopicEvent`` (``poll.changed``)
so the topic's live readers get the new counts over the socket they already have open.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Poll(models.Model):
    topic = models.OneToOneField(
        "forums.Topic", verbose_name=_("topic"), on_delete=models.CASCADE, related_name="poll"
    )
    question = models.CharField(_("question"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.question


class PollChoice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(_("choice"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("poll choice")
        verbose_name_plural = _("poll choices")

    def __str__(self) -> str:
        return self.label


class PollVote(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="votes")
    choice = models.ForeignKey(PollChoice, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    voted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("poll vote")
        verbose_name_plural = _("poll votes")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_vote_per_poll_member")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} chose {self.choice_id}"
