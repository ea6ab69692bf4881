"""Reads of the forums, each filtered by what the viewer may see.

Every page, socket and notification asks here. Partnership-private categories are visible only
to that partnership's members (``network.selectors.partnership_ids_for``) and to superusers;
hidden topics and posts only to forum moderators.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import DEFAULT_DB_ALIAS
from django.db.models import (
    CharField,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from forums.models import (
    Category,
    DialogueSession,
    DialogueStatus,
    Flag,
    ModerationLog,
    Notification,
    Poll,
    Post,
    Presence,
    Reaction,
    Subscription,
    Suspension,
    Topic,
    TopicEvent,
    TopicParticipant,
    TopicReadState,
)
from network.models import PartnershipMembership, User
from network.roles import Role, user_has_role
from network.selectors import partnership_ids_for

Viewer = AbstractBaseUser | AnonymousUser


def is_moderator(user: Viewer) -> bool:
    """Forum moderators (and superusers, who hold every role) moderate every category they can
    see. ``is_staff`` is not the role: editors carry it to reach the Django admin."""
    if not user.is_authenticated or not user.is_active:
        return False
    cached = getattr(user, "_forum_moderator", None)
    if cached is None:
        cached = user_has_role(user, Role.MODERATOR)
        user._forum_moderator = cached
    return cached


def active_suspension(user: Viewer) -> Suspension | None:
    if not user.is_authenticated:
        return None
    return Suspension.objects.filter(user=user, until__gt=timezone.now()).first()


def categories_visible_to(user: Viewer) -> QuerySet[Category]:
    """Public categories, plus the private ones of the viewer's partnerships."""
    categories = Category.objects.all()
    if user.is_authenticated and user.is_superuser:
        return categories
    return categories.filter(
        Q(partnership__isnull=True) | Q(partnership_id__in=partnership_ids_for(user))
    )


def topics_visible_to(user: Viewer) -> QuerySet[Topic]:
    """The topics ``user`` may see.

    The category check is a correlated ``EXISTS`` rather than ``category IN (...)``: with the
    ``IN`` list SQLite (which keeps no statistics unless ANALYZE runs) walked every topic of the
    visible categories to sort them, 8-16 ms for the home page's five latest of 4,000 topics;
    with ``EXISTS`` it walks ``last_post_at``'s index and stops at the fifth (0.1 ms).
    PostgreSQL plans both as the same semi-join.
    """
    visible = categories_visible_to(user).filter(pk=OuterRef("category_id"))
    rule = Q(Exists(visible), conversation=False)
    if user.is_authenticated:
        # A private conversation is for its participants only, whatever its category.
        mine = TopicParticipant.objects.filter(topic=OuterRef("pk"), user=user)
        rule |= Q(Exists(mine), conversation=True)
    topics = Topic.objects.filter(rule)
    if not is_moderator(user):
        topics = topics.filter(_shown_or_own_waiting(user))
    return topics


def _shown_or_own_waiting(user: Viewer) -> Q:
    """Not hidden, or the viewer's own topic or post still waiting for approval (its author
    sees it, marked as waiting; nobody else but the moderators)."""
    if not user.is_authenticated:
        return Q(hidden=False)
    return Q(hidden=False) | Q(awaiting_approval=True, author_id=user.pk)


def topics_listed_to(user: Viewer) -> QuerySet[Topic]:
    """``topics_visible_to`` less the unlisted ones: what lists, counts and the home page show.
    An unlisted topic is still read by whoever has its address."""
    return topics_visible_to(user).filter(unlisted=False)


def topic_visible_to(user: Viewer, topic_id: int) -> Topic | None:
    """The topic if the viewer may see it, else None (callers answer 404: existence is private)."""
    return topics_visible_to(user).select_related("category").filter(pk=topic_id).first()


