"""Multibase base58btc and Multikey encodings (the ``z...`` strings of DIDs and proofs)."""

from __future__ import annotations

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_INDEX = {character: number for number, character in enumerate(_ALPHABET)}
#: The multicodec prefix of an Ed25519 public key (0xed as an unsigned varint).
_ED25519_PUB = b"\xed\x01"


def b58encode(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    encoded = ""
    while number:
        number, remainder = divmod(number, 58)
        encoded = _ALPHABET[remainder] + encoded
    return "1" * (len(data) - len(data.lstrip(b"\0"))) + encoded


def b58decode(text: str) -> bytes:
    number = 0
    for character in text:
        if character not in _INDEX:
            raise ValueError(f"Not base58btc: {character!r}")
        number = number * 58 + _INDEX[character]
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * (len(text) - len(text.lstrip("1"))) + body


def multikey(public_key: Ed25519PublicKey) -> str:
    """The ``publicKeyMultibase`` of a Multikey verification method (``z6Mk...``)."""
    raw = public_key.public_bytes(Encoding.Raw, PublicFormat.Raw)
    return "z" + b58encode(_ED25519_PUB + raw)


def public_key_from_multikey(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("Not a base58btc multibase value.")
    data = b58decode(value[1:])
    if not data.startswith(_ED25519_PUB) or len(data) != 34:
        raise ValueError("Not an Ed25519 Multikey.")
    return Ed25519PublicKey.from_public_bytes(data[2:])
