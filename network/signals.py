"""Signals other apps listen to without ``network`` importing them (apps depend downwards).

``membership_changed`` is sent after commit whenever a person joins or leaves a partnership,
so that forums can re-check open sockets and search can re-read the person's audiences.
"""

from __future__ import annotations

from django.dispatch import Signal

#: sent with ``user_id`` and ``partnership_id`` once the change is committed
membership_changed = Signal()

#: sent inside the deciding transaction with ``user_id``, ``partnership_id`` and ``approved``
#: (bool) when a coordinator answers a request to join, so the requester is notified in the
#: same transaction (forums' notifications); receivers broadcast only after commit
join_request_decided = Signal()
