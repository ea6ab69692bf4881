"""The permission matrix for media: files members and trainers put on the site, fetched
directly by address, as an anonymous visitor, another member, the owner (or the reader the
file is for) and a moderator.

- avatars of profiles hidden from others: the address known while the profile was public
  stops answering (``network.services.profile_update`` moves the file);
- attachments of posts in private and hidden topics, and of hidden posts: the download view
  re-checks the post, so they answer as the post does;
- course media: a document that only lessons use is for the lessons' readers
  (``courses.media_access``), while one used nowhere else stays public.
"""

from __future__ import annotations

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from wagtail.documents.models import Document

from forums import services as forum_services
from forums.models import Category, Topic
from network import services as network_services
from network.models import ProfileVisibility
from network.roles import Role
from network.services import partnership_membership_add
from tests.config.conftest import png_bytes

pytestmark = pytest.mark.django_db


def status_for(user, address: str) -> int | str:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    response = client.get(address)
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


def assert_matrix(address: str, expected: dict[str, int | str], users: dict) -> None:
    found = {name: status_for(users[name], address) for name in expected}
    assert found == expected, address


def _profile(user, visibility, avatar=None):
    return network_services.profile_update(
        user=user,
        display_name="",
        organisation_name="",
        country="",
        languages=[],
        bio="",
        profile_visibility=visibility,
        avatar=avatar,
    )


def test_the_avatar_of_a_hidden_profile_is_not_at_its_public_address(
    make_user, django_capture_on_commit_callbacks
):
    owner = make_user()
    users = {"anonymous": None, "member": make_user(), "owner": owner}
    with django_capture_on_commit_callbacks(execute=True):
        _profile(owner, ProfileVisibility.PUBLIC, ContentFile(png_bytes(), name="me.png"))
    public_address = owner.avatar.url
    assert_matrix(public_address, {"anonymous": 200, "member": 200, "owner": 200}, users)
    with django_capture_on_commit_callbacks(execute=True):
        _profile(owner, ProfileVisibility.PRIVATE)
    owner.refresh_from_db()
    assert_matrix(public_address, {"anonymous": 404, "member": 404, "owner": 404}, users)
    # The new address is on no page anyone else sees: the profile itself is not found.
    profile = reverse("network:member", args=[owner.username])
    for name in ("anonymous", "member"):
        client = Client()
        if users[name] is not None:
            client.force_login(users[name])
        response = client.get(profile)
        assert response.status_code in {302, 404}, name
        assert owner.avatar.url not in response.content.decode()


@pytest.fixture
def forum_world(make_user, partnership):
    public = Category.objects.create(name="Practice", slug="practice-media")
    private = Category.objects.create(name="Room", slug="room-media", partnership=partnership)
    author = make_user()
    partnership_membership_add(partnership=partnership, user=author)

    def topic_with_picture(category, title):
        picture = SimpleUploadedFile("p.png", png_bytes(), content_type="image/png")
        return forum_services.topic_create(
            author=author, category=category, title=title, body="See.", attachments=[picture]
        )

    private_topic = topic_with_picture(private, "Private")
    hidden_topic = topic_with_picture(public, "Hidden")
    Topic.objects.filter(pk=hidden_topic.pk).update(hidden=True)
    hidden_post_topic = topic_with_picture(public, "Open, with a hidden post")
    moderator = make_user(Role.MODERATOR)
    forum_services.post_hide(moderator=moderator, post=hidden_post_topic.posts.get())
    users = {"anonymous": None, "member": make_user(), "owner": author, "moderator": moderator}

    def address(topic):
        return reverse("forums:attachment", args=[topic.posts.get().attachments.get().pk])

    return users, address(private_topic), address(hidden_topic), address(hidden_post_topic)


def test_attachments_of_private_and_hidden_topics_and_hidden_posts(forum_world, partnership):
    users, private, hidden_topic, hidden_post = forum_world
    # The moderator is not a member of the partnership: its room stays with it.
    assert_matrix(private, {"anonymous": 404, "member": 404, "owner": 200, "moderator": 404}, users)
    for address in (hidden_topic, hidden_post):
        assert_matrix(
            address, {"anonymous": 404, "member": 404, "owner": 404, "moderator": 200}, users
        )


def test_a_document_only_lessons_use_is_for_their_readers(make_user, make_course):
    from courses import services as course_services

    trainer = make_user(Role.TRAINER)
    built = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False)
    learner = make_user()
    course_services.enrolment_create(user=learner, course=built.course)
    handout = Document.objects.create(
        title="Handout", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="handout.pdf")
    )
    public = Document.objects.create(
        title="Leaflet", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="leaflet.pdf")
    )
    lesson = built.lessons[0]
    body = [dict(block) for block in lesson.body.raw_data]
    body.append(
        {"type": "document", "id": "doc-1", "value": {"document": handout.pk, "description": ""}}
    )
    lesson.body = json.dumps(body)
    lesson.save_revision().publish()
    users = {
        "anonymous": None,
        "member": make_user(),
        "learner": learner,
        "trainer": trainer,
        "other_trainer": make_user(Role.TRAINER),
    }
    assert_matrix(
        handout.url,
        {
            "anonymous": "login",
            "member": 404,
            "learner": 200,
            "trainer": 200,
            "other_trainer": 404,
        },
        users,
    )
    assert_matrix(public.url, dict.fromkeys(users, 200), users)
