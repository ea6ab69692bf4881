"""Reactions to the course record's facts (``courses.signals``), run in the courses
services' own transactions."""

from __future__ import annotations

from config.page_cache import bump
from credentials import services
from credentials.models import CertificateCredential


def allocate_status_entry(sender, *, certificate, **kwargs) -> None:
    """A new certificate gets its status-list bit in the transaction that issues it."""
    services.status_entry_allocate(certificate=certificate)


def drop_status_list(sender, *, certificate, **kwargs) -> None:
    """A revocation sets the certificate's bit: its list is rebuilt on the next request (the
    bump runs now and again after commit, ``config.page_cache.bump``)."""
    number = (
        CertificateCredential.objects.filter(certificate=certificate)
        .values_list("status_list", flat=True)
        .first()
    )
    if number is not None:
        bump(services.status_tag(number))


def drop_status_list_on_delete(sender, *, instance, **kwargs) -> None:
    """A deleted certificate's bit becomes set (its row is kept): rebuild its list."""
    if kwargs.get("raw"):
        return
    drop_status_list(sender, certificate=instance)
