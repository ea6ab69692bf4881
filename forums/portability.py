"""The forums' part of a partnership export (see ``network.exchange``).

A partnership owns its private categories: their topics, posts (with edit history, hiding and
reactions) and the live dialogue sessions held in them (chat, questions, votes, bans). People
are named by email; posts refer to the post they reply to by position in their topic. HTML is
never read from the file: it is rendered again from the Markdown source by the one sanitiser,
so an import cannot smuggle markup in. Attachments are files: they travel with the media backup
(docs/backup.md), not in this file. Notifications, subscriptions, read marks and presence are
per-person working state and are not exported.
"""

from __future__ import annotations

from collections.abc import Iterable

from forums.models import (
    Category,
    DialogueBan,
    DialogueMessage,
    DialogueQuestion,
    DialogueSession,
    DialogueVote,
    Post,
    PostRevision,
    Reaction,
    Topic,
)
from forums.sanitize import plain_text, render_markdown
from network.exchange import (
    ExchangeError,
    ImportContext,
    Section,
    iso,
    optional,
    register_section,
    require,
    saved,
    when,
)
from network.models import LandscapePartnership

SECTION = "forums"


def _email(user) -> str | None:
    return user.email.lower() if user is not None else None


# --- Export ------------------------------------------------------------------------------


def _post(post: Post, refs: dict[int, int]) -> dict:
    return {
        "ref": refs[post.pk],
        "author": _email(post.author),
        "body": post.body_source,
        "reply_to": refs.get(post.reply_to_id) if post.reply_to_id else None,
        "created_at": iso(post.created_at),
        "edited_at": iso(post.edited_at),
        "hidden": post.hidden,
        "hidden_by": _email(post.hidden_by),
        "hidden_reason": post.hidden_reason,
        "revisions": [
            {"editor": _email(r.editor), "body": r.body_source, "created_at": iso(r.created_at)}
            for r in post.revisions.select_related("editor").order_by("created_at", "pk")
        ],
        "reactions": [
            {"user": _email(r.user), "kind": r.kind, "created_at": iso(r.created_at)}
            for r in post.reactions.select_related("user").order_by("user__email", "kind")
        ],
    }


def _topic(topic: Topic) -> dict:
    posts = list(topic.posts.select_related("author", "hidden_by").order_by("created_at", "pk"))
    refs = {post.pk: index for index, post in enumerate(posts, start=1)}
    return {
        "title": topic.title,
        "author": _email(topic.author),
        "pinned": topic.pinned,
        "locked": topic.locked,
        "hidden": topic.hidden,
        "created_at": iso(topic.created_at),
        "last_post_at": iso(topic.last_post_at),
        "tags": sorted(tag.name for tag in topic.tags.all()),
        "posts": [_post(post, refs) for post in posts],
    }


def _dialogue(session: DialogueSession, topic_refs: dict[int, dict]) -> dict:
    return {
        "title": session.title,
        "description": session.description,
        "host": _email(session.host),
        "category": session.category.slug,
        "starts_at": iso(session.starts_at),
        "ends_at": iso(session.ends_at),
        "status": session.status,
        "course_page_id": session.lesson_id,
        "created_at": iso(session.created_at),
        "archived_topic": topic_refs.get(session.archived_topic_id),
        "messages": [
            {
                "author": _email(m.author),
                "body": m.body_source,
                "created_at": iso(m.created_at),
                "removed": m.removed,
            }
            for m in session.messages.select_related("author").order_by("created_at", "pk")
        ],
        "questions": [
            {
                "author": _email(q.author),
                "body": q.body_source,
                "created_at": iso(q.created_at),
                "answered": q.answered,
                "removed": q.removed,
                "votes": sorted(_email(v.user) for v in q.votes.select_related("user")),
            }
            for q in session.questions.select_related("author").order_by("created_at", "pk")
        ],
        "bans": sorted(_email(b.user) for b in session.bans.select_related("user")),
    }


def forums_export(partnership: LandscapePartnership) -> dict:
    categories = list(partnership.forum_categories.order_by("position", "slug"))
    topic_refs: dict[int, dict] = {}
    exported = []
    for category in categories:
        topics = list(category.topics.select_related("author").order_by("created_at", "pk"))
        for index, topic in enumerate(topics):
            topic_refs[topic.pk] = {"category": category.slug, "topic": index}
        exported.append(
            {
                "slug": category.slug,
                "name": category.name,
                "description": category.description,
                "position": category.position,
                "topics": [_topic(topic) for topic in topics],
            }
        )
    sessions = (
        DialogueSession.objects.filter(category__in=categories)
        .select_related("host", "category")
        .order_by("starts_at", "created_at", "title")
    )
    return {
        "categories": exported,
        "dialogues": [_dialogue(session, topic_refs) for session in sessions],
    }


