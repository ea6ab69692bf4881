"""Language links and the "not translated yet" page (config/translations.py, the
``untranslated`` view, the ``language_links`` tag): a language link never leads to a 404."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group
from wagtail.models import PageViewRestriction

pytestmark = pytest.mark.django_db


def switcher(html: str) -> dict[str, str]:
    """The language switcher's links: ``{language: the whole <a ...> tag}``."""
    nav = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    return {
        re.search(r'hreflang="(\w+)"', tag).group(1): tag for tag in re.findall(r"<a [^>]*>", nav)
    }


def href(tag: str) -> str:
    return re.search(r'href="([^"]+)"', tag).group(1)


def test_a_language_the_page_lacks_links_to_the_not_translated_page_in_that_language(
    client, make_case_study, library_tree
):
    english = make_case_study(title="Terraces of Kijabe")
    spanish = english.copy_for_translation(library_tree["locales"]["es"])
    spanish.title = "Terrazas de Kijabe"
    spanish.save_revision().publish()

    links = switcher(client.get(english.url).content.decode())

    assert href(links["en"]) == english.url
    assert href(links["es"]) == "/es/case-studies/" + spanish.slug + "/"
    assert "nofollow" not in links["es"]
    assert href(links["fr"]) == f"/fr/untranslated/{english.pk}/"
    assert href(links["pt"]) == f"/pt/untranslated/{english.pk}/"
    assert 'rel="nofollow"' in links["fr"]


def test_the_not_translated_page_is_in_the_chosen_language_links_the_original_and_is_not_indexed(
    client, make_case_study
):
    english = make_case_study(title="Terraces of Kijabe")

    response = client.get(f"/fr/untranslated/{english.pk}/")

    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert '<html lang="fr"' in html
    assert '<meta name="robots" content="noindex">' in html
    assert f'<a href="{english.url}" hreflang="en" lang="en">Terraces of Kijabe</a>' in html
    # Going on in French: the case-study section exists in French.
    assert 'href="/fr/case-studies/"' in html
    links = switcher(html)
    assert href(links["en"]) == english.url
    assert href(links["fr"]) == f"/fr/untranslated/{english.pk}/"
    assert 'aria-current="true"' in links["fr"]
    assert href(links["es"]) == f"/es/untranslated/{english.pk}/"


def test_the_not_translated_page_lists_the_translations_there_are(
    client, make_case_study, library_tree
):
    english = make_case_study(title="Terraces of Kijabe")
    spanish = english.copy_for_translation(library_tree["locales"]["es"])
    spanish.title = "Terrazas de Kijabe"
    spanish.save_revision().publish()

    html = client.get(f"/pt/untranslated/{english.pk}/").content.decode()

    assert 'hreflang="es" lang="es">Terrazas de Kijabe</a>' in html
    assert href(switcher(html)["es"]) == spanish.url


def test_once_translated_the_not_translated_address_leads_to_the_translation(
    client, make_case_study, library_tree
):
    english = make_case_study(title="Terraces of Kijabe")
    spanish = english.copy_for_translation(library_tree["locales"]["es"])
    spanish.save_revision().publish()

    response = client.get(f"/es/untranslated/{english.pk}/")
    assert response.status_code == 302
    assert response["Location"] == spanish.url
    # The page's own language: the page itself.
    response = client.get(f"/untranslated/{english.pk}/")
    assert response.status_code == 302
    assert response["Location"] == english.url


def test_a_page_in_one_language_only_and_its_section_missing_still_answers(
    client, make_case_study, library_tree
):
    """A Spanish page whose section has no English translation: the English notice, with
    nowhere in particular to go on reading but the original."""
    spanish = make_case_study(title="Solo en español", language="es")

    response = client.get(f"/untranslated/{spanish.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="{spanish.url}" hreflang="es" lang="es">Solo en español</a>' in html


@pytest.mark.parametrize("state", ["draft", "missing", "root"])
def test_no_not_translated_page_for_what_is_not_a_live_page(client, make_case_study, state):
    page = make_case_study(publish=state != "draft")
    page_id = {"draft": page.pk, "missing": page.pk + 1000, "root": 1}[state]
    assert client.get(f"/es/untranslated/{page_id}/").status_code == 404


def test_a_restricted_page_is_named_only_to_those_who_may_read_it(
    client, make_case_study, make_user
):
    page = make_case_study(title="For the partners only")
    restriction = PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.GROUPS
    )
    group = Group.objects.create(name="Partners")
    restriction.groups.add(group)

    assert client.get(f"/es/untranslated/{page.pk}/").status_code == 404
    outsider = make_user()
    client.force_login(outsider)
    assert client.get(f"/es/untranslated/{page.pk}/").status_code == 404
    partner = make_user()
    partner.groups.add(group)
    client.force_login(partner)
    response = client.get(f"/es/untranslated/{page.pk}/")
    assert response.status_code == 200
    assert "For the partners only" in response.content.decode()


def test_a_lesson_is_linked_but_not_named(client, make_course):
    """Lessons are for a course's readers: the notice links the original, without its title."""
    course = make_course(title="Watersheds", modules=1, lessons=1, quiz=False)
    lesson = course.lessons[0]

    response = client.get(f"/es/untranslated/{lesson.pk}/")

    assert response.status_code == 200
    html = response.content.decode()
    assert f'href="{lesson.url}" hreflang="en"' in html
    assert lesson.title not in html


def test_django_views_switch_language_under_their_prefix(client, library_tree):
    links = switcher(client.get("/forums/").content.decode())
    assert href(links["es"]) == "/es/forums/"
    assert href(links["en"]) == "/forums/"
    assert "nofollow" not in links["fr"]