def topic_for_page(user: Viewer, topic_id: int) -> Topic | None:
    """``topic_visible_to``, with what the topic page needs besides the posts read in the same
    query: ``last_event_id``, the position of the topic's event stream (read before the posts,
    so the socket replays anything newer), ``poll_pk``, its poll if it has one, and
    ``watching``, whether the viewer subscribed."""
    last_event = TopicEvent.objects.filter(topic=OuterRef("pk")).order_by("-pk").values("pk")
    topics = topics_visible_to(user).select_related("category")
    topics = topics.annotate(
        last_event_id=Coalesce(Subquery(last_event[:1]), Value(0)),
        # Whether the topic has a poll, in the same query: most have none.
        poll_pk=Subquery(Poll.objects.filter(topic=OuterRef("pk")).values("pk")[:1]),
    )
    if user.is_authenticated:
        subscribed = Subscription.objects.filter(topic=OuterRef("pk"), user=user)
        topics = topics.annotate(watching=Exists(subscribed))
    else:
        topics = topics.annotate(watching=Value(False))
    return topics.filter(pk=topic_id).first()


@dataclass(frozen=True)
class Access:
    """What decides which topics a viewer may see, read once from the database.

    A live socket keeps one for its lifetime and reads it again when told the user's
    memberships changed (``user.access``), so checking each event costs no query.
    """

    user_id: int | None
    superuser: bool
    moderator: bool
    partnership_ids: frozenset[int]


def access_for(user: Viewer) -> Access:
    return Access(
        user_id=user.pk if user.is_authenticated else None,
        superuser=bool(user.is_authenticated and user.is_superuser),
        moderator=is_moderator(user),
        partnership_ids=partnership_ids_for(user),
    )


def topic_visible_with(access: Access, topic: Topic) -> bool:
    """``topics_visible_to``'s rule in memory, for a topic loaded with its category.

    A private conversation answers False: who takes part is not in ``Access``, so a socket
    confirms against the database (``topics_visible_to``) before acting on it."""
    if topic.conversation:
        return False
    partnership_id = topic.category.partnership_id
    if (
        partnership_id is not None
        and not access.superuser
        and partnership_id not in access.partnership_ids
    ):
        return False
    return (
        access.moderator
        or not topic.hidden
        or (topic.awaiting_approval and topic.author_id == access.user_id)
    )


def users_who_may_see(topic: Topic, user_ids: Iterable[int]) -> QuerySet[User]:
    """Of these people, the ones who may see the topic: ``topics_visible_to``'s rule turned
    around, for everyone at once in one query (who to notify of a reply). Active accounts only;
    a private category's partnership members and superusers; a hidden topic's moderators."""
    return readers_among(topic, User.objects.filter(pk__in=set(user_ids)))


def readers_among(topic: Topic, users: QuerySet[User]) -> QuerySet[User]:
    """``users`` narrowed to the active ones who may see ``topic`` (``users_who_may_see``'s
    rule, for any set of people: the mention suggestions filter by name). ``topic`` may be
    unsaved, to ask who would see a new topic in a category. A private conversation is seen
    by its participants only, whatever its room."""
    users = users.filter(is_active=True)
    if topic.conversation:
        return users.filter(forum_conversations__topic=topic)
    public = Category.objects.filter(pk=topic.category_id, partnership__isnull=True)
    members = PartnershipMembership.objects.filter(
        user=OuterRef("pk"), partnership__forum_categories=topic.category_id
    )
    users = users.filter(Q(is_superuser=True) | Exists(public) | Exists(members))
    if topic.hidden:
        moderators = User.groups.through.objects.filter(
            user=OuterRef("pk"), group__name=Role.MODERATOR.value
        )
        users = users.filter(Q(is_superuser=True) | Exists(moderators))
    return users


def posts_visible_to(user: Viewer, topic: Topic) -> QuerySet[Post]:
    posts = topic.posts.all()
    if not is_moderator(user):
        posts = posts.filter(_shown_or_own_waiting(user))
    return posts


def post_visible_to(user: Viewer, post_id: int) -> Post | None:
    post = Post.objects.select_related("topic__category", "author").filter(pk=post_id).first()
    if post is None or topic_visible_to(user, post.topic_id) is None:
        return None
    if post.hidden and not is_moderator(user):
        if not (post.awaiting_approval and user.is_authenticated and post.author_id == user.pk):
            return None
    return post


def category_index(user: Viewer) -> QuerySet[Category]:
    """Categories for the forum index, each with its visible topic count (one query)."""
    # Private conversations are never counted: their category's readers may not see them.
    topic_filter = Q(topics__conversation=False)
    if not is_moderator(user):
        topic_filter &= Q(topics__hidden=False, topics__unlisted=False)
    return (
        categories_visible_to(user)
        .select_related("partnership")
        .annotate(topic_count=Count("topics", filter=topic_filter))
    )


