"""Search backends under test: the database one always, Elasticsearch when it is configured."""

from __future__ import annotations

import datetime
import os
import uuid

import pytest

from search.backends import reset_backends
from search.types import PUBLIC, SearchDocument, partnership_audience

BACKENDS = ["database"] + (["elasticsearch"] if os.environ.get("ELASTICSEARCH_URL") else [])


@pytest.fixture(params=BACKENDS)
def backend(request, db, settings):
    """An empty index on one backend; Elasticsearch gets a throwaway index prefix."""
    name = request.param
    settings.SEARCH = {**settings.SEARCH, "BACKEND": name}
    if name == "elasticsearch":
        settings.SEARCH["INDEX_PREFIX"] = f"test-{uuid.uuid4().hex[:8]}"
    reset_backends()
    from search.backends import get_backend

    engine = get_backend()
    engine.clear()
    yield engine
    engine.clear()
    reset_backends()


def when(days_ago: int) -> datetime.datetime:
    return datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC) - datetime.timedelta(days=days_ago)


def document(key: str, title: str, **fields) -> SearchDocument:
    fields.setdefault("kind", "case_study")
    fields.setdefault("url", f"/{key}/")
    fields.setdefault("language", "en")
    fields.setdefault("audience", PUBLIC)
    fields.setdefault("date", when(0))
    return SearchDocument(key=key, title=title, **fields)


PRIVATE_PARTNERSHIP = 7


@pytest.fixture
def corpus(backend):
    """A small network: case studies, a resource, a private forum topic and a translation."""
    documents = [
        document(
            "library.casestudypage:1",
            "Terraces that keep the rain on Mount Kenya",
            summary="Farmers built terraces and planted grasses on steep slopes.",
            body="Soil erosion fell by half after three rainy seasons of terrace building.",
            region="africa",
            country="KE",
            year=2021,
            themes=("restoration", "watershed-management"),
            ecosystems=("mountains",),
            tags=("Soil", "Terraces"),
            latitude=-0.15,
            longitude=37.3,
            date=when(30),
            group="g-terraces",
            translations=("en", "es"),
        ),
        document(
            "library.casestudypage:2",
            "Terrazas que retienen la lluvia en el monte Kenia",
            language="es",
            summary="Los agricultores construyeron terrazas en laderas empinadas.",
            body="La erosión del suelo bajó a la mitad.",
            region="africa",
            country="KE",
            year=2021,
            themes=("restoration", "watershed-management"),
            latitude=-0.15,
            longitude=37.3,
            date=when(30),
            group="g-terraces",
            translations=("en", "es"),
            stands_for_missing=False,  # the English version does
        ),
        document(
            "library.casestudypage:3",
            "An Andean water fund pays for upstream restoration",
            summary="Water users downstream finance grassland care upstream.",
            body="The fund restored wetlands and the city gained cleaner water.",
            region="latin-america",
            country="PE",
            year=2019,
            themes=("finance", "restoration"),
            ecosystems=("wetlands", "grasslands"),
            latitude=-13.5,
            longitude=-72.0,
            date=when(10),
        ),
        document(
            "library.resourcepage:4",
            "Field guide to agroforestry with cocoa",
            kind="resource",
            summary="How to plan shade trees among cocoa.",
            body="Shade trees, soil cover and income from timber.",
            region="africa",
            year=2022,
            themes=("agroforestry",),
            date=when(5),
        ),
        document(
            "forums.topic:5",
            "Secret budget for the Kalimantan peatland terraces",
            kind="topic",
            audience=partnership_audience(PRIVATE_PARTNERSHIP),
            summary="Only partnership members discuss the confidential budget.",
            body="The confidential terraces budget is 2 million.",
            region="asia",
            date=when(1),
        ),
        document(
            "forums.topic:6",
            "Members-only chat about terraces",
            kind="topic",
            audience="members",
            summary="Signed-in members talk terraces.",
            date=when(2),
        ),
        document(
            "library.casestudypage:7",
            "Mangroves <script>alert(1)</script> return to the delta",
            summary="Fishers replanted mangroves.",
            body="Mangroves protect the coast & fish nurseries.",
            region="asia",
            country="VN",
            year=2023,
            themes=("restoration",),
            latitude=10.0,
            longitude=106.5,
            date=when(3),
        ),
    ]
    backend.upsert(documents)
    return backend
