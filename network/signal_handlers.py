"""Announce partnership membership changes after commit, however they were made.

Editors change memberships in the Wagtail admin (inline rows) as well as through services, so
the announcement hangs off the model's save and delete rather than off one service.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from network.models import PartnershipMembership
from network.signals import membership_changed


def announce_membership_change(
    sender, instance: PartnershipMembership, raw: bool = False, **kwargs
):
    if raw:
        return
    user_id, partnership_id = instance.user_id, instance.partnership_id
    transaction.on_commit(
        lambda: membership_changed.send(
            sender=PartnershipMembership, user_id=user_id, partnership_id=partnership_id
        )
    )


def connect() -> None:
    post_save.connect(
        announce_membership_change,
        sender=PartnershipMembership,
        dispatch_uid="network.membership.saved",
    )
    post_delete.connect(
        announce_membership_change,
        sender=PartnershipMembership,
        dispatch_uid="network.membership.deleted",
    )
