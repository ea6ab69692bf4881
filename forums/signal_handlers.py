"""Reactions of the forums to other apps' signals."""

from __future__ import annotations

from forums import events
from network.signals import membership_changed


def recheck_open_sockets(sender, *, user_id: int, partnership_id: int, **kwargs) -> None:
    """A membership changed (after commit): the person's open sockets re-check their access,
    so someone who left a partnership stops receiving its private topics at once."""
    events.send_now(events.user_group(user_id), {"type": "user.access", "user": user_id})


def connect() -> None:
    membership_changed.connect(recheck_open_sockets, dispatch_uid="forums.recheck_open_sockets")
