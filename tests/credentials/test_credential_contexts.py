"""The vendored JSON-LD contexts are the pinned documents, and nothing else is ever loaded."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from credentials import jsonld

DIGESTS = {
    "credentials-v2.json": "59955ced6697d61e03f2b2556febe5308ab16842846f5b586d7f1f7adec92734",
    "ob-v3p0-context-3.0.3.json": (
        "3d34f4d4ef1bce691106e63798beb5e7b862ba841423f5ee1e53ab7ddf3bca84"
    ),
}


@pytest.mark.parametrize(("name", "digest"), DIGESTS.items())
def test_a_vendored_context_is_the_pinned_document(name, digest):
    path = Path(jsonld.__file__).parent / "contexts" / name
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_an_unknown_context_is_refused_not_fetched():
    document = {"@context": "https://example.org/context.json", "name": "x"}
    with pytest.raises(Exception, match="not vendored"):
        jsonld.canonical_nquads(document)