def topic_list(user: Viewer, category: Category) -> QuerySet[Topic]:
    """A category's topics, pinned first, with author and tags loaded and an unread flag."""
    topics = (
        (topics_visible_to(user) if is_moderator(user) else topics_listed_to(user))
        .filter(category=category)
        .select_related("author")
        .prefetch_related("tags")
    )
    if user.is_authenticated:
        topics = topics.annotate(
            last_read_at=Subquery(
                TopicReadState.objects.filter(user=user, topic=OuterRef("pk")).values(
                    "last_read_at"
                )[:1]
            )
        )
    return topics.order_by("-pinned", "-last_post_at", "-pk")


def post_list(user: Viewer, topic: Topic) -> QuerySet[Post]:
    """A topic's posts with the rows their template names (authors), in one query.

    Attachments are read only for the posts whose shared part is not cached, and reactions
    as counts (``reaction_tallies``), both by ``forums.rendering.post_items``."""
    return (
        posts_visible_to(user, topic)
        .select_related("author", "reply_to__author")
        .order_by("created_at", "pk")
    )


#: A kind's count on a post, and whether the viewer gave it.
ReactionTally = dict[str, tuple[int, bool]]


def reaction_tallies(user: Viewer, post_ids: Iterable[int]) -> dict[int, ReactionTally]:
    """Each post's reactions counted per kind, with the viewer's own marked, in one grouped
    query: the cost does not grow with the reactions a popular post has gathered."""
    post_ids = list(post_ids)
    if not post_ids:
        return {}
    counted = Count("pk")
    mine = Count("pk", filter=Q(user_id=user.pk)) if user.is_authenticated else Value(0)
    rows = (
        Reaction.objects.filter(post_id__in=post_ids)
        .values("post_id", "kind")
        .annotate(count=counted, mine=mine)
        .order_by()
    )
    tallies: dict[int, ReactionTally] = {}
    for row in rows:
        tallies.setdefault(row["post_id"], {})[row["kind"]] = (row["count"], row["mine"] > 0)
    return tallies


def post_for_render(post_id: int) -> Post | None:
    """One post loaded like ``post_list`` loads them, for the live updates."""
    return (
        Post.objects.select_related("topic__category", "author", "reply_to__author", "hidden_by")
        .prefetch_related("attachments", "reactions")
        .filter(pk=post_id)
        .first()
    )


def topic_events_after(topic: Topic, after: int, limit: int = 200) -> list[TopicEvent]:
    """What a reconnecting client missed, oldest first."""
    return list(topic.events.filter(pk__gt=after).order_by("pk")[:limit])


def last_topic_event_id(topic: Topic) -> int:
    return topic.events.order_by("-pk").values_list("pk", flat=True).first() or 0


#: News about a page (a partnership's case study) lasts as long as the page is published.
_LIVE_PAGE_OR_NONE = Q(page__isnull=True) | Q(page__live=True)


def notifications_for(user: Viewer) -> QuerySet[Notification]:
    """A member's notifications about topics they can still see, about partnerships (their
    own requests to join, answered) and about live pages (a case study, a course whose
    trainer wrote to them)."""
    return (
        Notification.objects.filter(user=user)
        .filter(Q(topic__in=topics_visible_to(user)) | Q(topic__isnull=True))
        .filter(_LIVE_PAGE_OR_NONE)
        .select_related("actor", "topic", "post", "partnership", "reason", "page", "note")
        .order_by("-created_at", "-pk")
    )


def unread_notification_count(user: Viewer) -> int:
    """How many of ``notifications_for(user)`` are unread, in one statement whatever was read
    before (the header asks on every signed-in page): ``topics_visible_to``'s rule written as
    subqueries of this count rather than as the lists its callers read first."""
    if not user.is_authenticated or not user.is_active:
        return 0
    unread = Notification.objects.filter(_LIVE_PAGE_OR_NONE, user=user, read_at__isnull=True)
    if user.is_superuser:
        return unread.count()
    member = PartnershipMembership.objects.filter(
        user=user, partnership_id=OuterRef("topic__category__partnership_id")
    )
    unread = unread.filter(
        Q(topic__isnull=True) | Q(topic__category__partnership__isnull=True) | Exists(member)
    )
    moderator = getattr(user, "_forum_moderator", None)
    if moderator is None:
        in_role = User.groups.through.objects.filter(user=user, group__name=Role.MODERATOR.value)
        unread = unread.filter(Q(topic__isnull=True) | Q(topic__hidden=False) | Exists(in_role))
    elif not moderator:
        unread = unread.filter(Q(topic__isnull=True) | Q(topic__hidden=False))
    return unread.count()


