"""Fixtures for the site-wide security tests: one small world with every kind of object a URL
or a socket can name, and the seven visitors of the permission matrix.

The course factory is the one the course tests use (re-exported from their conftest), so the
matrix exercises the same objects those tests trust.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from tests.courses import conftest as course_fixtures
from tests.courses.conftest import QUIZ_ID, RIGHT
from tests.forums import conftest as forum_fixtures

# The course and forum tests' fixtures, shared with the security tests.
catalogue = course_fixtures.catalogue
make_course = course_fixtures.make_course
sync_thread_connections_closed = forum_fixtures.sync_thread_connections_closed

#: The visitors of the permission matrix, in the order the expectation strings list them.
VISITORS = ("anonymous", "learner", "outsider", "other_trainer", "moderator", "partner", "staff")


@pytest.fixture(autouse=True)
def _generous_limits(settings):
    """The world creates many accounts; the posting limits test nothing here (throttling has
    its own tests). Passwords are hashed fast suite-wide (tests/conftest.py)."""
    settings.FORUMS_POSTS_PER_MINUTE = 10_000
    settings.FORUMS_CHAT_MESSAGES_PER_MINUTE = 10_000
    settings.FORUMS_EDITS_PER_MINUTE = 10_000
    settings.FORUMS_REACTIONS_PER_MINUTE = 10_000


def png_bytes(size: tuple[int, int] = (8, 8), color: str = "green") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


@dataclass
class World:
    """Everything a URL parameter can point at, and who is who."""

    users: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.objects[name]
        except KeyError:
            raise AttributeError(name) from None


@pytest.fixture
def world(make_user, make_course, catalogue, make_case_study, make_resource):
    """A private partnership room and a public one, a course with a cohort, a quiz attempt and a
    certificate, another trainer's course, live dialogues, library pages (one draft, one behind
    a password), a document, an organisation and a public profile."""
    from wagtail.documents.models import Document
    from wagtail.models import (
        Collection,
        CollectionViewRestriction,
        PageViewRestriction,
    )

    from courses import services as course_services
    from forums import services as forum_services
    from forums.dialogues import services as dialogue_services
    from forums.models import Category
    from network import memberships
    from network.models import LandscapePartnership, Organisation, PartnershipRole
    from network.roles import Role
    from network.services import partnership_membership_add

    built = World()
    home_partnership = LandscapePartnership.objects.create(
        name="Kijabe Highlands", slug="kijabe", country="KE", region="africa"
    )
    other_partnership = LandscapePartnership.objects.create(
        name="Atlantic Forest", slug="atlantic-forest", country="BR", region="latin-america"
    )
    trainer = make_user(Role.TRAINER, display_name="Course Trainer")
    other_trainer = make_user(Role.TRAINER, display_name="Other Trainer")
    learner = make_user(display_name="Enrolled Learner", profile_visibility="public")
    outsider = make_user(display_name="Outsider")
    partnership_membership_add(partnership=other_partnership, user=outsider)
    partner = make_user(display_name="Partner")
    # The partner coordinates the home partnership (a coordinator is a member like any other,
    # and also answers requests to join, invites and removes members).
    partnership_membership_add(
        partnership=home_partnership, user=partner, role=PartnershipRole.COORDINATOR
    )
    # Hosts the private dialogue; not a visitor (a partner who is also a trainer would blur
    # what membership alone opens).
    partner_host = make_user(Role.TRAINER, display_name="Partner Host")
    partnership_membership_add(partnership=home_partnership, user=partner_host)
    moderator = make_user(Role.MODERATOR, display_name="Moderator")
    staff = make_user(is_staff=True, is_superuser=True, display_name="Staff")
    built.users = {
        "anonymous": None,
        "learner": learner,
        "outsider": outsider,
        "other_trainer": other_trainer,
        "moderator": moderator,
        "partner": partner,
        "staff": staff,
        # The extra visitors (matrix_base.EXTRA_VISITORS).
        "editor": make_user(Role.EDITOR, is_staff=True, display_name="Editor"),
        "course_trainer": trainer,
    }

    # Courses: the learner's (with a cohort, an attempt and a certificate) and another one.
    course = make_course(trainers=[trainer], modules=1, lessons=2)
    make_course(trainers=[other_trainer], modules=1, lessons=1, quiz=False)
    course_services.enrolment_create(user=learner, course=course.course)
    cohort = course_services.cohort_create(
        course=course.course,
        name="Spring",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        created_by=trainer,
    )
    attempt = course_services.quiz_attempt_submit(
        user=learner,
        lesson=course.quiz_lesson,
        block_id=QUIZ_ID,
        answers=RIGHT,
        attempt_number=1,
    )
    for lesson in course.lessons:
        course_services.lesson_complete(user=learner, lesson=lesson)
    certificate = learner.certificates.get()

    # Forums: a public room, the home partnership's private room, an attachment in each.
    public_category = Category.objects.create(name="Practice", slug="practice")
    private_category = Category.objects.create(
        name="Kijabe room", slug="kijabe-room", partnership=home_partnership
    )
    picture = SimpleUploadedFile("terraces.png", png_bytes(), content_type="image/png")
    topic = forum_services.topic_create(
        author=partner,
        category=public_category,
        title="Terraces on steep slopes",
        body="How steep is too steep?",
        attachments=[picture],
    )
    first_post = topic.posts.get()
    reply = forum_services.post_create(author=learner, topic=topic, body="Thirty degrees.")
    private_picture = SimpleUploadedFile("budget.png", png_bytes(), content_type="image/png")
    private_topic = forum_services.topic_create(
        author=partner,
        category=private_category,
        title="Nursery budget",
        body="Confidential numbers.",
        attachments=[private_picture],
    )
    private_post = private_topic.posts.get()
    flag = forum_services.post_flag(reporter=outsider, post=reply, reason="Off topic")

    # Live dialogues: a public one hosted by the course trainer, a private one by the partner.
    now = timezone.now()
    dialogue = dialogue_services.dialogue_create(
        host=trainer, title="Open hour", starts_at=now, ends_at=now + timedelta(hours=1)
    )
    dialogue = dialogue_services.dialogue_start(host=trainer, session=dialogue)
    question = dialogue_services.dialogue_question_ask(
        author=learner, session=dialogue, body="What about goats?"
    )
    message = dialogue_services.dialogue_message_post(
        author=learner, session=dialogue, body="Hello all"
    )
    private_dialogue = dialogue_services.dialogue_create(
        host=partner_host,
        title="Partners' call",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        category=private_category,
    )
    private_dialogue = dialogue_services.dialogue_start(host=partner_host, session=private_dialogue)

    # Library: a live case study, a draft, a resource behind a password.
    case_study = make_case_study(title="Terraces that keep the rain")
    draft = make_case_study(title="Unfinished", publish=False)
    locked_resource = make_resource(title="Members' toolkit")
    restriction = PageViewRestriction.objects.create(
        page=locked_resource, restriction_type=PageViewRestriction.PASSWORD, password="opensesame"
    )
    document = Document.objects.create(
        title="Field guide", file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="field-guide.pdf")
    )
    private_collection = Collection.get_first_root_node().add_child(name="Private")
    private_document = Document.objects.create(
        title="Private guide",
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="private-guide.pdf"),
        collection=private_collection,
    )
    collection_restriction = CollectionViewRestriction.objects.create(
        collection=private_collection,
        restriction_type=CollectionViewRestriction.PASSWORD,
        password="opensesame",
    )
    organisation = Organisation.objects.create(
        name="Green Belt Group", slug="green-belt", type="ngo"
    )

    # Joining: the learner waits for an answer; the outsider's address is invited.
    join_request = memberships.join_request_create(
        partnership=home_partnership, user=learner, message="May I join?"
    )
    invitation = memberships.invitation_create(
        partnership=home_partnership, coordinator=partner, email=outsider.email
    )

    # Events: a public one the learner registered for (with a feed address), and one only the
    # home partnership's members see.
    from events import services as event_services
    from events.models import EventIndexPage, EventPage
    from library.demo import ensure_home, ensure_section

    calendar_page = ensure_section(ensure_home(), EventIndexPage, "calendar", "Events", "")
    public_event = calendar_page.add_child(
        instance=EventPage(
            title="Terrace workshop",
            slug="terrace-workshop",
            summary="Terraces.",
            place="Kijabe",
            starts_at=now + timedelta(days=7),
            ends_at=now + timedelta(days=7, hours=2),
            capacity=5,
        )
    )
    public_event.save_revision().publish()
    private_event = calendar_page.add_child(
        instance=EventPage(
            title="Partners' planning",
            slug="partners-planning",
            summary="Plans.",
            place="Kijabe",
            starts_at=now + timedelta(days=8),
            ends_at=now + timedelta(days=8, hours=1),
            partnership=home_partnership,
            members_only=True,
        )
    )
    private_event.save_revision().publish()
    event_services.registration_create(event=public_event, user=learner, language="en")
    # After the event: a public and a members-only past event, each with notes and a photo.
    past_events = {}
    for key, members_only in (("past_event", False), ("past_private_event", True)):
        past = calendar_page.add_child(
            instance=EventPage(
                title=f"Field visit {key}",
                slug=key.replace("_", "-"),
                summary="Visited.",
                place="Kijabe",
                starts_at=now - timedelta(days=2),
                ends_at=now - timedelta(days=2) + timedelta(hours=3),
                partnership=home_partnership if members_only else None,
                members_only=members_only,
            )
        )
        past.save_revision().publish()
        past_events[key] = past
        past_events[f"{key}_photo"] = _event_notes_with_photo(past)
    feed_token = event_services.feed_token_create(user=learner)

    built.objects = {
        "join_request": join_request,
        "invitation_token": memberships.invitation_token(invitation),
        "partner_host": partner_host,
        "home_partnership": home_partnership,
        "other_partnership": other_partnership,
        "trainer": trainer,
        "course": course,
        "cohort": cohort,
        "attempt": attempt,
        "certificate": certificate,
        "public_category": public_category,
        "private_category": private_category,
        "topic": topic,
        "first_post": first_post,
        "reply": reply,
        "private_topic": private_topic,
        "private_post": private_post,
        "attachment": first_post.attachments.get(),
        "private_attachment": private_post.attachments.get(),
        "flag": flag,
        "dialogue": dialogue,
        "question": question,
        "message": message,
        "private_dialogue": private_dialogue,
        "case_study": case_study,
        "draft": draft,
        "locked_resource": locked_resource,
        "restriction": restriction,
        "document": document,
        "private_document": private_document,
        "collection_restriction": collection_restriction,
        "organisation": organisation,
        "calendar_page": calendar_page,
        "public_event": public_event,
        "private_event": private_event,
        **past_events,
        "feed_token": feed_token,
    }
    built.objects.update(_finance_world(home_partnership, partner))
    return built


def _finance_world(partnership, coordinator) -> dict:
    """The home partnership's portfolio: a published project and a draft."""
    from finance import services as finance_services
    from tests.finance.projects import project_data

    def create(**overrides):
        return finance_services.project_create(
            partnership=partnership, coordinator=coordinator, data=project_data(**overrides)
        )

    return {
        "project": create(title="Terraces for Kijabe"),
        "draft_project": create(title="Secret nursery plan", published=False),
    }


