"""Writes to people's accounts, profiles and memberships."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from network.boundaries import Boundary, representative_point
from network.mail import DIGEST, OPTIONAL_KINDS
from network.models import (
    DigestFrequency,
    LandscapePartnership,
    PartnershipMembership,
    PartnershipRole,
    ProfileVisibility,
    User,
)
from network.roles import DEFAULT_ROLE, Role
from network.selectors import may_edit_landscape
from network.validators import validate_time_zone


def user_assign_default_role(*, user: User) -> None:
    """Put a new account in the learner group, so it has the rights every member has."""
    user_add_role(user=user, role=DEFAULT_ROLE)


def user_add_role(*, user: User, role: Role) -> None:
    group, _created = Group.objects.get_or_create(name=role.value)
    user.groups.add(group)


_VISIBILITY_RANK = {
    ProfileVisibility.PUBLIC: 0,
    ProfileVisibility.MEMBERS: 1,
    ProfileVisibility.PRIVATE: 2,
}


def _narrows(old: str, new: str) -> bool:
    return _VISIBILITY_RANK.get(new, 2) > _VISIBILITY_RANK.get(old, 2)


@transaction.atomic
def profile_update(
    *,
    user: User,
    display_name: str,
    organisation_name: str,
    country: str,
    languages: list[str],
    bio: str,
    profile_visibility: str,
    avatar: ContentFile | None = None,
    remove_avatar: bool = False,
) -> User:
    """Save a member's profile; the avatar arrives already checked by ``avatar_clean``.

    The member's row is locked and the picture it holds read under the lock, so of two saves at
    once the second replaces (and deletes, after commit) the first one's picture instead of
    leaving it behind. Narrowing who may see the profile moves the picture to a new address, so
    a link copied while it was public stops working.
    """
    current = (
        User.objects.select_for_update()
        .filter(pk=user.pk)
        .values_list("avatar", "profile_visibility")
    )
    old_avatar_name, old_visibility = current.get()
    user.display_name = display_name  # checked and trimmed by ``User.clean``
    user.organisation_name = organisation_name.strip()
    user.country = country
    user.languages = languages
    user.bio = bio.strip()
    user.profile_visibility = profile_visibility
    user.avatar.name = old_avatar_name or None
    storage = User._meta.get_field("avatar").storage
    if remove_avatar:
        user.avatar = None
    if avatar is None and old_avatar_name and _narrows(old_visibility, profile_visibility):
        with storage.open(old_avatar_name, "rb") as current_file:
            avatar = ContentFile(current_file.read(), name=old_avatar_name.rsplit("/", 1)[-1])
    if avatar is not None:
        user.avatar.save(avatar.name, avatar, save=False)
    new_avatar_name = user.avatar.name if user.avatar else ""
    try:
        user.full_clean(exclude=["password", "avatar"])
        try:
            with transaction.atomic():
                user.save()
        except IntegrityError:
            # Another member took a name read as this one since the check above.
            raise ValidationError(
                {
                    "display_name": _(
                        "Another member already uses this name. Choose another display name."
                    )
                }
            ) from None
    except BaseException:
        if new_avatar_name and new_avatar_name != old_avatar_name:
            storage.delete(new_avatar_name)  # the row keeps the old picture
        raise
    if old_avatar_name and old_avatar_name != new_avatar_name:
        transaction.on_commit(lambda: storage.delete(old_avatar_name))
    return user


@transaction.atomic
def partnership_membership_add(
    *,
    partnership: LandscapePartnership,
    user: User,
    role: str = PartnershipRole.MEMBER,
) -> PartnershipMembership:
    """Let a person into a partnership (or change their role); idempotent.

    ``network.signal_handlers`` announces the change after commit, for admin edits too.
    """
    membership, _created = PartnershipMembership.objects.update_or_create(
        partnership=partnership, user=user, defaults={"role": role}
    )
    return membership


@transaction.atomic
def partnership_membership_remove(*, partnership: LandscapePartnership, user: User) -> bool:
    """Take a person out of a partnership; its private spaces close to them after commit."""
    deleted, _details = PartnershipMembership.objects.filter(
        partnership=partnership, user=user
    ).delete()
    return bool(deleted)


@transaction.atomic
def partnership_boundary_set(
    *, partnership: LandscapePartnership, editor: User, boundary: Boundary | None
) -> LandscapePartnership:
    """Save (or, with ``None``, remove) a partnership's boundary, already validated by
    ``network.boundaries.parse``: the whole geometry, its simplification for the map and its
    area, in one UPDATE. A partnership without a point on the map gets one from the boundary,
    so it shows on the map at once. The save's ``post_save`` drops the cached pages."""
    if not may_edit_landscape(editor, partnership):
        raise PermissionDenied(_("Only the partnership's coordinators and editors can do this."))
    fields = ["boundary", "boundary_simplified", "boundary_area_km2", "updated_at"]
    if boundary is None:
        partnership.boundary = partnership.boundary_simplified = None
        partnership.boundary_area_km2 = None
    else:
        partnership.boundary = boundary.geometry
        partnership.boundary_simplified = boundary.simplified()
        partnership.boundary_area_km2 = Decimal(f"{boundary.area_km2:.2f}")
        if not partnership.has_location:
            longitude, latitude = representative_point(boundary.geometry)
            partnership.latitude = Decimal(f"{latitude:.5f}")
            partnership.longitude = Decimal(f"{longitude:.5f}")
            fields += ["latitude", "longitude"]
    partnership.save(update_fields=fields)
    return partnership


@transaction.atomic
def mail_settings_update(
    *, user: User, language: str, time_zone: str, digest_frequency: str, declined: list[str]
) -> User:
    """Save a member's language, time zone and mail choices (``network.mail``)."""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationError({"language": _("Choose one of the site's languages.")})
    validate_time_zone(time_zone)
    if digest_frequency not in DigestFrequency.values:
        raise ValidationError({"digest_frequency": _("Choose how often the digest comes.")})
    user.language = language
    user.time_zone = time_zone
    user.digest_frequency = digest_frequency
    user.mail_declined = sorted({kind for kind in declined if kind in OPTIONAL_KINDS})
    user.save(update_fields=["language", "time_zone", "digest_frequency", "mail_declined"])
    return user


@transaction.atomic
def mail_unsubscribe(*, user_id: int, kind: str) -> User | None:
    """Stop one kind of mail for a member (a one-click unsubscribe); ``None`` when the account
    is gone. Doing it twice is doing it once."""

    if kind not in OPTIONAL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        return None
    if kind == DIGEST:
        user.digest_frequency = DigestFrequency.OFF
        user.save(update_fields=["digest_frequency"])
    elif kind not in user.mail_declined:
        user.mail_declined = sorted([*user.mail_declined, kind])
        user.save(update_fields=["mail_declined"])
    return user
