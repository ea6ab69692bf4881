"""The seeded site: home page, sections in the navigation, languages by URL prefix."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(seeded_demo) -> None:
    """The demo, seeded once for the module (tests/conftest.py ``demo_site``)."""


def test_home_page_links_every_room_of_the_site(client, seeded):
    page = client.get("/").content.decode()
    for href in [
        'href="/courses/"',
        'href="/case-studies/"',
        'href="/resources/"',
        'href="/forums/"',
        'href="/network/"',
        'href="/search/"',
    ]:
        assert href in page
    assert '<a class="skip-link" href="#main">' in page
    assert '<main id="main"' in page
    assert '<html lang="en"' in page


@pytest.mark.parametrize(
    "path", ["/courses/", "/case-studies/", "/resources/", "/forums/", "/search/?q=soil"]
)
def test_every_section_renders(client, seeded, path):
    assert client.get(path).status_code == 200


def test_spanish_prefix_serves_the_spanish_tree_and_interface(client, seeded):
    page = client.get("/es/").content.decode()
    assert '<html lang="es"' in page
    assert 'href="/es/courses/">Cursos</a>' in page
    assert "Saltar al contenido principal" in page


def test_language_switcher_redirects_to_the_same_page_in_the_chosen_language(client, seeded):
    response = client.post("/i18n/setlang/", {"language": "fr", "next": "/courses/"})
    assert response.status_code == 302
    assert response["Location"] == "/fr/courses/"


def test_unknown_page_is_a_friendly_404(client, seeded):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_search_query_is_echoed_escaped(client, seeded):
    page = client.get("/search/", {"q": "<img src=x onerror=alert(1)>"}).content.decode()
    assert "<img src=x" not in page
    assert "&lt;img src=x" in page


def test_home_page_features_courses_and_recent_case_studies(client, seeded):
    html = client.get("/").content.decode()
    assert "Starting a landscape partnership" in html
    assert "Recent case studies" in html


def test_home_page_shows_upcoming_dialogues_and_active_public_topics(client, seeded):
    from forums.demo import PRIVATE_DISCUSSION

    html = client.get("/").content.decode()
    assert "Ask the nursery managers: seedlings for dry years" in html
    assert "Active in the forums" in html
    assert PRIVATE_DISCUSSION[0] not in html
