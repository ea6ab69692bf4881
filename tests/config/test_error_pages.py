"""Refusals (403) and bad requests (400) answer with the site's own page, in the visitor's
language, not a bare "403 Forbidden"."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_refusal_is_the_sites_styled_page(learner_client):
    response = learner_client.get(reverse("forums:dialogue_create"))
    assert response.status_code == 403
    text = response.content.decode()
    assert "<html" in text and 'rel="stylesheet"' in text
    assert "You cannot do this" in text
    assert "403 Forbidden" not in text


def test_a_refusal_speaks_the_pages_language(learner_client):
    response = learner_client.get("/es" + reverse("forums:dialogue_create"))
    assert response.status_code == 403
    assert '<html lang="es"' in response.content.decode()


def test_a_bad_request_is_the_sites_styled_page(client):
    response = client.get("/", HTTP_HOST="not-our-site.example")
    assert response.status_code == 400
    text = response.content.decode()
    assert "<html" in text and 'rel="stylesheet"' in text
    assert "We could not understand this request" in text