def open_flags(user: Viewer) -> QuerySet[Flag]:
    """Reports a moderator can act on: only about topics they can see (a moderator outside a
    partnership does not read its private posts through the queue)."""
    return (
        Flag.objects.filter(resolved_at__isnull=True, post__topic__in=topics_visible_to(user))
        .select_related("post__topic", "post__author", "reporter")
        .order_by("created_at", "pk")
    )


def open_flag_count(user: Viewer) -> int:
    """How many reports wait for this moderator: no query at all for anyone who is not one
    (``is_moderator`` is remembered on the user for the request)."""
    if not is_moderator(user):
        return 0
    return Flag.objects.filter(
        resolved_at__isnull=True, post__topic__in=topics_visible_to(user)
    ).count()


def posts_awaiting_approval(user: Viewer) -> QuerySet[Post]:
    """New members' posts waiting for a moderator, oldest first, in topics this moderator may
    see (none for anyone else)."""
    if not is_moderator(user):
        return Post.objects.none()
    return (
        Post.objects.filter(awaiting_approval=True, topic__in=topics_visible_to(user))
        .select_related("topic__category", "author")
        .order_by("created_at", "pk")
    )


def moderation_log_for(user: Viewer) -> QuerySet[ModerationLog]:
    """The log without entries about topics the moderator cannot see."""
    return ModerationLog.objects.filter(
        Q(topic__isnull=True) | Q(topic__in=topics_visible_to(user))
    ).select_related("actor", "topic", "target_user", "post", "from_category", "to_category")


def presence_count(stream: str, *, max_age_seconds: int) -> int:
    """Distinct readers on a stream: signed-in people once each, and each anonymous socket
    once up to ``FORUMS_PRESENCE_MAX_ANONYMOUS`` (anonymous sockets cost nothing to open, so
    past a few they say nothing about how many people are reading)."""
    fresh = Presence.objects.filter(
        stream=stream, seen_at__gte=timezone.now() - timezone.timedelta(seconds=max_age_seconds)
    )
    people = fresh.filter(user__isnull=False).values("user").distinct().count()
    most = settings.FORUMS_PRESENCE_MAX_ANONYMOUS
    anonymous = fresh.filter(user__isnull=True)[: most + 1].count()
    return people + min(anonymous, most)


def user_reactions(user: Viewer, posts: list[Post]) -> set[tuple[int, str]]:
    """(post id, kind) pairs the viewer has given, from already prefetched reactions."""
    if not user.is_authenticated:
        return set()
    return {
        (post.pk, reaction.kind)
        for post in posts
        for reaction in post.reactions.all()
        if reaction.user_id == user.pk
    }


# --- Live dialogue ------------------------------------------------------------------------


def dialogues_visible_to(user: Viewer) -> QuerySet[DialogueSession]:
    """Sessions without a category are public; the others follow their category."""
    return DialogueSession.objects.filter(
        Q(category__isnull=True) | Q(category__in=categories_visible_to(user))
    ).select_related("host", "category", "archived_topic")


def dialogue_visible_to(user: Viewer, session_id: int) -> DialogueSession | None:
    return dialogues_visible_to(user).filter(pk=session_id).first()


def dialogues_upcoming(user: Viewer) -> QuerySet[DialogueSession]:
    return (
        dialogues_visible_to(user).exclude(status=DialogueStatus.ENDED).order_by("starts_at", "pk")
    )


def dialogues_past(user: Viewer) -> QuerySet[DialogueSession]:
    return (
        dialogues_visible_to(user).filter(status=DialogueStatus.ENDED).order_by("-starts_at", "-pk")
    )


def may_host_dialogues(user: Viewer) -> bool:
    """Trainers and forum moderators schedule and host live dialogues."""
    return is_moderator(user) or user_has_role(user, Role.TRAINER)


def is_dialogue_host(user: Viewer, session: DialogueSession) -> bool:
    return user.is_authenticated and (session.host_id == user.pk or is_moderator(user))


