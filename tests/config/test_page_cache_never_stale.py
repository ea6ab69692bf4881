"""Nothing revocable or moderated is ever served stale to an anonymous visitor: each test warms
the page cache, writes as the site does, then reads as an anonymous visitor."""

from __future__ import annotations

from datetime import timedelta
from uuid import uuid4

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from courses import services as course_services
from courses.models import Certificate
from forums import services as forum_services
from forums.dialogues import services as dialogues
from forums.models import Category
from network.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_ENABLED = True
    settings.FORUMS_POSTS_PER_MINUTE = 1000


def read(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def warm(client: Client, path: str) -> None:
    for _ in range(3):
        if client.get(path).get("X-Page-Cache") == "hit":
            return
    raise AssertionError(f"{path} was never served from the cache")


def test_a_revoked_certificate_reads_revoked_at_once(client, make_user):
    """Verification is never cached: the page declares nothing."""
    learner, trainer = make_user(), make_user(Role.TRAINER)
    certificate = Certificate.objects.create(
        user=learner,
        course_key=uuid4(),
        learner_name="Amina Odhiambo",
        course_title="Water funds",
        issued_at=timezone.now(),
    )
    url = reverse("courses:certificate", args=[certificate.public_id])
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "Status: revoked" not in response.content.decode()

    course_services.certificate_revoke(certificate=certificate, revoked_by=trainer, reason="Error")

    assert "Status: revoked" in read(client, url)


def test_a_chat_message_the_host_removed_is_gone_for_anonymous_readers(client, make_user):
    """Dialogue rooms are never cached."""
    host, member = make_user(Role.TRAINER), make_user()
    now = timezone.now()
    session = dialogues.dialogue_create(
        host=host, title="Water funds", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    session = dialogues.dialogue_start(host=host, session=session)
    message = dialogues.dialogue_message_post(
        author=member, session=session, body="An off-topic advert"
    )
    url = reverse("forums:dialogue", args=[session.pk])
    for _ in range(2):
        response = client.get(url)
        assert "X-Page-Cache" not in response
        assert "An off-topic advert" in response.content.decode()

    dialogues.dialogue_message_remove(host=host, message=message)

    assert "An off-topic advert" not in read(client, url)


@pytest.fixture
def forum(make_user):
    moderator, author = make_user(Role.MODERATOR), make_user()
    category = Category.objects.create(name="Practice", slug="practice")
    topic = forum_services.topic_create(
        author=author, category=category, title="Fire breaks", body="Opening message."
    )
    reply = forum_services.post_create(author=author, topic=topic, body="Buy cheap watches")
    return {"moderator": moderator, "author": author, "topic": topic, "reply": reply}


def test_a_hidden_post_disappears_and_a_restored_one_returns_at_once(client, forum):
    url = forum["topic"].get_absolute_url()
    warm(client, url)

    forum_services.post_hide(moderator=forum["moderator"], post=forum["reply"], reason="Spam")
    assert "Buy cheap watches" not in read(client, url)

    warm(client, url)
    forum_services.post_restore(moderator=forum["moderator"], post=forum["reply"])
    assert "Buy cheap watches" in read(client, url)


def test_an_edited_post_shows_its_new_text_at_once(client, forum):
    url = forum["topic"].get_absolute_url()
    warm(client, url)
    forum_services.post_edit(editor=forum["author"], post=forum["reply"], body="Mulch, not fire")
    html = read(client, url)
    assert "Mulch, not fire" in html
    assert "Buy cheap watches" not in html


def test_a_locked_topic_says_so_at_once(client, forum):
    url = forum["topic"].get_absolute_url()
    warm(client, url)
    assert "data-topic-locked hidden" in read(client, url)  # the badge is there, hidden
    forum_services.topic_lock(moderator=forum["moderator"], topic=forum["topic"], locked=True)
    assert "data-topic-locked hidden" not in read(client, url)


def test_a_moved_topic_leaves_its_old_category_at_once(client, forum):
    url = forum["topic"].get_absolute_url()
    archive = Category.objects.create(name="Archive", slug="archive")
    for path in (url, "/forums/c/practice/", "/forums/c/archive/", "/forums/"):
        warm(client, path)

    forum_services.topic_move(moderator=forum["moderator"], topic=forum["topic"], category=archive)

    assert 'href="/forums/c/archive/">Archive</a>' in read(client, url)
    assert "Fire breaks" not in read(client, "/forums/c/practice/")
    assert "Fire breaks" in read(client, "/forums/c/archive/")


def test_a_hidden_topic_is_gone_at_once(client, forum):
    """Hidden from the admin (a plain save): its page and its category's list drop."""
    url = forum["topic"].get_absolute_url()
    warm(client, url)
    warm(client, "/forums/c/practice/")
    topic = forum["topic"]
    topic.hidden = True
    topic.save()
    assert client.get(url).status_code in (403, 404)
    assert "Fire breaks" not in read(client, "/forums/c/practice/")


def test_unpublishing_and_deleting_take_pages_out_at_once(client, make_case_study):
    gone = make_case_study(title="Soon unpublished")
    deleted = make_case_study(title="Soon deleted")
    gone_url, deleted_url = gone.url, deleted.url
    for path in ("/case-studies/", gone_url, deleted_url):
        warm(client, path)

    gone.unpublish()
    deleted.delete()

    listing = read(client, "/case-studies/")
    assert "Soon unpublished" not in listing
    assert "Soon deleted" not in listing
    assert client.get(gone_url).status_code == 404
    assert client.get(deleted_url).status_code == 404


def test_a_restricted_page_is_closed_to_anonymous_visitors_at_once(client, make_case_study):
    page = make_case_study(title="Members only soon")
    warm(client, page.url)

    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get(page.url)
    assert response.status_code == 302
    assert "Members only soon" not in response.content.decode()
