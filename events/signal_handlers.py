"""An organiser cancels a whole event by ticking "cancelled" and publishing it: the publish
tells everyone still registered or waiting (``services.event_cancellation_announce``, once
per event)."""

from __future__ import annotations

from wagtail.signals import page_published


def announce_cancellation(sender, instance, **kwargs) -> None:
    from events.services import event_cancellation_announce

    if instance.cancelled:
        event_cancellation_announce(event=instance)


def connect() -> None:
    from events.models import EventPage

    page_published.connect(
        announce_cancellation, sender=EventPage, dispatch_uid="events.announce_cancellation"
    )
