"""The outbox of xAPI statements, and the opaque name each learner has in the LRS.

A statement is written here in the learner's own transaction (so a rollback reports nothing),
with its id fixed once, and sent after commit by the task worker. The LRS keeps the first copy
of an id and drops the ones it already has, so sending a row twice stores it once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LearnerAccount(models.Model):
    """The learner's name in the LRS (``actor.account.name``): random, so the LRS never learns
    an email, a username or a row id, and stable, so all their statements are one person's."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_account"
    )
    name = models.UUIDField(_("account name"), unique=True, default=uuid.uuid4)

    class Meta:
        verbose_name = _("xAPI learner account")

    def __str__(self) -> str:
        return str(self.name)


class Statement(models.Model):
    """One statement waiting for the LRS, or sent to it.

    ``source`` names the fact (``certificate:12:earned``) so a later statement can refer to an
    earlier one (a revocation voids the certificate's). Pending rows are sent oldest first;
    a failed send sets ``next_attempt_at`` further off each time (``attempts``)."""

    statement_id = models.UUIDField(unique=True, default=uuid.uuid4)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="xapi_statements"
    )
    verb = models.CharField(max_length=40)
    source = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The LRS refused the statement itself (400, or 409: another statement has its id). Kept
    # for a person to read; never sent again.
    rejected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("xAPI statement")
        indexes = [
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=Q(sent_at__isnull=True, rejected_at__isnull=True),
                name="xapi_statement_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.statement_id}"
