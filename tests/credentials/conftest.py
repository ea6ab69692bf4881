"""Fixtures for the credential tests: a finished course's certificate, and an independent
verifier (``openbadgeslib``) that reads our published documents through the test client
instead of the network."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import Client

from courses import services as course_services
from tests.courses import conftest as course_fixtures

catalogue = course_fixtures.catalogue
make_course = course_fixtures.make_course
trainer = course_fixtures.trainer


@pytest.fixture
def issue_certificate(make_course, make_user):
    """``issue_certificate(user=None, title=...)``: a learner finishes a one-lesson course."""

    def factory(*, user=None, title: str = "Páramo restoration", **fields):
        learner = user or make_user(first_name="José", last_name="Muñoz Peña")
        built = make_course(title=title, modules=1, lessons=1, quiz=False, **fields)
        course_services.enrolment_create(user=learner, course=built.course)
        certificate = course_services.lesson_complete(user=learner, lesson=built.lessons[0])
        assert certificate is not None
        return certificate

    return factory


@pytest.fixture
def published():
    """What a verifier would download, answered by the site itself: the DID document that
    ``did:web`` names (``https://<host>/.well-known/did.json``) and the status lists."""
    client = Client()
    fetched: list[str] = []

    def download(url: str) -> bytes:
        fetched.append(url)
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200, url
        assert "no-cache" in response["Cache-Control"]
        return response.content

    download.fetched = fetched
    return download
