"""What the forums' writes change in the anonymous page cache (``config.page_cache``).

Tags: ``forum.topic:<id>`` (a topic's pages), ``forum.category:<id>`` (a category's topic
list), ``forum.index`` (the categories with their topic counts) and ``forum.categories``
(the category rows every forum page names).

Every service that changes what a topic page shows records a ``TopicEvent`` in the same
transaction (the live stream replays them): a reply, an edit, a hidden or restored post, a
reaction, a lock or a move. So one receiver on that table sees every such write, including
the ones made with ``QuerySet.update()``, which send no ``post_save``: a reaction drops its
topic's pages only; a reply, a hidden or restored post, a lock or a move also drops its
category's list. Saves and deletions of the rows themselves (the admin, a script) are caught
on the models.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save, pre_save

from config.page_cache import bump

#: Events that change a topic page but not its category's list.
TOPIC_ONLY_EVENTS = {"reaction.changed", "post.edited"}


def event_recorded(sender, instance, *, created: bool, raw: bool = False, **kwargs) -> None:
    if raw or not created:
        return
    tags = [f"forum.topic:{instance.topic_id}"]
    if instance.kind not in TOPIC_ONLY_EVENTS:
        tags.append(f"forum.category:{instance.topic.category_id}")
    bump(*tags)


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
        *(f"forum.category:{pk}" for pk in categories if pk is not None),
    )


def post_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump(f"forum.topic:{instance.topic_id}")


def post_deleted(sender, instance, **kwargs) -> None:
    bump(f"forum.topic:{instance.topic_id}", "forum.index")


def category_changed(sender, instance, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump("forum.categories", "forum.index", f"forum.category:{instance.pk}")


def connect() -> None:
    from forums.models import Category, Post, Topic, TopicEvent

    post_save.connect(event_recorded, sender=TopicEvent, dispatch_uid="forums.cache.event")
    pre_save.connect(topic_saving, sender=Topic, dispatch_uid="forums.cache.topic_saving")
    for signal in (post_save, post_delete):
        signal.connect(topic_changed, sender=Topic, dispatch_uid=f"forums.cache.topic.{signal}")
        signal.connect(category_changed, sender=Category, dispatch_uid=f"forums.cache.c.{signal}")
    post_save.connect(post_changed, sender=Post, dispatch_uid="forums.cache.post_saved")
    post_delete.connect(post_deleted, sender=Post, dispatch_uid="forums.cache.post_deleted")