@pytest.fixture
def socket_world(make_user):
    """What the WebSocket routes name (topics and dialogues, public and private) and the seven
    visitors; no pages, so it also builds after a transactional test flushed Wagtail's rows."""
    from forums import services as forum_services
    from forums.dialogues import services as dialogue_services
    from forums.models import Category
    from network.models import LandscapePartnership
    from network.roles import Role
    from network.services import partnership_membership_add

    home = LandscapePartnership.objects.create(name="Kijabe", slug="kijabe", country="KE")
    other = LandscapePartnership.objects.create(name="Atlantic", slug="atlantic", country="BR")
    users = {
        "anonymous": None,
        "learner": make_user(),
        "outsider": make_user(),
        "other_trainer": make_user(Role.TRAINER),
        "moderator": make_user(Role.MODERATOR),
        "partner": make_user(),
        "staff": make_user(is_staff=True, is_superuser=True),
    }
    partnership_membership_add(partnership=other, user=users["outsider"])
    partnership_membership_add(partnership=home, user=users["partner"])
    host = make_user(Role.TRAINER)
    partnership_membership_add(partnership=home, user=host)
    public_category = Category.objects.create(name="Practice", slug="practice")
    private_category = Category.objects.create(name="Room", slug="room", partnership=home)
    now = timezone.now()
    world = World(users=users)
    world.objects = {
        "topic": forum_services.topic_create(
            author=host, category=public_category, title="Open", body="Hello."
        ),
        "private_topic": forum_services.topic_create(
            author=host, category=private_category, title="Closed", body="Hello."
        ),
        "dialogue": dialogue_services.dialogue_create(
            host=host, title="Open hour", starts_at=now, ends_at=now + timedelta(hours=1)
        ),
        "private_dialogue": dialogue_services.dialogue_create(
            host=host,
            title="Partners",
            starts_at=now,
            ends_at=now + timedelta(hours=1),
            category=private_category,
        ),
    }
    return world


def _event_notes_with_photo(event):
    """Notes and one small photo for a past event (as ``events.services`` keeps them)."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    from events.models import EventNotes, EventPhoto

    EventNotes.objects.create(
        event_key=event.translation_key, body_source="Notes", body_html="<p>Notes</p>"
    )
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="WEBP")
    photo = EventPhoto(event_key=event.translation_key, caption="Terraces")
    photo.file.save("photo.webp", ContentFile(buffer.getvalue()), save=False)
    photo.save()
    return photo
