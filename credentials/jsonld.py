"""JSON-LD canonicalisation against the vendored contexts, and nothing else.

RDFC-1.0 (pyld's ``URDNA2015``) turns a credential into canonical N-Quads, the bytes a Data
Integrity proof signs. Every ``@context`` is resolved from ``credentials/contexts/``: a
context fetched from the network at signing time could change what a signature covers, and an
unknown URL is an error, never a download.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from pyld import jsonld

VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"

_CONTEXTS_DIR = Path(__file__).resolve().parent / "contexts"
_FILES = {VC_V2: "credentials-v2.json", OB_V3: "ob-v3p0-context-3.0.3.json"}


class UnknownContext(ValueError):
    """A document names a context we do not ship."""


@functools.cache
def context_document(url: str) -> dict[str, Any]:
    name = _FILES.get(url)
    if name is None:
        raise UnknownContext(f"JSON-LD context {url!r} is not vendored; contexts are never fetched")
    return json.loads((_CONTEXTS_DIR / name).read_text(encoding="utf-8"))


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader shape: the vendored document, or an error."""
    return {"contextUrl": None, "documentUrl": url, "document": context_document(url)}


def canonical_nquads(document: dict[str, Any]) -> str:
    """The RDFC-1.0 canonical N-Quads of ``document``.

    A member the contexts do not define is dropped here, so it would travel unsigned: the
    builders emit only defined terms, and a test checks that every value reaches the N-Quads."""
    return jsonld.normalize(
        document,
        {
            "algorithm": "URDNA2015",
            "format": "application/n-quads",
            "documentLoader": document_loader,
        },
    )
