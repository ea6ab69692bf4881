"""export_network / import_network: a partnership's content leaves as JSON and comes back the
same (export, delete, import, export again and compare); conflicts and bad files are refused
with a clear message and change nothing; HTML is never taken from the file."""

from __future__ import annotations

import io
import json
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from forums import services
from forums.dialogues import services as dialogue_services
from forums.models import Category, DialogueSession, Post, Topic
from network.exchange import network_export
from network.models import LandscapePartnership, Organisation, PartnershipRole, User
from network.roles import Role
from network.services import partnership_membership_add

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _generous_rate_limit(settings):
    settings.FORUMS_POSTS_PER_MINUTE = 1000
    settings.FORUMS_CHAT_MESSAGES_PER_MINUTE = 1000


@pytest.fixture
def content(partnership, make_user):
    """A partnership with everything the export carries."""
    organisation = Organisation.objects.create(
        name="Green Belt Movement", slug="green-belt", type="ngo", country="KE"
    )
    partnership.organisations.add(organisation)
    partnership.save()
    alice = make_user(display_name="Alice Achieng")
    bruno = make_user(display_name="Bruno Barros")
    host = make_user(Role.TRAINER, display_name="Tomás Host")
    moderator = make_user(Role.MODERATOR)
    partnership_membership_add(
        partnership=partnership, user=alice, role=PartnershipRole.COORDINATOR
    )
    for member in (bruno, host, moderator):
        partnership_membership_add(partnership=partnership, user=member)
    room = Category.objects.create(
        name="Partners room", slug="partners-room", partnership=partnership
    )
    topic = services.topic_create(
        author=alice, category=room, title="Nursery budget", body="**Seedlings**: 4,000 KES"
    )
    first = topic.posts.get()
    reply = services.post_create(author=bruno, topic=topic, body="Agreed", reply_to=first)
    services.post_edit(editor=bruno, post=reply, body="Agreed, with *one* change")
    services.reaction_toggle(user=alice, post=reply, kind="thanks")
    hidden = services.post_create(author=bruno, topic=topic, body="Off topic")
    services.post_hide(moderator=moderator, post=hidden, reason="off topic")
    now = timezone.now()
    session = dialogue_services.dialogue_create(
        host=host,
        title="Water fund",
        starts_at=now,
        ends_at=now + timedelta(hours=1),
        category=room,
    )
    dialogue_services.dialogue_start(host=host, session=session)
    dialogue_services.dialogue_message_post(author=alice, session=session, body="Hello all")
    question = dialogue_services.dialogue_question_ask(
        author=bruno, session=session, body="Who pays?"
    )
    dialogue_services.dialogue_question_vote(user=alice, question=question)
    dialogue_services.dialogue_end(host=host, session=session)
    return {"partnership": partnership, "people": [alice, bruno, host, moderator]}


def export_file(tmp_path, slug: str) -> tuple[str, dict]:
    path = tmp_path / "export.json"
    call_command("export_network", slug, "-o", str(path), stderr=io.StringIO())
    return str(path), json.loads(path.read_text())


def without_timestamp(data: dict) -> dict:
    return {key: value for key, value in data.items() if key != "exported_at"}


def delete_partnership(partnership: LandscapePartnership) -> None:
    DialogueSession.objects.filter(category__partnership=partnership).delete()
    partnership.delete()


def test_export_delete_import_gives_back_the_same_content(tmp_path, content, client):
    partnership = content["partnership"]
    path, exported = export_file(tmp_path, partnership.slug)
    assert exported["format"] == "landscape-commons/network-export"
    assert exported["version"] == 1
    forums = exported["sections"]["forums"]
    [room] = forums["categories"]
    titles = sorted(topic["title"] for topic in room["topics"])
    assert titles == ["Live dialogue: Water fund", "Nursery budget"]
    nursery = next(t for t in room["topics"] if t["title"] == "Nursery budget")
    assert [p["body"] for p in nursery["posts"]] == [
        "**Seedlings**: 4,000 KES",
        "Agreed, with *one* change",
        "Off topic",
    ]
    assert nursery["posts"][1]["reply_to"] == 1
    assert nursery["posts"][1]["revisions"][0]["body"] == "Agreed"
    assert nursery["posts"][1]["reactions"][0]["kind"] == "thanks"
    assert nursery["posts"][2]["hidden"] is True
    [dialogue] = forums["dialogues"]
    assert dialogue["questions"][0]["votes"] == [content["people"][0].email]
    assert dialogue["archived_topic"] is not None
    assert "id" not in json.dumps(exported["memberships"])  # people by email, never by id

    delete_partnership(partnership)
    assert not Topic.objects.filter(title="Nursery budget").exists()

    out = io.StringIO()
    call_command("import_network", path, stdout=out)
    assert "Imported Mount Kenya Landscape" in out.getvalue()

    restored = LandscapePartnership.objects.get(slug=partnership.slug)
    again = network_export(partnership=restored)
    for part in ("partnership", "organisations", "people", "memberships", "sections"):
        assert again[part] == exported[part], part
    assert without_timestamp(again) == without_timestamp(exported)

    # The restored private topic is private again: members in, others out.
    topic = Topic.objects.get(title="Nursery budget")
    client.force_login(content["people"][1])
    assert client.get(f"/forums/t/{topic.pk}/").status_code == 200
    client.force_login(User.objects.create_user(username="out", email="out@example.org"))
    assert client.get(f"/forums/t/{topic.pk}/").status_code == 404


