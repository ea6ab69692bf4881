"""Key material: the site's DID, key ids, the environment's key, and encryption at rest.

Pure helpers; which key is active is the services' business (``credentials.services``).

Production supplies its key in ``CREDENTIALS_SIGNING_KEY`` (the base64url of a 32-byte Ed25519
seed, as ``manage.py credentials_key generate`` prints, or a PKCS#8 PEM). Without it the site
generates a key on first use and stores it encrypted (Fernet, with a key derived from
``SECRET_KEY`` by HKDF), so a database dump alone does not hold a usable key.
"""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote, urlsplit

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from credentials import multibase

_HKDF_INFO = b"landscape-commons credentials signing keys v1"


def site_did() -> str:
    """``did:web`` of ``SITE_URL``'s host (a port is percent-encoded, as the method says)."""
    parts = urlsplit(settings.SITE_URL)
    host = parts.hostname or "localhost"
    if parts.port:
        host = f"{host}:{parts.port}"
    return "did:web:" + quote(host, safe="")


def key_id(public_key: Ed25519PublicKey) -> str:
    """The DID URL fragment naming a key: derived from the key, so the same key always gets
    the same id, whichever process registers it first."""
    raw = public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "ed25519-" + hashlib.sha256(raw).hexdigest()[:16]


def verification_method(fragment: str) -> str:
    return f"{site_did()}#{fragment}"


def generate_seed() -> str:
    """A new key in the environment's format: base64url of the 32-byte seed, no padding."""
    raw = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw,
        serialization.PrivateFormat.Raw,
        serialization.NoEncryption(),
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def environment_key() -> Ed25519PrivateKey | None:
    """The key in ``CREDENTIALS_SIGNING_KEY``, or ``None`` when it is unset."""
    value = (getattr(settings, "CREDENTIALS_SIGNING_KEY", "") or "").strip()
    if not value:
        return None
    try:
        if value.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(value.encode(), password=None)
        else:
            seed = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
            key = Ed25519PrivateKey.from_private_bytes(seed)
    except ValueError as error:
        raise ImproperlyConfigured(
            "CREDENTIALS_SIGNING_KEY must be an Ed25519 key: the base64url of a 32-byte seed "
            "(manage.py credentials_key generate) or a PKCS#8 PEM."
        ) from error
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("CREDENTIALS_SIGNING_KEY must be an Ed25519 key.")
    return key


def _fernet() -> Fernet:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(
        settings.SECRET_KEY.encode()
    )
    return Fernet(base64.urlsafe_b64encode(derived))


def encrypt(private_key: Ed25519PrivateKey) -> bytes:
    raw = private_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    return _fernet().encrypt(raw)


def decrypt(token: bytes) -> Ed25519PrivateKey | None:
    """The stored key, or ``None`` when it cannot be read (``SECRET_KEY`` changed since)."""
    try:
        return Ed25519PrivateKey.from_private_bytes(_fernet().decrypt(bytes(token)))
    except (InvalidToken, ValueError):
        return None


def public_multikey(private_key: Ed25519PrivateKey) -> str:
    return multibase.multikey(private_key.public_key())
