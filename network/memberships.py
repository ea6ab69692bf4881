"""Joining a partnership: requests, a coordinator's decision, invitations, removal, following.

Every write here goes through ``PartnershipMembership`` rows, whose save and delete announce
``membership_changed`` after commit (``network.signal_handlers``): open sockets re-check their
access, and search reads the reader's memberships at query time, so nothing is reindexed.
A coordinator's write costs the same whatever the size of the partnership: it locks and
reads the one request, invitation or membership it changes, never the member list.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from network.mail import mail_address
from network.models import (
    Follow,
    JoinRequest,
    JoinRequestStatus,
    LandscapePartnership,
    PartnershipInvitation,
    PartnershipMembership,
    PartnershipRole,
    User,
)
from network.rate_limits import count_this_minute
from network.selectors import is_coordinator, is_member
from network.signals import join_request_decided

RATE_LIMITED = "rate_limited"
INVITATION_SALT = "network.invitation"


def _check_signed_in(user: User) -> None:
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to join a partnership."))


def _check_coordinator(*, user: User, partnership: LandscapePartnership) -> None:
    if not is_coordinator(user, partnership):
        raise PermissionDenied(_("Only the partnership's coordinators can do this."))


def _check_rate(*, user: User, bucket: str, setting: str, message: str) -> None:
    limit = getattr(settings, setting)
    if count_this_minute(f"network:{bucket}", user.pk) > limit:
        raise ValidationError(message % {"limit": limit}, code=RATE_LIMITED)


def is_rate_limited(error: Exception) -> bool:
    """Whether a refusal is a rate limit, so a view can answer 429 instead of 400."""
    if not isinstance(error, ValidationError) or hasattr(error, "error_dict"):
        return False
    return any(item.code == RATE_LIMITED for item in error.error_list)


# --- Asking to join -----------------------------------------------------------------------


@transaction.atomic
def join_request_create(
    *, partnership: LandscapePartnership, user: User, message: str = ""
) -> JoinRequest | PartnershipMembership:
    """Ask to join; an open partnership lets the member in at once (the membership is
    returned). A member who already waits, or already belongs, is told so."""
    _check_signed_in(user)
    if is_member(user, partnership):
        raise ValidationError(_("You are already a member of this partnership."))
    _check_rate(
        user=user,
        bucket="join",
        setting="NETWORK_JOIN_REQUESTS_PER_MINUTE",
        message=_("You are asking very often: at most %(limit)s requests a minute. Wait a moment."),
    )
    if partnership.open_to_join:
        membership, _created = PartnershipMembership.objects.get_or_create(
            partnership=partnership, user=user, defaults={"role": PartnershipRole.MEMBER}
        )
        return membership
    join_request = JoinRequest(partnership=partnership, user=user, message=message.strip())
    join_request.full_clean(exclude=["partnership", "user", "decided_by"])
    try:
        with transaction.atomic():
            join_request.save()
    except IntegrityError:
        raise ValidationError(
            _("You have already asked to join; a coordinator will answer soon.")
        ) from None
    return join_request


def join_request_approve(*, join_request: JoinRequest, coordinator: User) -> PartnershipMembership:
    """A coordinator lets the requester in; the requester is notified after commit."""
    return _join_request_decide(join_request=join_request, coordinator=coordinator, approve=True)


def join_request_decline(*, join_request: JoinRequest, coordinator: User) -> None:
    """A coordinator says no; the requester is notified after commit and may ask again."""
    _join_request_decide(join_request=join_request, coordinator=coordinator, approve=False)


@transaction.atomic
def _join_request_decide(
    *, join_request: JoinRequest, coordinator: User, approve: bool
) -> PartnershipMembership | None:
    partnership = join_request.partnership
    _check_coordinator(user=coordinator, partnership=partnership)
    if join_request.user_id == coordinator.pk:
        raise PermissionDenied(_("Another coordinator must decide your own request."))
    # The row lock makes two coordinators deciding at once decide once.
    locked = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if locked.status != JoinRequestStatus.PENDING:
        raise ValidationError(_("This request has already been answered."))
    locked.status = JoinRequestStatus.APPROVED if approve else JoinRequestStatus.DECLINED
    locked.decided_by = coordinator
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_by", "decided_at"])
    join_request.status = locked.status
    membership = None
    if approve:
        membership, _created = PartnershipMembership.objects.get_or_create(
            partnership_id=partnership.pk,
            user_id=locked.user_id,
            defaults={"role": PartnershipRole.MEMBER},
        )
    # Inside the transaction: the requester's notification is written with the decision, or
    # not at all (receivers broadcast only after commit).
    join_request_decided.send(
        sender=JoinRequest,
        user_id=locked.user_id,
        partnership_id=partnership.pk,
        approved=approve,
    )
    return membership


# --- Invitations ----------------------------------------------------------------------------


def invitation_token(invitation: PartnershipInvitation) -> str:
    return signing.dumps(invitation.pk, salt=INVITATION_SALT, compress=True)


def invitation_from_token(token: str) -> PartnershipInvitation:
    """The invitation a link names, if the signature holds and it has not expired."""
    try:
        pk = signing.loads(token, salt=INVITATION_SALT, max_age=settings.NETWORK_INVITATION_MAX_AGE)
    except signing.SignatureExpired:
        raise ValidationError(
            _("This invitation has expired. Ask a coordinator for a new one.")
        ) from None
    except signing.BadSignature:
        raise ValidationError(_("This invitation link is not valid.")) from None
    invitation = PartnershipInvitation.objects.select_related("partnership").filter(pk=pk).first()
    if invitation is None:
        raise ValidationError(_("This invitation has been withdrawn."))
    return invitation


@transaction.atomic
def invitation_create(
    *, partnership: LandscapePartnership, coordinator: User, email: str
) -> PartnershipInvitation:
    """Invite an address; the mail (a signed link that expires) leaves after commit."""
    _check_coordinator(user=coordinator, partnership=partnership)
    _check_rate(
        user=coordinator,
        bucket="invite",
        setting="NETWORK_INVITATIONS_PER_MINUTE",
        message=_("You are inviting very fast: at most %(limit)s invitations a minute."),
    )
    email = User.objects.normalize_email(email.strip())
    if PartnershipMembership.objects.filter(
        partnership=partnership, user__email__iexact=email
    ).exists():
        raise ValidationError({"email": _("This person is already a member.")})
    invitation = PartnershipInvitation.objects.create(
        partnership=partnership, email=email, invited_by=coordinator
    )
    link = settings.SITE_URL + reverse(
        "network:invitation", kwargs={"token": invitation_token(invitation)}
    )
    days = settings.NETWORK_INVITATION_MAX_AGE // 86400
    language = translation.get_language() or settings.LANGUAGE_CODE
    transaction.on_commit(
        lambda: mail_address(
            address=email,
            template="network/email/invitation.txt",
            context={
                "partnership": partnership,
                "inviter": coordinator,
                "link": link,
                "days": days,
            },
            subject=lambda: _("You are invited to join %(name)s") % {"name": partnership.name},
            language=language,
        )
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: PartnershipInvitation, user: User) -> PartnershipMembership:
    """The invited person, signed in with the invited address, joins. A link works once."""
    _check_signed_in(user)
    locked = PartnershipInvitation.objects.select_for_update().get(pk=invitation.pk)
    if locked.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if user.email.casefold() != locked.email.casefold():
        raise PermissionDenied(
            _("This invitation was sent to another address. Sign in with %(email)s.")
            % {"email": locked.email}
        )
    locked.accepted_at = timezone.now()
    locked.accepted_by = user
    locked.save(update_fields=["accepted_at", "accepted_by"])
    membership, _created = PartnershipMembership.objects.get_or_create(
        partnership_id=locked.partnership_id, user=user, defaults={"role": PartnershipRole.MEMBER}
    )
    # A pending request is answered by the invitation.
    JoinRequest.objects.filter(
        partnership_id=locked.partnership_id, user=user, status=JoinRequestStatus.PENDING
    ).update(status=JoinRequestStatus.APPROVED, decided_at=locked.accepted_at)
    return membership


# --- Removing -----------------------------------------------------------------------------


@transaction.atomic
def membership_remove_by_coordinator(
    *, partnership: LandscapePartnership, coordinator: User, user: User
) -> bool:
    """A coordinator takes a member out; the private spaces close to them after commit."""
    _check_coordinator(user=coordinator, partnership=partnership)
    if user.pk == coordinator.pk:
        raise ValidationError(_("You cannot remove yourself; ask another coordinator."))
    deleted, _details = PartnershipMembership.objects.filter(
        partnership=partnership, user=user
    ).delete()
    return bool(deleted)


# --- Following ----------------------------------------------------------------------------


@transaction.atomic
def follow_create(*, partnership: LandscapePartnership, user: User) -> Follow:
    """Follow a partnership (idempotent): its news reach the follower's notifications."""
    _check_signed_in(user)
    follow, _created = Follow.objects.get_or_create(partnership=partnership, user=user)
    return follow


@transaction.atomic
def follow_delete(*, partnership: LandscapePartnership, user: User) -> bool:
    deleted, _details = Follow.objects.filter(partnership=partnership, user=user).delete()
    return bool(deleted)