def is_removed_from(user: Viewer, session: DialogueSession) -> bool:
    return user.is_authenticated and session.bans.filter(user=user).exists()


def _loaded(model, values: dict[str, object]):
    """A model instance from some of its columns (Django's ``Model.from_db``, which takes
    them in the model's field order; the others are deferred)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    return model.from_db(DEFAULT_DB_ALIAS, names, [values[name] for name in names])


def forum_activity_for_home(
    user: Viewer, *, dialogues: int, topics: int
) -> tuple[list[DialogueSession], list[Topic]]:
    """The home page's upcoming live dialogues (``dialogues_upcoming``) and most recently
    active topics (``topics_visible_to``), read together in one query: a ``UNION`` of the two
    (each limited by a subquery of its own selector, so the visibility rules stay theirs) with
    what the home page shows of each, the host's name or the category's. The rows become model
    instances with Django's ``Model.from_db``; another field would be read on access."""
    upcoming = dialogues_upcoming(user).values("pk")[:dialogues]
    active = (
        topics_listed_to(user)
        .filter(hidden=False)
        .order_by("-last_post_at", "-pk")
        .values("pk")[:topics]
    )
    text = CharField()
    blank = Value("", output_field=text)
    sessions = (
        DialogueSession.objects.filter(pk__in=upcoming)
        .order_by()
        .annotate(
            kind=Value("dialogue", output_field=text),
            when=F("starts_at"),
            owner_id=F("host_id"),
            name=F("host__display_name"),
            first=F("host__first_name"),
            last=F("host__last_name"),
            username=F("host__username"),
        )
        .values_list("kind", "pk", "title", "when", "owner_id", "name", "first", "last", "username")
    )
    recent = (
        Topic.objects.filter(pk__in=active)
        .order_by()
        .annotate(
            kind=Value("topic", output_field=text),
            when=F("last_post_at"),
            owner_id=F("category_id"),
            name=F("category__name"),
            first=blank,
            last=blank,
            username=blank,
        )
        .values_list("kind", "pk", "title", "when", "owner_id", "name", "first", "last", "username")
    )
    found_sessions, found_topics = [], []
    for kind, pk, title, when, owner_id, name, first, last, username in sessions.union(
        recent, all=True
    ):
        if kind == "dialogue":
            session = _loaded(
                DialogueSession, {"id": pk, "title": title, "starts_at": when, "host_id": owner_id}
            )
            session.host = _loaded(
                User,
                {
                    "id": owner_id,
                    "display_name": name,
                    "first_name": first,
                    "last_name": last,
                    "username": username,
                },
            )
            found_sessions.append(session)
        else:
            topic = _loaded(
                Topic, {"id": pk, "title": title, "last_post_at": when, "category_id": owner_id}
            )
            topic.category = _loaded(Category, {"id": owner_id, "name": name})
            found_topics.append(topic)
    found_sessions.sort(key=lambda session: (session.starts_at, session.pk))
    found_topics.sort(key=lambda topic: (topic.last_post_at, topic.pk), reverse=True)
    return found_sessions, found_topics


@dataclass(frozen=True)
class PartnershipForum:
    """A partnership's private rooms, their latest topics and its coming live dialogues."""

    categories: list[Category]
    topics: list[Topic]
    dialogues: list[DialogueSession]

    def __bool__(self) -> bool:
        return bool(self.categories or self.dialogues)


def partnership_forum(home, *, topics: int = 5, dialogues: int = 5) -> PartnershipForum:
    """What a partnership's home (``network.home``, members only) shows of its forum, each
    list through the viewer's own rule (``categories_visible_to``, ``topics_listed_to``,
    ``dialogues_upcoming``), so a member removed a moment ago reads none of it."""
    partnership_id = home.partnership.pk
    viewer = home.viewer
    categories = list(categories_visible_to(viewer).filter(partnership_id=partnership_id))
    if not categories:
        return PartnershipForum(categories=[], topics=[], dialogues=[])
    recent = (
        topics_listed_to(viewer)
        .filter(category__in=categories, hidden=False)
        .select_related("category")
        .order_by("-last_post_at", "-pk")[:topics]
    )
    coming = dialogues_upcoming(viewer).filter(category__in=categories)[:dialogues]
    return PartnershipForum(categories=categories, topics=list(recent), dialogues=list(coming))