def test_importing_over_existing_content_is_refused_and_changes_nothing(tmp_path, content):
    path, _exported = export_file(tmp_path, content["partnership"].slug)
    posts = Post.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_network", path)
    assert Post.objects.count() == posts
    assert LandscapePartnership.objects.count() == 1


def test_unknown_people_are_named_and_created_only_when_asked(tmp_path, content):
    path, _exported = export_file(tmp_path, content["partnership"].slug)
    delete_partnership(content["partnership"])
    bruno = content["people"][1]
    Post.objects.filter(author=bruno).delete()
    bruno.delete()
    with pytest.raises(CommandError, match=bruno.email):
        call_command("import_network", path)
    assert not LandscapePartnership.objects.exists()

    out = io.StringIO()
    call_command("import_network", path, "--create-missing-users", stdout=out)
    assert bruno.email in out.getvalue()
    created = User.objects.get(email=bruno.email)
    assert not created.has_usable_password()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: "not json at all {", "not valid JSON"),
        (lambda data: {"hello": "world"}, "not a Landscape Commons network export"),
        (lambda data: {**data, "version": 99}, "version 99 is not supported"),
        (
            lambda data: {**data, "sections": {**data["sections"], "wiki": {}}},
            "cannot hold: wiki",
        ),
        (
            lambda data: _set_post(data, "created_at", "yesterday"),
            r"posts\[1\]\.created_at: not a date",
        ),
        (lambda data: _set_post(data, "author", "nobody@example.org"), "unknown person"),
        (lambda data: _set_post(data, "body", 42), "expected str"),
        # Well formed but impossible, and a NUL (PostgreSQL text refuses it): a message, never
        # a traceback.
        (
            lambda data: _set_post(data, "created_at", "2026-13-45T10:00:00+00:00"),
            r"posts\[1\]\.created_at: not a date",
        ),
        (lambda data: _set_post(data, "body", "nul\x00byte"), r"posts\[1\]\.body: contains a NUL"),
        (
            lambda data: {**data, "partnership": {**data["partnership"], "slug": "a\x00"}},
            r"file\.partnership\.slug: contains a NUL",
        ),
    ],
)
def test_a_bad_file_gives_a_clear_error_and_changes_nothing(tmp_path, content, damage, message):
    path, exported = export_file(tmp_path, content["partnership"].slug)
    delete_partnership(content["partnership"])
    counts = (Topic.objects.count(), Post.objects.count(), Category.objects.count())
    broken = damage(exported)
    with open(path, "w") as handle:
        handle.write(broken if isinstance(broken, str) else json.dumps(broken))
    with pytest.raises(CommandError, match=message):
        call_command("import_network", path)
    assert not LandscapePartnership.objects.exists()
    assert (Topic.objects.count(), Post.objects.count(), Category.objects.count()) == counts


def _set_post(data: dict, key: str, value) -> dict:
    topics = data["sections"]["forums"]["categories"][0]["topics"]
    nursery = next(t for t in topics if t["title"] == "Nursery budget")
    nursery["posts"][1][key] = value
    return data


def test_html_is_rendered_from_the_source_never_taken_from_the_file(tmp_path, content):
    path, exported = export_file(tmp_path, content["partnership"].slug)
    delete_partnership(content["partnership"])
    _set_post(exported, "body", "<script>alert(1)</script><img src=x onerror=alert(2)> ok")
    _set_post(exported, "body_html", "<script>alert(3)</script>")
    with open(path, "w") as handle:
        json.dump(exported, handle)
    call_command("import_network", path, stdout=io.StringIO())
    post = Post.objects.get(body_source__endswith="> ok")
    assert "<script" not in post.body_html
    assert "onerror" not in post.body_html


def test_export_of_an_unknown_partnership_says_so(db):
    with pytest.raises(CommandError, match="No partnership"):
        call_command("export_network", "nowhere")


def _replace_first(data, test, new):
    """Replace the first value (depth first) for which ``test`` holds; return its path."""
    if isinstance(data, dict):
        items = list(data.items())
    elif isinstance(data, list):
        items = list(enumerate(data))
    else:
        return None
    for key, value in items:
        if key != "exported_at" and isinstance(value, str) and test(key, value):
            data[key] = new
            return [key]
        found = _replace_first(value, test, new)
        if found is not None:
            return [key, *found]
    return None


@pytest.mark.parametrize(
    ("test", "bad", "message"),
    [
        (
            lambda key, value: value[:4].isdigit() and "T" in value,
            "2026-13-45T10:00:00+00:00",
            "not a date and time",
        ),
        (
            lambda key, value: value[:4].isdigit() and "T" in value,
            "next Tuesday",
            "not a date and time",
        ),
        (lambda key, value: key == "title", "Nursery\x00budget", "NUL"),
        (lambda key, value: key == "body", "a\x00b", "NUL"),
    ],
)
def test_an_invalid_date_or_a_nul_in_the_file_is_a_message_not_a_traceback(
    tmp_path, content, test, bad, message
):
    """Issue 19: ``import_network`` printed a traceback for an invalid date or a NUL."""
    path, exported = export_file(tmp_path, content["partnership"].slug)
    delete_partnership(content["partnership"])
    assert _replace_first(exported, test, bad) is not None
    Path(path).write_text(json.dumps(exported))
    posts = Post.objects.count()
    with pytest.raises(CommandError, match=message):
        call_command("import_network", path)
    assert Post.objects.count() == posts
    assert not LandscapePartnership.objects.exists()
