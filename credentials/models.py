"""The site's signing keys, and each certificate's place in a status list and signed credential."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KeySource(models.TextChoices):
    DATABASE = "database", _("generated, stored encrypted")
    ENVIRONMENT = "environment", _("from the environment")


class SigningKey(models.Model):
    """An Ed25519 key the site signs credentials with, as published in its DID document.

    Exactly one key is active; a retired key signs nothing more but stays in the DID document
    for ever, so every credential it signed keeps verifying. The private half is either in the
    environment (``CREDENTIALS_SIGNING_KEY``; only the public half is kept here) or generated
    on first use and stored encrypted with a key derived from ``SECRET_KEY``."""

    key_id = models.CharField(max_length=64, unique=True)
    public_key_multibase = models.CharField(max_length=64, unique=True)
    encrypted_private_key = models.BinaryField(null=True, blank=True, editable=False)
    source = models.CharField(max_length=16, choices=KeySource.choices)
    created_at = models.DateTimeField()
    retired_at = models.DateTimeField(null=True, blank=True)
    # True for the active key, NULL once retired: a unique column admits one True and any
    # number of NULLs, on SQLite and PostgreSQL alike, so two processes generating the first
    # key at once cannot both succeed.
    active = models.BooleanField(null=True, default=True, unique=True, editable=False)

    class Meta:
        verbose_name = _("signing key")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.key_id

    @property
    def is_active(self) -> bool:
        return bool(self.active)


class CertificateCredential(models.Model):
    """A certificate's Open Badges credential: its bit in a status list (allocated when the
    certificate is issued) and the signed document (signed once, on first request, and kept:
    a wallet's copy and ours are the same bytes, signed by the key active at the time)."""

    # A deleted certificate (its learner's account deleted) leaves its bit behind, set: the
    # copy in a wallet must stop verifying, as a revoked one does.
    certificate = models.OneToOneField(
        "courses.Certificate",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="credential",
    )
    status_list = models.PositiveIntegerField()
    status_index = models.PositiveIntegerField()
    document = models.JSONField(null=True, blank=True)
    signing_key = models.ForeignKey(
        SigningKey, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate credential")
        constraints = [
            models.UniqueConstraint(
                fields=["status_list", "status_index"], name="one_credential_per_status_bit"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} at {self.status_list}/{self.status_index}"
