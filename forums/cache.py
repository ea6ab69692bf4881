"""What the forums' writes change in the anonymous page cache (``config.page_cache``).

Tags: ``forum.topic:<id>`` (a topic's pages), ``forum.category:<id>`` (a category's topic
list), ``forum.index`` (the categories with their topic counts), ``forum.categories`` (the
category rows every forum page names) and ``forum.activity`` (which topics were active last and
which live dialogues are coming: the home page's forum section), and ``forum.post:<id>`` (one
post's part that every reader sees alike: ``forums.rendering.shared_parts``; a reaction or a
reply elsewhere in the topic keeps it).

Every service that changes what a topic page shows records a ``TopicEvent`` in the same
transaction (the live stream replays them): a reply, an edit, a hidden or restored post, a
reaction, a lock or a move. So one receiver on that table sees every such write, including
the ones made with ``QuerySet.update()``, which send no ``post_save``: a reaction drops its
topic's pages only; a reply, a hidden or restored post, a lock or a move also drops its
category's list. Saves and deletions of the rows themselves (the admin, a script) are caught
on the models.

The same writes purge the pages the production shape's proxy may hold (``config.proxy_cache``):
the topic's address under every language prefix, its category's list (old and new on a move)
and, when the counts change, the forum index. Sent after commit.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save
from django.urls import reverse

from config import proxy_cache
from config.page_cache import bump

#: The home page's forum section: the latest active topics and the coming live dialogues.
ACTIVITY = "forum.activity"


def post_tag(post_id: int) -> str:
    """The tag of one post's part that every reader sees alike (``forums.rendering``), bumped
    by every write that touches the post or its attachments (an edit, hiding, approval,
    restoring, a deletion)."""
    return f"forum.post:{post_id}"


#: Events that change a topic page but not its category's list.
TOPIC_ONLY_EVENTS = {"reaction.changed", "post.edited", "poll.changed"}


def purge(*, topic_id: int | None = None, category_ids=(), index: bool = False) -> None:
    """Purge a topic's page, these categories' lists and the forum index from the proxy."""
    if not proxy_cache.enabled():
        return
    from forums.models import Category

    urls = [reverse("forums:topic", kwargs={"pk": topic_id})] if topic_id else []
    ids = [pk for pk in category_ids if pk is not None]
    for slug in Category.objects.filter(pk__in=ids).values_list("slug", flat=True):
        urls.append(reverse("forums:category", kwargs={"slug": slug}))
    if index:  # the counts changed, and so did the home page's latest active topics
        urls += [reverse("forums:index"), "/"]
    proxy_cache.purge_urls(urls)


def event_recorded(sender, instance, *, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created:
        return
    tags = [f"forum.topic:{instance.topic_id}"]
    if instance.post_id is not None:  # hidden, restored, approved or edited with update()
        tags.append(post_tag(instance.post_id))
    if instance.kind not in TOPIC_ONLY_EVENTS:
        tags += [f"forum.category:{instance.topic.category_id}", ACTIVITY]
    bump(*tags)
    if instance.kind in TOPIC_ONLY_EVENTS:
        purge(topic_id=instance.topic_id)
    else:
        purge(topic_id=instance.topic_id, category_ids=[instance.topic.category_id], index=True)


def topic_saving(sender, instance, *, raw: bool = False, update_fields=None, **kwargs) -> None:
    """Remember the category a topic is moved out of (its list changes too)."""
    if raw or instance._state.adding or (update_fields and "category" not in update_fields):
        return
    instance._category_before_save = (
        sender.objects.filter(pk=instance.pk).values_list("category_id", flat=True).first()
    )


def topic_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    categories = {instance.category_id, getattr(instance, "_category_before_save", None)}
    bump(
        f"forum.topic:{instance.pk}",
        "forum.index",
        ACTIVITY,
        *(f"forum.category:{pk}" for pk in categories if pk is not None),
    )
    purge(topic_id=instance.pk, category_ids=categories, index=True)


def post_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump(f"forum.topic:{instance.topic_id}", post_tag(instance.pk))
        purge(topic_id=instance.topic_id)


def post_deleted(sender, instance, **kwargs) -> None:
    bump(f"forum.topic:{instance.topic_id}", post_tag(instance.pk), "forum.index", ACTIVITY)
    purge(topic_id=instance.topic_id, index=True)


def attachment_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    """An attachment added or removed outside a post's own save (the admin, a script)."""
    if not raw:
        bump(post_tag(instance.post_id))


def category_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump("forum.categories", "forum.index", ACTIVITY, f"forum.category:{instance.pk}")
        # Every forum page names the categories; the proxy keeps them PROXY_CACHE_SECONDS.
        if proxy_cache.enabled():
            proxy_cache.purge_urls(
                [reverse("forums:index"), reverse("forums:category", args=[instance.slug])]
            )


def dialogues_changed() -> None:
    """Live dialogues scheduled, opened, ended, moved or deleted: the home page lists the
    coming ones (dialogue rooms themselves are never cached). Called by the writes that use
    ``QuerySet.update()`` (the clock's), which send no ``post_save``."""
    bump(ACTIVITY)
    if proxy_cache.enabled():
        proxy_cache.purge_urls(["/"])


def dialogue_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        dialogues_changed()


def connect() -> None:
    from forums.models import Attachment, Category, DialogueSession, Post, Topic, TopicEvent

    post_save.connect(event_recorded, sender=TopicEvent, dispatch_uid="forums.cache.event")
    pre_save.connect(topic_saving, sender=Topic, dispatch_uid="forums.cache.topic_saving")
    for signal in (post_save, post_delete):
        signal.connect(topic_changed, sender=Topic, dispatch_uid=f"forums.cache.topic.{signal}")
        signal.connect(category_changed, sender=Category, dispatch_uid=f"forums.cache.c.{signal}")
        signal.connect(
            dialogue_changed, sender=DialogueSession, dispatch_uid=f"forums.cache.d.{signal}"
        )
    post_save.connect(post_changed, sender=Post, dispatch_uid="forums.cache.post_saved")
    post_delete.connect(post_deleted, sender=Post, dispatch_uid="forums.cache.post_deleted")
    for signal in (post_save, post_delete):
        signal.connect(
            attachment_changed, sender=Attachment, dispatch_uid=f"forums.cache.a.{signal}"
        )
