"""Hostile input through every user-facing input: the whole corpus (Big List of Naughty Strings
plus the XSS payloads, ``tests/hostile.py``) through the sanitiser and the Markdown renderer,
and a fixed sample of it through every form, filter, search box and WebSocket message.

What must hold everywhere: no server error (the test client re-raises any exception a view
lets escape), bad input gets a 4xx or a form error, and what comes back (pages, fragments,
socket frames) holds nothing executable.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from config.asgi import application
from courses.models import QuizAttempt
from forums.models import DialogueMessage, Post, Topic
from forums.sanitize import plain_text, render_markdown, sanitize_html
from network.models import User
from tests.hostile import CORPUS, XSS_PAYLOADS, assert_inert, executable_markup, sample

#: Strings that reach the database unchanged unless a layer refuses them (PostgreSQL rejects
#: NUL in text and JSON), and that no public list carries.
CONTROL_STRINGS = ["nul\x00byte", "\x00", "bell\x07 and escape\x1b[31m", "\ufeffbom", "\u202eevil"]
#: The slow paths (a request, a page render) get this deterministic slice of the corpus.
FORM_SAMPLE = sample(CORPUS, 40) + CONTROL_STRINGS
ALLOWED_STATUSES = {200, 302, 400}

pytestmark = pytest.mark.django_db


def assert_page_ok(response, context: str) -> None:
    assert response.status_code in ALLOWED_STATUSES, (context, response.status_code)
    if "text/html" in response.get("Content-Type", ""):
        assert_inert(response.content.decode(), context)


def refused_with_a_reason(response) -> bool:
    """A refusal a person can act on: a form error or a message on the page."""
    html = response.content.decode()
    return response.status_code in {200, 400} and (
        'class="errorlist' in html or 'class="messages"' in html
    )


# --- The sanitiser and the Markdown renderer: the whole corpus ---------------------------------


def test_whole_corpus_through_the_sanitiser_and_markdown_renders_inert():
    assert len(CORPUS) > 500
    for text in CORPUS + CONTROL_STRINGS:
        for html in (sanitize_html(text), render_markdown(text), render_markdown(f"> {text}")):
            assert executable_markup(html) == [], (text, html)
        plain_text(sanitize_html(text))


def test_markdown_links_and_images_keep_only_safe_schemes():
    for payload in XSS_PAYLOADS:
        html = render_markdown(f"[link]({payload}) ![img]({payload}) <{payload}>")
        assert executable_markup(html) == [], (payload, html)
        assert "<img" not in html  # members' Markdown images are not allowed at all


# --- Accounts and profiles --------------------------------------------------------------------


def test_sign_up_with_naughty_emails_and_passwords_never_fails_the_server(client):
    for text in FORM_SAMPLE:
        cache.clear()  # the sign-up rate limit (20 a minute per address) has its own test
        response = client.post(
            reverse("account_signup"),
            {"email": text, "password1": text, "password2": text},
        )
        assert_page_ok(response, text)
        if response.status_code == 200:
            assert refused_with_a_reason(response), (text, response.content.decode()[:3000])
    assert not User.objects.exists()


def test_profile_fields_take_naughty_strings_and_show_them_inert(learner_client, learner):
    anonymous = Client()
    for text in FORM_SAMPLE:
        # Every field hostile (choices included): saved, or refused with a form error.
        response = learner_client.post(
            reverse("network:profile"),
            {
                "display_name": text,
                "organisation_name": text,
                "country": text[:5],
                "languages": [text[:5]],
                "bio": text,
                "profile_visibility": text,
            },
        )
        assert_page_ok(response, text)
        if response.status_code == 200:
            assert refused_with_a_reason(response), text
        # Free text hostile, choices valid: shown to everyone, inert.
        response = learner_client.post(
            reverse("network:profile"),
            {
                "display_name": text[:80],
                "organisation_name": text[:150],
                "bio": text,
                "country": "KE",
                "profile_visibility": "public",
            },
        )
        assert_page_ok(response, text)
        learner.refresh_from_db()
        assert "\x00" not in learner.display_name + learner.bio
        for url in (reverse("network:member", args=[learner.username]), reverse("network:members")):
            assert_page_ok(anonymous.get(url), text)


# --- Forums ----------------------------------------------------------------------------------


@pytest.fixture
def forum(make_user):
    from forums import services
    from forums.models import Category

    category = Category.objects.create(name="Practice", slug="practice")
    topic = services.topic_create(
        author=make_user(), category=category, title="Open topic", body="Hello."
    )
    return category, topic


def test_topic_reply_edit_and_flag_forms_take_the_sample(learner_client, learner, forum):
    category, topic = forum
    reader = Client()
    for number, text in enumerate(FORM_SAMPLE):
        created = learner_client.post(
            reverse("forums:topic_create", args=[category.slug]),
            {"title": text, "body": text, "tags": text},
        )
        assert_page_ok(created, f"topic {text!r}")
        if created.status_code != 302:
            assert refused_with_a_reason(created), text
        replied = learner_client.post(
            reverse("forums:topic_reply", args=[topic.pk]), {"body": f"{number} {text}"}
        )
        assert_page_ok(replied, f"reply {text!r}")
        post = Post.objects.filter(author=learner, topic=topic).order_by("-pk").first()
        if post is not None:
            edited = learner_client.post(
                reverse("forums:post_edit", args=[post.pk]), {"body": f"{text} (edited)"}
            )
            assert_page_ok(edited, f"edit {text!r}")
            flagged = learner_client.post(
                reverse("forums:post_flag", args=[post.pk]), {"reason": text}
            )
            assert_page_ok(flagged, f"flag {text!r}")
    assert Topic.objects.count() > len(FORM_SAMPLE) // 2  # most strings are fine to post
    assert not any("\x00" in post.body_source for post in Post.objects.all())
    for new_topic in Topic.objects.all():
        assert_page_ok(reader.get(new_topic.get_absolute_url()), new_topic.title)
    assert_page_ok(reader.get(category.get_absolute_url()), "category")
    assert_page_ok(learner_client.get(reverse("forums:notifications")), "notifications")


def test_dialogue_chat_and_questions_take_the_sample(learner_client, learner, make_user):
    from datetime import timedelta

    from django.utils import timezone

    from forums.dialogues import services as dialogue_services
    from network.roles import Role

    host = make_user(Role.TRAINER)
    now = timezone.now()
    session = dialogue_services.dialogue_create(
        host=host, title="Open hour", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    dialogue_services.dialogue_start(host=host, session=session)
    for text in FORM_SAMPLE:
        for action in ("chat", "ask"):
            response = learner_client.post(
                reverse(f"forums:dialogue_{action}", args=[session.pk]), {"body": text}
            )
            assert_page_ok(response, f"{action} {text!r}")
    assert not any("\x00" in message.body_source for message in DialogueMessage.objects.all())
    assert_page_ok(learner_client.get(session.get_absolute_url()), "room")
    topic = dialogue_services.dialogue_end(host=host, session=session)
    assert_page_ok(Client().get(topic.get_absolute_url()), "transcript")


# --- Courses --------------------------------------------------------------------------------


def test_quiz_answers_and_invite_codes_take_the_sample(learner_client, learner, world):
    """``world`` (tests/config/conftest.py) enrols a learner; this one enrols through codes."""
    from courses import services

    course = world.course
    services.enrolment_create(user=learner, course=course.course)
    lesson = course.quiz_lesson
    for number, text in enumerate(FORM_SAMPLE, start=1):
        response = learner_client.post(
            reverse("courses:quiz_submit", args=[lesson.pk, "quiz-1"]),
            {
                "attempt": str(QuizAttempt.objects.filter(user=learner).count() + 1),
                "q-q-single": text,
                "q-q-multi": [text, "a"],
                "q-q-tf": text,
                "q-q-short": text,
            },
        )
        assert_page_ok(response, f"quiz {text!r}")
        joined = learner_client.post(reverse("courses:cohort_join"), {"invite_code": text})
        assert_page_ok(joined, f"invite {text!r}")
        # A forged block id is a 4xx, never a server error.
        forged_id = quote(text[:60] or "x", safe="")
        forged = learner_client.post(
            f"/learning/lessons/{lesson.pk}/quizzes/{forged_id}/", {"attempt": "1"}
        )
        assert forged.status_code in {302, 400, 403, 404}, text
        if number % 10 == 0:
            QuizAttempt.objects.filter(user=learner).delete()  # keep attempts available
    for attempt in QuizAttempt.objects.filter(user=learner):
        assert_page_ok(learner_client.get(reverse("courses:attempt", args=[attempt.pk])), "attempt")
    assert_page_ok(learner_client.get(reverse("courses:dashboard")), "dashboard")


# --- Search, listings and directory filters ---------------------------------------------------


def test_search_suggest_and_listing_filters_take_the_sample(client, library_tree, make_case_study):
    make_case_study(title="Terraces that keep the rain")
    facets = ("kind", "region", "country", "themes", "language")
    for text in FORM_SAMPLE:
        query = {"q": text, "sort": text, "view": text, "page": text, "bbox": text}
        query |= dict.fromkeys(facets, text)
        assert_page_ok(client.get(reverse("search:search"), query), f"search {text!r}")
        suggest = client.get(reverse("search:suggest"), {"q": text})
        if "\x00" in text:  # no address holds a NUL: refused before any view (request_guard)
            assert suggest.status_code == 400, text
        else:
            assert suggest.status_code == 200, text
            json.loads(suggest.content)
        listing_filters = {"q": text, "region": text, "country": text, "year": text}
        listing_filters |= {"language": text, "themes": text, "type": text}
        for url in ("/case-studies/", "/resources/", reverse("network:directory")):
            assert_page_ok(client.get(url, listing_filters), f"{url} {text!r}")
        assert_page_ok(
            client.get(reverse("network:organisations"), {"q": text, "type": text}), text
        )
        assert_page_ok(client.get(reverse("network:members"), {"q": text}), text)


# --- WebSocket messages -------------------------------------------------------------------------

ORIGIN = (b"origin", b"http://127.0.0.1:8000")
HOST = (b"host", b"127.0.0.1:8000")


def _cookie(user) -> tuple[bytes, bytes]:
    client = Client()
    client.force_login(user)
    return (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode())


async def _frames_until_quiet(communicator, timeout: float = 0.3) -> list[dict]:
    frames = []
    while not await communicator.receive_nothing(timeout=timeout):
        output = await communicator.receive_output(timeout=timeout)
        if output["type"] == "websocket.close":
            frames.append(output)
            return frames
        frames.append(json.loads(output["text"]))
    return frames


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("sync_thread_connections_closed")
async def test_websocket_frames_with_naughty_content_get_error_frames_and_stay_inert(
    make_user, monkeypatch
):
    """Every kind of malformed or hostile frame on the topic and dialogue sockets: the server
    answers with an error frame (or ignores it) and never crashes the socket; what it
    broadcasts back is inert."""
    from datetime import timedelta

    from django.utils import timezone

    from forums import services
    from forums.dialogues import services as dialogue_services
    from forums.models import Category
    from network.roles import Role

    def build():
        category = Category.objects.create(name="Practice", slug="practice")
        member = make_user()
        topic = services.topic_create(author=member, category=category, title="T", body="B")
        host = make_user(Role.TRAINER)
        now = timezone.now()
        session = dialogue_services.dialogue_create(
            host=host, title="Live", starts_at=now, ends_at=now + timedelta(hours=1)
        )
        dialogue_services.dialogue_start(host=host, session=session)
        return member, topic, session, _cookie(member)

    # Every frame must be read, not cut short by the flood guard (which has its own tests).
    monkeypatch.setattr("forums.streams.FRAMES_PER_WINDOW", 10_000)
    _member, topic, session, cookie = await database_sync_to_async(build)()
    strings = sample(CORPUS, 25) + CONTROL_STRINGS
    for path in (f"/ws/forums/topics/{topic.pk}/", f"/ws/dialogues/{session.pk}/"):
        communicator = WebsocketCommunicator(application, path, headers=[ORIGIN, HOST, cookie])
        connected, _ = await communicator.connect(timeout=5)
        assert connected
        await _frames_until_quiet(communicator)
        for text in strings:
            await communicator.send_to(text_data=text)  # not JSON at all
            for frame in (
                {"type": text},
                {"type": "resume", "after": text},
                {"type": "typing", "name": text},
                {"type": "chat", "body": text},
                {"type": "ask", "body": text},
                {"type": "vote", "question": text},
                [text],
            ):
                await communicator.send_json_to(frame)
            for frame in await _frames_until_quiet(communicator, timeout=0.05):
                for value in frame.values():
                    if isinstance(value, str):
                        assert executable_markup(value) == [], (text, frame)
        closing = await _frames_until_quiet(communicator, timeout=0.2)
        assert all(frame.get("type") != "websocket.close" for frame in closing)
        await communicator.disconnect()
    bodies = await database_sync_to_async(
        lambda: list(DialogueMessage.objects.values_list("body_source", flat=True))
    )()
    assert not any("\x00" in body for body in bodies)
