"""The translation workflow in the Wagtail admin (wagtail-localize): an editor translates a
course and a lesson, saves a translated string in its editor, publishes, and anonymous
readers get the new words at once, page cache or not."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringSegment, Translation, TranslationSource

from network.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(make_user):
    return make_user(Role.EDITOR, is_staff=True)


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture
def reviewer_client(make_user) -> Client:
    """A member of Wagtail's Moderators, the site's page reviewers: they publish."""
    reviewer = make_user(Role.EDITOR, is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Moderators"))
    client = Client()
    client.force_login(reviewer)
    return client


def submit_url(page) -> str:
    return reverse("wagtail_localize:submit_page_translation", args=[page.pk])


def test_an_editor_opens_translate_this_page_for_a_course_and_a_lesson(editor_client, make_course):
    built = make_course(modules=1, lessons=1)
    for page in (built.course, built.lessons[0]):
        response = editor_client.get(submit_url(page))
        assert response.status_code == 200, page
        assert b'name="locales"' in response.content
    explorer = editor_client.get(reverse("wagtailadmin_explore", args=[built.course.pk]))
    assert submit_url(built.course).encode() in explorer.content


def test_a_course_trainer_translates_their_course_and_edits_the_translation(
    client, make_course, trainer, make_user
):
    built = make_course(modules=1, lessons=1, trainers=[trainer])
    client.force_login(trainer)
    assert client.get(submit_url(built.lessons[0])).status_code == 200
    translation = _translate_course_into_french(client, built.course)
    french_course = built.course.get_translation(translation.target_locale)
    french_lesson = built.lessons[0].get_translation(translation.target_locale)
    for page in (french_course, french_lesson):
        response = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk]))
        assert response.status_code == 200, page

    other_trainer = make_user(Role.TRAINER)
    client.force_login(other_trainer)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[french_course.pk]))
    assert response.status_code in (302, 403)


def test_a_learner_may_not_submit_a_translation(client, make_user, make_course):
    built = make_course(modules=1, lessons=1)
    client.force_login(make_user())
    assert client.get(submit_url(built.course)).status_code in (302, 403)


def _translate_course_into_french(editor_client, course) -> Translation:
    french = Locale.objects.get(language_code="fr")
    response = editor_client.post(
        submit_url(course), {"locales": [french.pk], "include_subtree": "on"}
    )
    assert response.status_code == 302
    source = TranslationSource.objects.get(object_id=course.translation_key)
    return Translation.objects.get(source=source, target_locale=french)


def _put_string(editor_client, translation: Translation, english: str, french: str) -> None:
    segment = StringSegment.objects.get(source=translation.source, string__data=english)
    response = editor_client.put(
        reverse("wagtail_localize:edit_string_translation", args=[translation.pk, segment.pk]),
        data=urlencode({"value": french}),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 201), response.content


def test_a_string_the_editor_translates_goes_live_when_a_reviewer_publishes(
    editor_client, reviewer_client, make_course, django_capture_on_commit_callbacks, settings
):
    settings.PAGE_CACHE_ENABLED = True
    built = make_course(title="Watersheds", modules=1, lessons=1)
    translation = _translate_course_into_french(editor_client, built.course)
    french_course = built.course.get_translation(translation.target_locale)
    editor_page = editor_client.get(reverse("wagtailadmin_pages:edit", args=[french_course.pk]))
    assert editor_page.status_code == 200
    assert b"wagtail-localize" in editor_page.content  # its translation editor, not the form

    _put_string(editor_client, translation, "Watersheds", "Bassins versants")
    assert translation.get_progress()[1] >= 1

    assert not french_course.live
    edit_url = reverse("wagtailadmin_pages:edit", args=[french_course.pk])
    editor_client.post(edit_url, {"action": "publish"})  # editors do not publish
    french_course.refresh_from_db()
    assert not french_course.live

    with django_capture_on_commit_callbacks(execute=True):
        response = reviewer_client.post(edit_url, {"action": "publish"})
    assert response.status_code == 302
    assert response["Location"] == edit_url
    french_course.refresh_from_db()
    assert french_course.live and french_course.title == "Bassins versants"
    assert "Bassins versants" in Client().get(french_course.url).content.decode()


def test_a_translation_published_through_wagtail_localize_empties_the_page_cache(
    editor_client, make_course, django_capture_on_commit_callbacks, settings
):
    """Anonymous readers of a cached translation see wagtail-localize's next publication: it
    publishes a page revision, and ``library.cache`` drops the page's tags on every publish."""
    settings.PAGE_CACHE_ENABLED = True
    built = make_course(title="Watersheds", modules=1, lessons=1)
    translation = _translate_course_into_french(editor_client, built.course)
    _put_string(editor_client, translation, "Watersheds", "Bassins versants")
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    french_course = built.course.get_translation(translation.target_locale)
    reader = Client()
    for _ in range(3):  # warm: the first rendering records its tags, the next is stored
        reader.get(french_course.url)
    cached = reader.get(french_course.url)
    assert cached.get("X-Page-Cache") == "hit"
    assert "Bassins versants" in cached.content.decode()

    _put_string(editor_client, translation, "Watersheds", "Bassins versants du Sud")
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(publish=True)
    fresh = reader.get(french_course.url)
    assert fresh.get("X-Page-Cache") != "hit"
    assert "Bassins versants du Sud" in fresh.content.decode()