def forums_people(section: dict) -> Iterable[str]:
    """Every email the exported section mentions."""
    for category in section.get("categories", []):
        for topic in category.get("topics", []):
            yield topic.get("author")
            for post in topic.get("posts", []):
                yield post.get("author")
                if post.get("hidden_by"):
                    yield post["hidden_by"]
                yield from (r.get("editor") for r in post.get("revisions", []) if r.get("editor"))
                yield from (r.get("user") for r in post.get("reactions", []))
    for session in section.get("dialogues", []):
        yield session.get("host")
        yield from (m.get("author") for m in session.get("messages", []))
        for question in session.get("questions", []):
            yield question.get("author")
            yield from question.get("votes", [])
        yield from session.get("bans", [])


# --- Import ------------------------------------------------------------------------------


def forums_conflicts(section: dict) -> list[str]:
    categories = require(section, "categories", list, "sections.forums")
    slugs = [require(c, "slug", str, "sections.forums.categories[]") for c in categories]
    taken = sorted(Category.objects.filter(slug__in=slugs).values_list("slug", flat=True))
    return [f"a forum category with the slug {slug!r} already exists" for slug in taken]


def _body(entry: dict, where: str) -> tuple[str, str]:
    source = require(entry, "body", str, where)
    html = render_markdown(source)
    return source, html


def _load_post(entry: dict, topic: Topic, posts: dict[int, Post], where: str, ctx) -> None:
    ref = require(entry, "ref", int, where)
    source, html = _body(entry, where)
    reply_ref = optional(entry, "reply_to", int, where)
    if reply_ref is not None and reply_ref not in posts:
        raise ExchangeError(f"{where}.reply_to: no earlier post {reply_ref} in this topic.")
    hidden_by = entry.get("hidden_by")
    post = saved(
        Post(
            topic=topic,
            author=ctx.user(entry.get("author"), where=f"{where}.author"),
            body_source=source,
            body_html=html,
            search_text=plain_text(html),
            reply_to=posts.get(reply_ref) if reply_ref is not None else None,
            created_at=when(require(entry, "created_at", str, where), f"{where}.created_at"),
            edited_at=when(entry.get("edited_at"), f"{where}.edited_at"),
            hidden=bool(entry.get("hidden", False)),
            hidden_by=ctx.user(hidden_by, where=f"{where}.hidden_by") if hidden_by else None,
            hidden_reason=optional(entry, "hidden_reason", str, where, default=""),
        ),
        where,
    )
    posts[ref] = post
    ctx.count("posts")
    for index, revision in enumerate(optional(entry, "revisions", list, where, default=[])):
        at = f"{where}.revisions[{index}]"
        source, html = _body(revision, at)
        editor = revision.get("editor")
        saved(
            PostRevision(
                post=post,
                editor=ctx.user(editor, where=f"{at}.editor") if editor else None,
                body_source=source,
                body_html=html,
                created_at=when(require(revision, "created_at", str, at), f"{at}.created_at"),
            ),
            at,
        )
    for index, reaction in enumerate(optional(entry, "reactions", list, where, default=[])):
        at = f"{where}.reactions[{index}]"
        saved(
            Reaction(
                post=post,
                user=ctx.user(reaction.get("user"), where=f"{at}.user"),
                kind=require(reaction, "kind", str, at),
                created_at=when(require(reaction, "created_at", str, at), f"{at}.created_at"),
            ),
            at,
        )
        ctx.count("reactions")


def _lesson(page_id: int | None):
    """The lesson a file's page id names on this site, if it names one (ids are the source
    site's: a lesson another site's id happens to match is the operator's to check)."""
    if page_id is None:
        return None
    from courses.models import LessonPage

    return LessonPage.objects.filter(pk=page_id).first()


