"""Data Integrity proofs, cryptosuite ``eddsa-rdfc-2022`` (W3C vc-di-eddsa), with Ed25519.

Pure functions: a document and a key in, a secured document (or a verdict) out. The signed
bytes are ``SHA-256(canonical proof options) || SHA-256(canonical document)``, where the proof
options carry the document's ``@context`` and the document is canonicalised without its proof.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import UTC, datetime
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from credentials import multibase
from credentials.jsonld import canonical_nquads

CRYPTOSUITE = "eddsa-rdfc-2022"


class ProofError(ValueError):
    """A proof that is missing, malformed or does not verify."""


def utc_timestamp(moment: datetime) -> str:
    """An XML Schema dateTime in UTC, to the second (``2026-12-03T16:20:00Z``)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _hash_data(unsecured: dict[str, Any], options: dict[str, Any]) -> bytes:
    options = {**options, "@context": unsecured["@context"]}
    return (
        hashlib.sha256(canonical_nquads(options).encode()).digest()
        + hashlib.sha256(canonical_nquads(unsecured).encode()).digest()
    )


def add_proof(
    document: dict[str, Any],
    *,
    private_key: Ed25519PrivateKey,
    verification_method: str,
    created: datetime,
) -> dict[str, Any]:
    """A copy of ``document`` with an ``assertionMethod`` DataIntegrityProof."""
    unsecured = copy.deepcopy(document)
    unsecured.pop("proof", None)
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": utc_timestamp(created),
        "verificationMethod": verification_method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(unsecured, options))
    return {**unsecured, "proof": {**options, "proofValue": "z" + multibase.b58encode(signature)}}


def verify_proof(document: dict[str, Any], *, public_key: Ed25519PublicKey) -> None:
    """Raise :class:`ProofError` unless ``document``'s proof is ``public_key``'s signature.

    Our own check, used where the site reads back what it signed (a status list before
    serving it, in tests); independent verification is the tests' business
    (``openbadgeslib``)."""
    proof = document.get("proof")
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        raise ProofError("No eddsa-rdfc-2022 proof.")
    value = proof.get("proofValue")
    if not isinstance(value, str) or not value.startswith("z"):
        raise ProofError("The proof value is not base58btc multibase.")
    unsecured = {key: item for key, item in document.items() if key != "proof"}
    options = {key: item for key, item in proof.items() if key != "proofValue"}
    try:
        public_key.verify(multibase.b58decode(value[1:]), _hash_data(unsecured, options))
    except (InvalidSignature, ValueError) as error:
        raise ProofError("The signature does not match the document.") from error
