"""Keep funders' conversations with the partnership's coordinators as they change.

Coordinators are changed by services (join requests, invitations, removals) and by editors in
the Wagtail admin (inline rows), so the rule hangs off the membership row's save and delete,
as ``network.signal_handlers`` does, and runs inside the same transaction.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from network.models import PartnershipMembership


def membership_saved_or_deleted(
    sender, instance: PartnershipMembership, raw: bool = False, **kwargs
):
    if raw:
        return
    from finance.services import interest_conversations_follow_coordinators

    interest_conversations_follow_coordinators(
        partnership_id=instance.partnership_id, user_id=instance.user_id
    )


def connect() -> None:
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            membership_saved_or_deleted,
            sender=PartnershipMembership,
            dispatch_uid=f"finance.conversations.membership_{name}",
        )
