"""What the tool keeps beyond django-lti's own rows (registrations, deployments, keys, and the
users, contexts and resource links each launch syncs).

- ``LinkedAccount``: the platform's person (issuer + ``sub``) is one of our users, who signs in
  by launching and has no password.
- ``UsedLaunch``: pylti1p3 checks that a launch's nonce is one it issued but never forgets it,
  so the same id_token posted again would pass its validation; one row per (issuer, nonce),
  written in the sign-in's transaction, refuses the second one.
- ``ContextCohort``: the platform's course (a deployment's context) taught as a cohort of one of
  our courses.
- ``GradeLink``: a learner's grade for a launched course or lesson goes back to this line item
  of the platform's grade book (and the row is that grade's outbox).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LinkedAccount(models.Model):
    issuer = models.CharField(_("issuer"), max_length=255)
    sub = models.CharField(_("subject"), max_length=255)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_accounts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("linked LTI account")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "sub"], name="one_account_per_platform_sub")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.sub}"


class UsedLaunch(models.Model):
    issuer = models.CharField(max_length=255)
    nonce = models.CharField(max_length=255)
    used_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "nonce"], name="one_launch_per_nonce")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.nonce}"


class ContextCohort(models.Model):
    deployment = models.ForeignKey(
        "lti_tool.LtiDeployment", on_delete=models.CASCADE, related_name="+"
    )
    context_id = models.CharField(max_length=255)
    course_key = models.UUIDField()
    cohort = models.ForeignKey("courses.Cohort", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deployment", "context_id", "course_key"], name="one_cohort_per_context"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deployment_id} {self.context_id}"


class GradeLink(models.Model):
    """Where one learner's grade for one launch target goes: the line item of the resource link
    they launched (AGS ``lineitem``), for the platform account they launched as (its ``sub`` is
    the score's ``userId``). Written by a launch that carries the AGS claim with the score scope.

    It is also the grade outbox, one row per link: AGS keeps only the latest score of a line
    item and user (by timestamp), so only the latest state of the learner's record needs to go.
    A course write marks the row changed (``changed_at``) in the learner's transaction; the task
    worker sends the state as of then after commit and records which change went
    (``sent_for``). A rollback takes the mark away; sending the same change twice posts the same
    score with the same timestamp, which the platform keeps once. ``attempts`` and
    ``next_attempt_at`` hold the back-off after a failed send."""

    lti_user = models.ForeignKey("lti_tool.LtiUser", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lti_grade_links"
    )
    line_item = models.ForeignKey(
        "lti_tool.LtiLineItem", on_delete=models.CASCADE, related_name="grade_links"
    )
    course_key = models.UUIDField()
    # The lesson the resource link opens; empty when it opens the whole course.
    lesson_key = models.UUIDField(null=True, blank=True)
    changed_at = models.DateTimeField(null=True, blank=True)
    sent_for = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("LTI grade link")
        constraints = [
            models.UniqueConstraint(fields=["lti_user", "line_item"], name="one_link_per_line_item")
        ]
        indexes = [
            models.Index(fields=["user", "course_key"]),
            models.Index(fields=["next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.lti_user_id} {self.line_item_id}"
