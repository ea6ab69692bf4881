"""Certificates as Open Badges 3.0 credentials, checked by an independent verifier
(``openbadgeslib``'s Data Integrity verifier), which resolves our ``did:web`` and reads our
status list through the ``published`` fixture instead of the network."""

from __future__ import annotations

import copy
import json

import pytest
from openbadgeslib.ob3.did import resolve_verification_method
from openbadgeslib.ob3.ldp import OB3LdpVerifier, verify_data_integrity_proof
from openbadgeslib.ob3.verifier import OB3VerificationError

from courses import services as course_services
from credentials import keys, services, status_list
from credentials.jsonld import canonical_nquads
from credentials.models import CertificateCredential

pytestmark = pytest.mark.django_db


def _verify(document: dict, download) -> None:
    OB3LdpVerifier().verify(
        document, check_status=True, download=download, verify_status_list=False
    )


def _status_bit(document: dict, download) -> bool:
    """Read the credential's status per the Bitstring Status List spec, and check the list's
    own proof with the verifier's Data Integrity check and our DID document's key."""
    entry = document["credentialStatus"]
    listed = json.loads(download(entry["statusListCredential"]))
    assert listed["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert listed["issuer"] == document["issuer"]["id"]
    key = resolve_verification_method(listed["proof"]["verificationMethod"], download=download)
    verify_data_integrity_proof(listed, key)
    bits = status_list.decode(listed["credentialSubject"]["encodedList"])
    assert len(bits) * 8 >= status_list.LIST_SIZE
    return status_list.is_set(bits, int(entry["statusListIndex"]))


def test_a_fresh_credential_verifies_with_an_independent_verifier(issue_certificate, published):
    certificate = issue_certificate()
    document = services.credential_for(certificate=certificate)

    _verify(document, published)

    assert document["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert document["issuer"]["id"] == keys.site_did() == "did:web:127.0.0.1%3A8000"
    assert document["proof"]["cryptosuite"] == "eddsa-rdfc-2022"
    assert any(url.endswith("/.well-known/did.json") for url in published.fetched)
    assert document["credentialStatus"]["statusListCredential"] in published.fetched
    assert _status_bit(document, published) is False


def test_the_credential_describes_the_achievement_without_the_learners_email(issue_certificate):
    certificate = issue_certificate(estimated_hours=12)
    document = services.credential_for(certificate=certificate)
    achievement = document["credentialSubject"]["achievement"]

    assert achievement["name"] == "Páramo restoration"
    assert achievement["description"] == "A course for tests."
    assert achievement["criteria"]["id"].endswith("/courses/course-1/")
    assert "About 12 hours of study." in achievement["criteria"]["narrative"]
    assert document["validFrom"] == certificate.issued_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert certificate.user.email not in json.dumps(document)
    names = [i for i in document["credentialSubject"]["identifier"] if i["identityType"] == "name"]
    assert names[0]["identityHash"] == "José Muñoz Peña"


def test_every_value_of_the_credential_is_covered_by_the_signature(issue_certificate):
    """Canonicalisation drops a member its contexts do not define; such a member would travel
    unsigned. Every value we emit must reach the signed N-Quads."""
    document = services.credential_for(certificate=issue_certificate())
    unsecured = {key: value for key, value in document.items() if key != "proof"}
    nquads = canonical_nquads(unsecured)

    def leaves(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if key != "@context":
                    yield from leaves(item)
        elif isinstance(value, list):
            for item in value:
                yield from leaves(item)
        else:
            yield value

    for leaf in leaves(unsecured):
        expected = "true" if leaf is True else "false" if leaf is False else str(leaf)
        assert expected in nquads, leaf


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("credentialSubject", "achievement", "name"), "Another course"),
        (("name",), "Another course"),
        (("credentialStatus", "statusListIndex"), "7"),
    ],
)
def test_a_tampered_credential_fails(issue_certificate, published, path, value):
    document = copy.deepcopy(services.credential_for(certificate=issue_certificate()))
    target = document
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value

    with pytest.raises(OB3VerificationError, match="signature mismatch"):
        _verify(document, published)


def test_a_revoked_certificate_shows_as_revoked_through_the_status_list(
    issue_certificate, published, trainer, client
):
    certificate = issue_certificate()
    document = services.credential_for(certificate=certificate)
    list_url = document["credentialStatus"]["statusListCredential"]
    assert _status_bit(document, published) is False  # fetched (and cached) before

    course_services.certificate_revoke(
        certificate=certificate, revoked_by=trainer, reason="Issued in error."
    )

    assert _status_bit(document, published) is True
    with pytest.raises(OB3VerificationError, match="revocation"):
        _verify(document, published)
    # The public verification page says the same, and links the list.
    page = client.get(f"/certificates/{certificate.public_id}/")
    assert "Status: revoked on" in page.content.decode()
    assert list_url in page.content.decode()


def test_another_certificates_revocation_leaves_this_one_valid(
    issue_certificate, published, trainer
):
    kept = services.credential_for(certificate=issue_certificate())
    other = issue_certificate(title="Another course")
    services.credential_for(certificate=other)

    course_services.certificate_revoke(certificate=other, revoked_by=trainer, reason="Error.")

    _verify(kept, published)


def test_a_deleted_certificate_reads_as_revoked(issue_certificate, published):
    certificate = issue_certificate()
    document = services.credential_for(certificate=certificate)
    assert _status_bit(document, published) is False

    certificate.user.delete()

    assert CertificateCredential.objects.filter(certificate__isnull=True).count() == 1
    assert _status_bit(document, published) is True


def test_a_certificate_issued_before_the_app_gets_its_bit_and_credential_late(
    issue_certificate, published, trainer
):
    certificate = issue_certificate()
    CertificateCredential.objects.all().delete()
    _status_bit(services.credential_for(certificate=issue_certificate(title="Other")), published)
    course_services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="Late.")
    assert not CertificateCredential.objects.filter(certificate=certificate).exists()

    document = services.credential_for(certificate=certificate)

    assert _status_bit(document, published) is True


def test_status_lists_and_the_did_document_are_never_stored_by_a_cache(client, issue_certificate):
    document = services.credential_for(certificate=issue_certificate())
    for url in ("/.well-known/did.json", document["credentialStatus"]["statusListCredential"]):
        path = url.removeprefix("http://127.0.0.1:8000")
        for _ in range(2):
            response = client.get(path)
            assert response.status_code == 200
            assert "no-cache" in response["Cache-Control"]
            assert "public" not in response["Cache-Control"]
            assert response.get("X-Accel-Expires", "0") == "0"  # nginx keeps nothing
    assert client.get("/credentials/status/2").status_code == 404


def _queries_for_status_list(client, number: int = 1) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from config.page_cache import bump

    bump(services.status_tag(number))  # cold: the list is built again
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/credentials/status/{number}").status_code == 200
    return len(queries)


def test_a_status_list_costs_the_same_queries_whatever_it_holds(client, issue_certificate, trainer):
    first = issue_certificate()
    services.credential_for(certificate=first)
    course_services.certificate_revoke(certificate=first, revoked_by=trainer, reason="One.")
    small = _queries_for_status_list(client)

    for number in range(4):
        more = issue_certificate(title=f"Course {number}")
        course_services.certificate_revoke(certificate=more, revoked_by=trainer, reason="More.")

    assert _queries_for_status_list(client) == small
    bits = status_list.decode(
        json.loads(client.get("/credentials/status/1").content)["credentialSubject"]["encodedList"]
    )
    assert sum(status_list.is_set(bits, i) for i in range(status_list.LIST_SIZE)) == 5
