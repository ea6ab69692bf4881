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

#: sent inside the publishing transaction with ``partnership_id``, ``page_id`` and
#: ``actor_id`` (or None) when a case study linked to a partnership is published for the first
#: time (its first language), so forums tells the partnership's followers; receivers
#: broadcast only after commit
case_study_published = Signal()
