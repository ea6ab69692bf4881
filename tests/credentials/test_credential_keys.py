"""The site's signing keys: generated and stored encrypted on the embedded default, taken
from the environment in production, rotated without invalidating what they signed."""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.core.management import call_command
from openbadgeslib.ob3.ldp import OB3LdpVerifier
from openbadgeslib.ob3.verifier import OB3VerificationError

from credentials import keys, multibase, services
from credentials.models import CertificateCredential, KeySource, SigningKey

pytestmark = pytest.mark.django_db


def _verify(document, download) -> None:
    OB3LdpVerifier().verify(
        document, check_status=True, download=download, verify_status_list=False
    )


def _did_document(client) -> dict:
    return json.loads(client.get("/.well-known/did.json").content)


def test_the_first_credential_generates_a_key_stored_encrypted(issue_certificate, client):
    assert not SigningKey.objects.exists()
    document = services.credential_for(certificate=issue_certificate())

    key = SigningKey.objects.get()
    assert key.is_active and key.source == KeySource.DATABASE
    private = keys.decrypt(key.encrypted_private_key)
    raw = private.private_bytes_raw()
    assert raw not in bytes(key.encrypted_private_key)
    assert base64.urlsafe_b64encode(raw).rstrip(b"=") not in bytes(key.encrypted_private_key)
    assert document["proof"]["verificationMethod"] == keys.verification_method(key.key_id)
    did = _did_document(client)
    assert did["id"] == keys.site_did()
    assert did["verificationMethod"] == [
        {
            "id": keys.verification_method(key.key_id),
            "type": "Multikey",
            "controller": keys.site_did(),
            "publicKeyMultibase": multibase.multikey(private.public_key()),
        }
    ]
    assert did["assertionMethod"] == [keys.verification_method(key.key_id)]


def test_a_credential_signed_before_a_rotation_still_verifies_after_it(
    issue_certificate, published, client
):
    before = services.credential_for(certificate=issue_certificate())
    old_key = SigningKey.objects.get()

    call_command("credentials_key", "rotate")

    after = services.credential_for(certificate=issue_certificate(title="Second course"))
    new_key = SigningKey.objects.get(active=True)
    assert new_key != old_key
    assert after["proof"]["verificationMethod"].endswith(new_key.key_id)
    assert before["proof"]["verificationMethod"].endswith(old_key.key_id)
    old_key.refresh_from_db()
    assert old_key.retired_at is not None and old_key.encrypted_private_key is None
    methods = [method["id"] for method in _did_document(client)["verificationMethod"]]
    assert methods == [keys.verification_method(k.key_id) for k in (new_key, old_key)]
    _verify(before, published)
    _verify(after, published)
    listing = io.StringIO()
    call_command("credentials_key", "list", stdout=listing)
    lines = listing.getvalue().splitlines()
    assert lines[0].endswith("active") and new_key.key_id in lines[0]
    assert "retired" in lines[1] and old_key.key_id in lines[1]


def test_a_key_missing_from_the_did_document_fails_verification(issue_certificate, published):
    document = services.credential_for(certificate=issue_certificate())
    # As if the site had dropped a retired key (the credentials' rows protect it from that).
    CertificateCredential.objects.update(signing_key=None)
    SigningKey.objects.all().delete()
    services.signing_key()

    with pytest.raises(OB3VerificationError, match="no verificationMethod"):
        _verify(document, published)


def test_production_supplies_its_key_in_the_environment(issue_certificate, published, settings):
    stored = services.credential_for(certificate=issue_certificate())
    seed = keys.generate_seed()
    settings.CREDENTIALS_SIGNING_KEY = seed

    from_environment = services.credential_for(certificate=issue_certificate(title="Second"))

    key = SigningKey.objects.get(active=True)
    assert key.source == KeySource.ENVIRONMENT and key.encrypted_private_key is None
    assert key.public_key_multibase == keys.public_multikey(keys.environment_key())
    assert from_environment["proof"]["verificationMethod"].endswith(key.key_id)
    _verify(stored, published)
    _verify(from_environment, published)
    with pytest.raises(services.CredentialError):
        services.signing_key_rotate()


def test_a_stored_key_unreadable_after_a_secret_key_change_is_replaced(
    issue_certificate, published, settings
):
    before = services.credential_for(certificate=issue_certificate())
    settings.SECRET_KEY = "another-secret-key-" + "x" * 40

    after = services.credential_for(certificate=issue_certificate(title="Second"))

    assert SigningKey.objects.count() == 2
    _verify(before, published)
    _verify(after, published)
