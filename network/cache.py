"""What the network's writes change in the anonymous page cache (``config.page_cache``).

- ``network.partnerships``: the directory and the pages of partnerships and organisations
  (their rows, their memberships and their relations).
- ``network.members``: who is listed (a sign-up adds a member, a deletion removes one).
- ``network.profiles``: how a member appears wherever they are named (name, avatar, profile
  visibility): an edit to an existing account. A sign-up bumps only ``network.members`` (a new
  account has written nothing yet), and a login, which stamps ``last_login``, bumps nothing.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save

from config.page_cache import bump

#: Saves that touch only these fields change no page.
INVISIBLE_USER_FIELDS = {"last_login", "password"}


def user_saved(sender, instance, *, created: bool, raw: bool = False, update_fields=None, **kw):
    if raw:
        return
    if created:
        bump("network.members")
    elif not (update_fields and set(update_fields) <= INVISIBLE_USER_FIELDS):
        bump("network.members", "network.profiles")


def user_deleted(sender, **kwargs) -> None:
    bump("network.members", "network.profiles")


def partnerships_changed(sender, *, raw: bool = False, **kwargs) -> None:
    if not raw:
        bump("network.partnerships")


def relations_changed(sender, *, instance, action: str, **kwargs) -> None:
    from network.models import LandscapePartnership, Organisation

    if action.startswith("post_") and isinstance(instance, LandscapePartnership | Organisation):
        bump("network.partnerships")


def connect() -> None:
    from network.models import (
        Follow,
        LandscapePartnership,
        Organisation,
        OrganisationMembership,
        PartnershipMembership,
        User,
    )

    post_save.connect(user_saved, sender=User, dispatch_uid="network.cache.user_saved")
    post_delete.connect(user_deleted, sender=User, dispatch_uid="network.cache.user_deleted")
    for model in (
        LandscapePartnership,
        Organisation,
        PartnershipMembership,
        OrganisationMembership,
        Follow,  # the followers count on the partnership's page
    ):
        for signal in (post_save, post_delete):
            signal.connect(partnerships_changed, sender=model, dispatch_uid=f"net.cache.{model}")
    m2m_changed.connect(relations_changed, dispatch_uid="network.cache.relations_changed")
