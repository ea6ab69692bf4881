"""Reads: the published documents (DID document, status lists) and the bits behind them."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import F, Max, Q
from django.utils import timezone

from config.page_cache import cached_value
from credentials import documents, keys, proofs, services, status_list
from credentials.models import CertificateCredential, SigningKey

#: How long a signed status list says it is good for: a verifier refuses an older copy, so a
#: list replayed from before a revocation stops working within a day. The site itself never
#: serves one older than the last change (it is rebuilt when a bit changes).
STATUS_LIST_VALIDITY = timedelta(days=1)
#: How long a built list may be reused while none of its bits changes (well inside validity).
_STATUS_LIST_REUSE = 3600


def did_document() -> dict:
    """Every key the site ever signed with, the active one first (generated on first use)."""
    services.signing_key()
    published = SigningKey.objects.order_by(
        F("active").desc(nulls_last=True), "-created_at", "-pk"
    ).values_list("key_id", "public_key_multibase")
    return documents.did_document(did=keys.site_did(), keys=list(published))


def status_list_exists(number: int) -> bool:
    if number == 1:
        return True
    last = CertificateCredential.objects.aggregate(last=Max("status_list"))["last"] or 1
    return 1 <= number <= last


def set_status_indexes(number: int) -> list[int]:
    """The bits set in list ``number``: revoked certificates, and deleted ones."""
    return list(
        CertificateCredential.objects.filter(status_list=number)
        .filter(Q(certificate__isnull=True) | Q(certificate__revoked_at__isnull=False))
        .values_list("status_index", flat=True)
    )


def status_list_document(number: int) -> dict:
    """The signed status list credential, rebuilt whenever one of its bits changed
    (``services.status_tag``, bumped by revocation, deletion and late allocation)."""

    def build() -> dict:
        key, private = services.signing_key()
        now = timezone.now()
        unsigned = documents.status_list_credential(
            list_url=services.status_list_url(number),
            issuer_did=keys.site_did(),
            encoded_list=status_list.encode(set_status_indexes(number)),
            valid_from=now,
            valid_until=now + STATUS_LIST_VALIDITY,
        )
        return proofs.add_proof(
            unsigned,
            private_key=private,
            verification_method=keys.verification_method(key.key_id),
            created=now,
        )

    return cached_value(
        f"credentials:status-list:{number}",
        services.status_tag(number),
        build,
        timeout=_STATUS_LIST_REUSE,
    )
