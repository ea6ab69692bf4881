"""Permission matrix rules for the forums, live dialogues and search, and the WebSocket routes."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from tests.config.matrix_base import (
    ALL_200,
    HOSTS_302,
    MEMBERS_200,
    MEMBERS_302,
    MODERATORS_200,
    MODERATORS_302,
    PRIVATE_200,
    PRIVATE_MEMBERS_200,
    PRIVATE_MEMBERS_302,
    Rule,
    get,
    post,
    url,
)


def _revision_pk(world) -> int:
    """An earlier version of the reply, made on first use (the world has no edited post)."""
    from forums.models import PostRevision

    revision, _created = PostRevision.objects.get_or_create(
        post=world.reply, defaults={"body_source": "Before", "body_html": "<p>Before</p>"}
    )
    return revision.pk


def _waiting_post_pk(world) -> int:
    """A new member's reply waiting for approval in the public topic (made for each probe,
    which rolls it back)."""
    from forums.models import Post

    return Post.objects.create(
        topic=world.topic,
        author=world.users["learner"],
        body_source="A first post",
        body_html="<p>A first post</p>",
        hidden=True,
        awaiting_approval=True,
    ).pk


def _poll_pk(world) -> int:
    """A poll in the public topic, with two choices (made on first use in each probe)."""
    from forums.models import Poll, PollChoice

    poll, created = Poll.objects.get_or_create(topic=world.topic, defaults={"question": "When?"})
    if created:
        PollChoice.objects.bulk_create(
            [PollChoice(poll=poll, label="May"), PollChoice(poll=poll, label="June")]
        )
    return poll.pk


def _poll_vote(world) -> dict:
    from forums.models import PollChoice

    return {"choice": PollChoice.objects.filter(poll_id=_poll_pk(world)).first().pk}


FORUM_RULES: tuple[Rule, ...] = (
    # --- Forums -----------------------------------------------------------------------------------
    Rule(
        "forum index and categories",
        (
            get(url("forums:index"), ALL_200),
            get(url("forums:category", "public_category.slug"), ALL_200),
            get(url("forums:category", "private_category.slug"), PRIVATE_200),
        ),
        names=("forums:index", "forums:category"),
    ),
    Rule(
        "new topic",
        (
            get(url("forums:topic_create", "public_category.slug"), MEMBERS_200),
            get(url("forums:topic_create", "private_category.slug"), PRIVATE_MEMBERS_200),
            post(
                url("forums:topic_create", "private_category.slug"),
                PRIVATE_MEMBERS_302,
                {"title": "A new topic", "body": "Its first words."},
            ),
        ),
        names=("forums:topic_create",),
    ),
    Rule(
        "watching",
        (
            post(url("forums:category_subscribe", "public_category.slug"), MEMBERS_302),
            post(url("forums:category_subscribe", "private_category.slug"), PRIVATE_MEMBERS_302),
            get(url("forums:category_subscribe", "public_category.slug"), "login" + " 405" * 6),
            post(url("forums:topic_subscribe", "topic.pk"), MEMBERS_302),
            post(url("forums:topic_subscribe", "private_topic.pk"), PRIVATE_MEMBERS_302),
        ),
        names=("forums:category_subscribe", "forums:topic_subscribe"),
    ),
    Rule(
        "topics and replies",
        (
            get(url("forums:topic", "topic.pk"), ALL_200),
            get(url("forums:topic", "private_topic.pk"), PRIVATE_200),
            post(url("forums:topic_reply", "topic.pk"), MEMBERS_302, {"body": "Agreed."}),
            post(
                url("forums:topic_reply", "private_topic.pk"),
                PRIVATE_MEMBERS_302,
                {"body": "Agreed."},
            ),
            get(url("forums:topic_reply", "topic.pk"), "login" + " 405" * 6),
        ),
        names=("forums:topic", "forums:topic_reply"),
    ),
    Rule(
        "topic moderation",
        (
            *(
                post(url(f"forums:topic_{action}", "topic.pk"), MODERATORS_302)
                for action in ("lock", "unlock", "pin", "unpin")
            ),
            post(
                url("forums:topic_move", "topic.pk"),
                MODERATORS_302,
                lambda world: {"category": world.public_category.pk},
            ),
            # A moderator who is not a member of the partnership does not see its room.
            post(url("forums:topic_lock", "private_topic.pk"), "login 403 403 403 404 403 302"),
            post(url("forums:topic_lock", "topic.pk"), MODERATORS_302, also="403 403"),
            post(
                url("forums:topic_visibility", "topic.pk"),
                MODERATORS_302,
                {"visibility": "unlisted", "reason": "Off topic"},
                also="403 403",
            ),
            post(
                url("forums:topic_visibility", "private_topic.pk"),
                "login 403 403 403 404 403 302",
                {"visibility": "hidden"},
            ),
        ),
        names=tuple(
            f"forums:topic_{a}" for a in ("lock", "unlock", "pin", "unpin", "move", "visibility")
        ),
    ),
    Rule(
        "posts",
        (
            get(url("forums:post", "reply.pk"), "302 " * 6 + "302"),
            get(url("forums:post", "private_post.pk"), "404 404 404 404 404 302 302"),
            # The first post is the partner's: its author and moderators may edit it.
            get(url("forums:post_edit", "first_post.pk"), "login 403 403 403 200 200 200"),
            get(url("forums:post_edit", "private_post.pk"), PRIVATE_MEMBERS_200),
            post(
                url("forums:post_edit", "reply.pk"),
                "login 302 403 403 302 403 302",
                {"body": "Thirty-one degrees."},
            ),
            # Earlier versions: the author (learner) and the moderators only.
            get(url("forums:post_history", "reply.pk"), "404 200 404 404 200 404 200"),
            get(url("forums:post_history", "private_post.pk"), PRIVATE_200),
            post(url("forums:post_react", "reply.pk"), MEMBERS_302, {"kind": "thanks"}),
            post(
                url("forums:post_react", "private_post.pk"), PRIVATE_MEMBERS_302, {"kind": "like"}
            ),
            get(url("forums:post_flag", "reply.pk"), MEMBERS_200),
            get(url("forums:post_flag", "private_post.pk"), PRIVATE_MEMBERS_200),
            get(url("forums:post_hide", "reply.pk"), MODERATORS_200),
            post(
                url("forums:post_hide", "reply.pk"),
                MODERATORS_302,
                {"reason_kind": "spam", "reason": "Spam"},
            ),
            post(url("forums:post_restore", "reply.pk"), MODERATORS_302),
            post(url("forums:revision_redact", _revision_pk), MODERATORS_302, {"reason": "Phone"}),
            post(
                url("forums:post_hide", "private_post.pk"),
                "login 403 403 403 404 403 302",
                {"reason_kind": "other"},
            ),
        ),
        names=(
            "forums:post",
            "forums:post_edit",
            "forums:post_history",
            "forums:post_react",
            "forums:post_flag",
            "forums:post_hide",
            "forums:post_restore",
            "forums:revision_redact",
        ),
    ),
    Rule(
        "attachments (served through the view that re-checks the post)",
        (
            get(url("forums:attachment", "attachment.pk"), ALL_200),
            get(url("forums:attachment", "private_attachment.pk"), PRIVATE_200),
        ),
        names=("forums:attachment",),
    ),
    Rule(
        "the reply box's helpers: mention suggestions and the Markdown preview",
        (
            get(
                lambda world: reverse("forums:topic_mentions", args=[world.topic.pk]) + "?q=a",
                MEMBERS_200,
            ),
            get(
                lambda world: (
                    reverse("forums:topic_mentions", args=[world.private_topic.pk]) + "?q=a"
                ),
                PRIVATE_MEMBERS_200,
            ),
            get(
                lambda world: (
                    reverse("forums:category_mentions", args=[world.private_category.slug]) + "?q=a"
                ),
                PRIVATE_MEMBERS_200,
            ),
            get(url("forums:category_mentions", "public_category.slug"), MEMBERS_200),
            post(url("forums:topic_mentions", "topic.pk"), "login" + " 405" * 6),
            post(url("forums:preview"), MEMBERS_200, {"body": "**Hello** @someone"}),
            get(url("forums:preview"), "login" + " 405" * 6),
        ),
        names=("forums:topic_mentions", "forums:category_mentions", "forums:preview"),
    ),
    Rule(
        "notifications",
        (
            get(url("forums:notifications"), MEMBERS_200),
            post(url("forums:notifications"), MEMBERS_302),
        ),
        names=("forums:notifications",),
    ),
    Rule(
        "moderation queue, log and suspensions",
        (
            # The moderator role moderates; an editor's is_staff does not make one.
            get(url("forums:moderation"), MODERATORS_200, also="403 403"),
            post(url("forums:moderation"), MODERATORS_302, lambda world: {"flag": world.flag.pk}),
            get(url("forums:moderation_log"), MODERATORS_200),
            get(
                url("forums:user_suspend", lambda world: world.users["learner"].username),
                MODERATORS_200,
            ),
        ),
        names=("forums:moderation", "forums:moderation_log", "forums:user_suspend"),
    ),
    Rule(
        "approving new members' posts",
        (
            # The waiting post is the learner's: they see it (the redirect), others do not.
            get(url("forums:post", _waiting_post_pk), "404 302 404 404 302 404 302"),
            post(url("forums:post_approve", _waiting_post_pk), MODERATORS_302, also="403 403"),
            get(url("forums:post_reject", _waiting_post_pk), MODERATORS_200),
            post(
                url("forums:post_reject", _waiting_post_pk),
                MODERATORS_302,
                {"reason_kind": "spam", "reason": "Selling seeds"},
                also="403 403",
            ),
        ),
        names=("forums:post_approve", "forums:post_reject"),
    ),
    Rule(
        "polls",
        (
            # The public topic's author is the partner: they and the moderators add its poll.
            get(url("forums:poll_create", "topic.pk"), "login 403 403 403 200 200 200"),
            get(url("forums:poll_create", "private_topic.pk"), "login 404 404 404 404 200 200"),
            post(
                url("forums:poll_create", "topic.pk"),
                "login 403 403 403 302 302 302",
                {"question": "Which month?", "choices": "May\nJune"},
            ),
            post(url("forums:poll_vote", _poll_pk), MEMBERS_302, _poll_vote),
            get(url("forums:poll_vote", _poll_pk), "login" + " 405" * 6),
        ),
        names=("forums:poll_create", "forums:poll_vote"),
    ),
    Rule(
        "live dialogues: list, scheduling, rooms",
        (
            get(url("forums:dialogues"), ALL_200),
            # Trainers and moderators host (and staff).
            get(url("forums:dialogue_create"), "login 403 403 200 200 403 200"),
            get(url("forums:dialogue", "dialogue.pk"), ALL_200),
            get(url("forums:dialogue", "private_dialogue.pk"), PRIVATE_200),
        ),
        names=("forums:dialogues", "forums:dialogue_create", "forums:dialogue"),
    ),
    Rule(
        "live dialogues: taking part",
        (
            post(url("forums:dialogue_chat", "dialogue.pk"), MEMBERS_302, {"body": "Hi"}),
            post(url("forums:dialogue_ask", "dialogue.pk"), MEMBERS_302, {"body": "Why?"}),
            post(
                url("forums:dialogue_chat", "private_dialogue.pk"),
                PRIVATE_MEMBERS_302,
                {"body": "Hi"},
            ),
            post(url("forums:dialogue_vote", "dialogue.pk", "question.pk"), MEMBERS_302),
            post(url("forums:dialogue_follow", "dialogue.pk"), MEMBERS_302, {"follow": "1"}),
            post(
                url("forums:dialogue_follow", "private_dialogue.pk"),
                PRIVATE_MEMBERS_302,
                {"follow": "1"},
            ),
        ),
        names=(
            "forums:dialogue_chat",
            "forums:dialogue_ask",
            "forums:dialogue_vote",
            "forums:dialogue_follow",
        ),
    ),
    Rule(
        "live dialogues: host controls (the host; forum moderators and staff moderate)",
        (
            post(url("forums:dialogue_start", "dialogue.pk"), HOSTS_302),
            post(url("forums:dialogue_end", "dialogue.pk"), HOSTS_302),
            post(url("forums:dialogue_answer", "dialogue.pk", "question.pk"), HOSTS_302),
            post(url("forums:dialogue_remove_message", "dialogue.pk", "message.pk"), HOSTS_302),
            post(url("forums:dialogue_remove_question", "dialogue.pk", "question.pk"), HOSTS_302),
            post(
                url(
                    "forums:dialogue_remove_participant",
                    "dialogue.pk",
                    lambda world: world.users["outsider"].pk,
                ),
                HOSTS_302,
            ),
            # Not even a moderator hosts a room they cannot see.
            post(
                url("forums:dialogue_end", "private_dialogue.pk"), "login 404 404 404 404 403 302"
            ),
        ),
        names=(
            "forums:dialogue_start",
            "forums:dialogue_end",
            "forums:dialogue_answer",
            "forums:dialogue_remove_message",
            "forums:dialogue_remove_question",
            "forums:dialogue_remove_participant",
        ),
    ),
    # --- Search -----------------------------------------------------------------------------------
    Rule(
        "search",
        (
            get(url("search:search"), ALL_200),
            get(lambda world: reverse("search:search") + "?q=terraces", ALL_200),
            get(lambda world: reverse("search:suggest") + "?q=ter", ALL_200),
        ),
        names=("search:search", "search:suggest"),
    ),
)


#: WebSocket routes: (route, description, path builder, expected per visitor).
#: ``accept``: the socket opens and greets; ``4403``: accepted then closed with 4403.
WEBSOCKET_RULES: tuple[tuple[str, str, Callable, str], ...] = (
    ("ws/healthz/", "health socket", lambda world: "/ws/healthz/", "accept " * 6 + "accept"),
    (
        "ws/forums/topics/<int:topic_id>/",
        "public topic",
        lambda world: f"/ws/forums/topics/{world.topic.pk}/",
        "accept " * 6 + "accept",
    ),
    (
        "ws/forums/topics/<int:topic_id>/",
        "private topic",
        lambda world: f"/ws/forums/topics/{world.private_topic.pk}/",
        "4403 4403 4403 4403 4403 accept accept",
    ),
    (
        "ws/notifications/",
        "notifications",
        lambda world: "/ws/notifications/",
        "4403 accept accept accept accept accept accept",
    ),
    (
        "ws/forums/moderation/",
        "moderation queue",
        lambda world: "/ws/forums/moderation/",
        "4403 4403 4403 4403 accept 4403 accept",
    ),
    (
        "ws/dialogues/<int:session_id>/",
        "public dialogue",
        lambda world: f"/ws/dialogues/{world.dialogue.pk}/",
        "accept " * 6 + "accept",
    ),
    (
        "ws/dialogues/<int:session_id>/",
        "private dialogue",
        lambda world: f"/ws/dialogues/{world.private_dialogue.pk}/",
        "4403 4403 4403 4403 4403 accept accept",
    ),
)