def _load_dialogue(entry: dict, categories: dict, topics: dict, where: str, ctx) -> None:
    category_slug = require(entry, "category", str, where)
    if category_slug not in categories:
        raise ExchangeError(f"{where}.category: {category_slug!r} is not in this file.")
    archived = entry.get("archived_topic")
    archived_topic = None
    if archived is not None:
        key = (
            require(archived, "category", str, f"{where}.archived_topic"),
            require(archived, "topic", int, f"{where}.archived_topic"),
        )
        if key not in topics:
            raise ExchangeError(f"{where}.archived_topic: no such topic in this file.")
        archived_topic = topics[key]
    session = saved(
        DialogueSession(
            title=require(entry, "title", str, where),
            description=optional(entry, "description", str, where, default=""),
            host=ctx.user(entry.get("host"), where=f"{where}.host"),
            category=categories[category_slug],
            starts_at=when(require(entry, "starts_at", str, where), f"{where}.starts_at"),
            ends_at=when(require(entry, "ends_at", str, where), f"{where}.ends_at"),
            status=require(entry, "status", str, where),
            lesson=_lesson(optional(entry, "course_page_id", int, where)),
            created_at=when(require(entry, "created_at", str, where), f"{where}.created_at"),
            archived_topic=archived_topic,
        ),
        where,
    )
    ctx.count("dialogues")
    for index, message in enumerate(optional(entry, "messages", list, where, default=[])):
        at = f"{where}.messages[{index}]"
        source, html = _body(message, at)
        saved(
            DialogueMessage(
                session=session,
                author=ctx.user(message.get("author"), where=f"{at}.author"),
                body_source=source,
                body_html=html,
                created_at=when(require(message, "created_at", str, at), f"{at}.created_at"),
                removed=bool(message.get("removed", False)),
            ),
            at,
        )
    for index, question in enumerate(optional(entry, "questions", list, where, default=[])):
        at = f"{where}.questions[{index}]"
        source, html = _body(question, at)
        votes = optional(question, "votes", list, at, default=[])
        saved_question = saved(
            DialogueQuestion(
                session=session,
                author=ctx.user(question.get("author"), where=f"{at}.author"),
                body_source=source,
                body_html=html,
                created_at=when(require(question, "created_at", str, at), f"{at}.created_at"),
                answered=bool(question.get("answered", False)),
                removed=bool(question.get("removed", False)),
                vote_count=len(votes),
            ),
            at,
        )
        for email in votes:
            DialogueVote.objects.create(
                question=saved_question, user=ctx.user(email, where=f"{at}.votes")
            )
    for email in optional(entry, "bans", list, where, default=[]):
        DialogueBan.objects.create(session=session, user=ctx.user(email, where=f"{where}.bans"))


def forums_load(section: dict, ctx: ImportContext) -> None:
    categories: dict[str, Category] = {}
    topics: dict[tuple[str, int], Topic] = {}
    for c_index, entry in enumerate(require(section, "categories", list, "sections.forums")):
        where = f"sections.forums.categories[{c_index}]"
        category = saved(
            Category(
                slug=require(entry, "slug", str, where),
                name=require(entry, "name", str, where),
                description=optional(entry, "description", str, where, default=""),
                position=optional(entry, "position", int, where, default=0),
                partnership=ctx.partnership,
            ),
            where,
        )
        categories[category.slug] = category
        ctx.count("categories")
        for t_index, item in enumerate(require(entry, "topics", list, where)):
            at = f"{where}.topics[{t_index}]"
            topic = saved(
                Topic(
                    category=category,
                    title=require(item, "title", str, at),
                    author=ctx.user(item.get("author"), where=f"{at}.author"),
                    pinned=bool(item.get("pinned", False)),
                    locked=bool(item.get("locked", False)),
                    hidden=bool(item.get("hidden", False)),
                    created_at=when(require(item, "created_at", str, at), f"{at}.created_at"),
                    last_post_at=when(require(item, "last_post_at", str, at), f"{at}.last_post_at"),
                ),
                at,
            )
            tags = optional(item, "tags", list, at, default=[])
            if not all(isinstance(tag, str) for tag in tags):
                raise ExchangeError(f"{at}.tags: expected a list of words.")
            topic.tags.set(tags)
            topics[(category.slug, t_index)] = topic
            ctx.count("topics")
            posts: dict[int, Post] = {}
            for p_index, post in enumerate(require(item, "posts", list, at)):
                _load_post(post, topic, posts, f"{at}.posts[{p_index}]", ctx)
            Topic.objects.filter(pk=topic.pk).update(
                post_count=topic.posts.filter(hidden=False).count()
            )
    for index, entry in enumerate(optional(section, "dialogues", list, "sections.forums", [])):
        _load_dialogue(entry, categories, topics, f"sections.forums.dialogues[{index}]", ctx)


def register() -> None:
    register_section(
        Section(
            name=SECTION,
            export=forums_export,
            people=lambda section: [email for email in forums_people(section) if email],
            check_conflicts=forums_conflicts,
            load=forums_load,
        )
    )
