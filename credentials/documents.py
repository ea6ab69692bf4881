"""The JSON-LD documents the site publishes, built as data: the Open Badges credential of a
certificate, a status list credential, and the DID document. Pure: facts in, dicts out.

Only terms the vendored contexts define appear here: canonicalisation drops an undefined
member, which would then travel unsigned. Open Badges 3.0 has no term for study hours, so
they are stated in the criteria's narrative (which the proof covers).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from credentials.jsonld import OB_V3, VC_V2
from credentials.proofs import utc_timestamp

DID_V1 = "https://www.w3.org/ns/did/v1"
MULTIKEY_V1 = "https://w3id.org/security/multikey/v1"


@dataclass(frozen=True)
class Issuer:
    did: str
    name: str
    url: str


@dataclass(frozen=True)
class Achievement:
    course_key: UUID
    name: str
    description: str
    criteria_narrative: str
    course_url: str
    language: str


@dataclass(frozen=True)
class Subject:
    name: str
    #: ``sha256$<hex>`` of the email address and :attr:`salt`, never the address itself.
    email_hash: str
    salt: str


@dataclass(frozen=True)
class StatusEntry:
    list_url: str
    index: int


def open_badge_credential(
    *,
    credential_id: UUID,
    issuer: Issuer,
    achievement: Achievement,
    subject: Subject,
    valid_from: datetime,
    status: StatusEntry,
) -> dict:
    """An unsigned ``OpenBadgeCredential`` (VC Data Model 2.0, Open Badges 3.0.3)."""
    return {
        "@context": [VC_V2, OB_V3],
        "id": f"urn:uuid:{credential_id}",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": achievement.name,
        "issuer": {
            "id": issuer.did,
            "type": ["Profile"],
            "name": issuer.name,
            "url": issuer.url,
        },
        "validFrom": utc_timestamp(valid_from),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [
                {
                    "type": "IdentityObject",
                    "identityType": "name",
                    "hashed": False,
                    "identityHash": subject.name,
                },
                {
                    "type": "IdentityObject",
                    "identityType": "emailAddress",
                    "hashed": True,
                    "identityHash": subject.email_hash,
                    "salt": subject.salt,
                },
            ],
            "achievement": {
                "id": f"urn:uuid:{achievement.course_key}",
                "type": ["Achievement"],
                "achievementType": "Course",
                "name": achievement.name,
                "description": achievement.description or achievement.name,
                "criteria": {
                    "id": achievement.course_url,
                    "narrative": achievement.criteria_narrative,
                },
                "inLanguage": achievement.language,
            },
        },
        "credentialStatus": {
            "id": f"{status.list_url}#{status.index}",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": str(status.index),
            "statusListCredential": status.list_url,
        },
    }


def status_list_credential(
    *,
    list_url: str,
    issuer_did: str,
    encoded_list: str,
    valid_from: datetime,
    valid_until: datetime,
) -> dict:
    """An unsigned ``BitstringStatusListCredential`` for revocation."""
    return {
        "@context": [VC_V2],
        "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did,
        "validFrom": utc_timestamp(valid_from),
        "validUntil": utc_timestamp(valid_until),
        "credentialSubject": {
            "id": f"{list_url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list,
        },
    }


def did_document(*, did: str, keys: list[tuple[str, str]]) -> dict:
    """The ``did:web`` document: every key ever used, ``(fragment, publicKeyMultibase)``, the
    active one first. Retired keys stay, so what they signed keeps verifying."""
    methods = [
        {
            "id": f"{did}#{fragment}",
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": public_key,
        }
        for fragment, public_key in keys
    ]
    return {
        "@context": [DID_V1, MULTIKEY_V1],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }
