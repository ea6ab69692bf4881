"""What the tool keeps beyond django-lti's own rows (registrations, deployments, keys, and the
users, contexts and resource links each launch syncs).

- ``LinkedAccount``: the platform's person (issuer + ``sub``) is one of our users, who signs in
  by launching and has no password.
- ``UsedLaunch``: pylti1p3 checks that a launch's nonce is one it issued but never forgets it,
  so the same id_token posted again would pass its validation; one row per (issuer, nonce),
  written in the sign-in's transaction, refuses the second one.
- ``ContextCohort``: the platform's course (a deployment's context) taught as a cohort of one of
  our courses.
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
