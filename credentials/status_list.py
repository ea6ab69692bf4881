"""Bitstring Status List (W3C VC Bitstring Status List v1.0): the bits and their encoding.

Pure functions. A list holds :data:`LIST_SIZE` bits (the specification's minimum, 16 KiB,
so one credential's index says little about when it was issued: indexes are drawn at random);
bit ``i`` is the ``i % 8``-th most significant bit of byte ``i // 8``. ``encodedList`` is the
multibase base64url (``u``, no padding) of the GZIP-compressed bitstring.
"""

from __future__ import annotations

import base64
import gzip
from collections.abc import Iterable

LIST_SIZE = 131_072


def encode(set_indexes: Iterable[int], size: int = LIST_SIZE) -> str:
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise ValueError(f"Status index {index} is outside the list.")
        bits[index // 8] |= 0x80 >> (index % 8)
    # mtime=0: the same bits always encode to the same text (an ETag that means something).
    compressed = gzip.compress(bytes(bits), mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode().rstrip("=")


def decode(encoded_list: str) -> bytes:
    if not encoded_list.startswith("u"):
        raise ValueError("encodedList is not multibase base64url.")
    payload = encoded_list[1:]
    return gzip.decompress(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def is_set(bitstring: bytes, index: int) -> bool:
    return bool(bitstring[index // 8] & (0x80 >> (index % 8)))
