"""Elasticsearch down for real (pointed at a port where nothing listens): the search page says
so, or, with ``SEARCH_FALLBACK=database``, answers from the database backend, which the
indexing tasks kept current while Elasticsearch was unreachable."""

from __future__ import annotations

import socket

import pytest
from django.urls import reverse

from search.backends import get_backend, reset_backends

pytestmark = pytest.mark.django_db


def dead_port() -> int:
    """A port that was free a moment ago: connecting to it is refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def elasticsearch_down(settings):
    def configure(*, fallback: str = "") -> None:
        settings.SEARCH = {
            **settings.SEARCH,
            "BACKEND": "elasticsearch",
            "URL": f"http://127.0.0.1:{dead_port()}",
            "TIMEOUT": 1,
            "FALLBACK": fallback,
        }
        reset_backends()

    yield configure
    reset_backends()


def test_search_page_says_search_is_unavailable_without_a_fallback(
    client, elasticsearch_down, make_case_study, django_capture_on_commit_callbacks
):
    elasticsearch_down()
    with django_capture_on_commit_callbacks(execute=True):
        make_case_study(title="Terraces that hold the rain")  # indexing fails, the page is saved
    response = client.get(reverse("search:search") + "?q=terraces")
    assert response.status_code == 503
    assert "Search is not available at the moment" in response.content.decode()


def test_fallback_answers_from_the_database_while_elasticsearch_is_down(
    client, elasticsearch_down, make_case_study, django_capture_on_commit_callbacks, caplog
):
    elasticsearch_down(fallback="database")
    with django_capture_on_commit_callbacks(execute=True):
        make_case_study(title="Terraces that hold the rain")

    # The page was written to the database index although Elasticsearch refused it.
    assert "Search indexing failed" in caplog.text
    assert any(key.startswith("library.casestudypage:") for key in get_backend("database").keys())

    response = client.get(reverse("search:search") + "?q=terraces")
    body = response.content.decode()
    assert response.status_code == 200
    assert "Terraces that hold the rain" in body
    assert "simpler backup search" in body
    assert "Search is not available at the moment" not in body

    suggestions = client.get(reverse("search:suggest") + "?q=terr").json()["suggestions"]
    assert [item["title"] for item in suggestions] == ["Terraces that hold the rain"]


def test_fallback_is_not_used_when_the_main_backend_answers(
    client, settings, make_case_study, django_capture_on_commit_callbacks
):
    settings.SEARCH = {**settings.SEARCH, "BACKEND": "database", "FALLBACK": "database"}
    reset_backends()
    with django_capture_on_commit_callbacks(execute=True):
        make_case_study(title="Terraces that hold the rain")
    body = client.get(reverse("search:search") + "?q=terraces").content.decode()
    assert "Terraces that hold the rain" in body
    assert "simpler backup search" not in body
