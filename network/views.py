"""The network's pages: one's own profile, and the directory of partnerships, organisations
and members (each member shown only as far as their visibility choice allows)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.page_cache import cache_public, declare_cacheable
from network import home, memberships, selectors, services
from network.filters import OrganisationFilterForm, PartnershipFilterForm
from network.forms import (
    FollowForm,
    InvitationForm,
    JoinRequestDecisionForm,
    JoinRequestForm,
    ProfileForm,
)
from network.models import JoinRequest

MEMBERS_PER_PAGE = 24
DIRECTORY_PER_PAGE = 24


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm.for_user(user, data=request.POST, files=request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            new_avatar, remove_avatar = form.avatar_change()
            try:
                services.profile_update(
                    user=user,
                    display_name=data["display_name"],
                    organisation_name=data["organisation_name"],
                    country=data["country"],
                    languages=data["languages"],
                    bio=data["bio"],
                    profile_visibility=data["profile_visibility"],
                    avatar=new_avatar,
                    remove_avatar=remove_avatar,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your profile has been saved."))
                return redirect("network:profile")
        messages.error(request, _("Please correct the errors below."))
    else:
        form = ProfileForm.for_user(user)
    return render(request, "network/profile_edit.html", {"form": form})


@cache_public("network.partnerships", "vocabularies")
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    partnerships = selectors.partnerships_filtered(
        region=filters.get("region", ""),
        country=filters.get("country", ""),
        text=filters.get("q", ""),
        status=filters.get("status", ""),
        theme=filters.get("theme", ""),
        ecosystem=filters.get("ecosystem", ""),
        sdg=filters.get("sdg"),
    )
    page = Paginator(partnerships, DIRECTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/partnership_list.html",
        {
            "page": page,
            "filter_form": form,
            "filters": filters,
            "map_points": selectors.partnership_map_points(),
        },
    )


@cache_public("network.partnerships", "network.profiles", "vocabularies")
def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The partnership's home: its profile, people and organisations for everyone, and the
    sections other apps add (``network.home``): its case studies and events for everyone
    (each filtered by what the viewer may see), its private forum, live dialogues, cohorts
    and courses for its members only. Membership is read at every request (a member
    removed loses the private sections at once); a signed-in page is never stored in the
    shared cache, and a visitor's declares the tags of every public section."""
    declare_cacheable(request, *home.public_tags(), early=True)
    partnership = selectors.partnership_detail(slug)
    if partnership is None:
        raise Http404(_("No landscape partnership at this address."))
    terms = selectors.partnership_terms(partnership)
    members = selectors.partnership_members_visible_to(request.user, partnership)
    joining = selectors.joining_state(request.user, partnership)
    is_member = joining["role"] is not None
    return render(
        request,
        "network/partnership_detail.html",
        {
            "partnership": partnership,
            "terms": terms,
            "members": members,
            "hidden_member_count": partnership.memberships.count() - len(members),
            "map_points": selectors.partnership_map_points(partnership=partnership),
            "joining": joining,
            "is_member": is_member,
            "may_edit_landscape": selectors.may_edit_landscape(
                request.user, partnership, role=joining["role"]
            ),
            "sections": selectors.partnership_home(
                request.user, partnership, terms=terms, is_member=is_member
            ),
        },
    )


@cache_public("network.partnerships")
def organisation_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    organisations = selectors.organisations_filtered(
        type=filters.get("type", ""),
        country=filters.get("country", ""),
        text=filters.get("q", ""),
    )
    page = Paginator(organisations, DIRECTORY_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/organisation_list.html",
        {"page": page, "filter_form": form, "filters": filters},
    )


@cache_public("network.partnerships", "network.profiles", "pages")
def organisation_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = selectors.organisation_detail(slug)
    if organisation is None:
        raise Http404(_("No organisation at this address."))
    members = selectors.organisation_members_visible_to(request.user, organisation)
    return render(
        request,
        "network/organisation_detail.html",
        {
            "organisation": organisation,
            "members": members,
            "hidden_member_count": organisation.memberships.count() - len(members),
        },
    )


def member_list(request: HttpRequest) -> HttpResponse:
    members = selectors.members_visible_to(request.user)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "network/member_list.html", {"page": page})


def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    member = selectors.member_visible_to(request.user, username)
    if member is None:
        raise Http404(_("No member with that name, or their profile is not shown to you."))
    partnerships = selectors.partnerships_of(member)
    return render(
        request, "network/member_detail.html", {"member": member, "partnerships": partnerships}
    )


# --- Joining a partnership -------------------------------------------------------------------


def _partnership_or_404(slug: str):
    partnership = selectors.partnership_detail(slug)
    if partnership is None:
        raise Http404(_("No landscape partnership at this address."))
    return partnership


def _refusal_status(error: Exception) -> int:
    return 429 if memberships.is_rate_limited(error) else 400


@login_required
@require_http_methods(["GET", "POST"])
def partnership_join(request: HttpRequest, slug: str) -> HttpResponse:
    """Ask to join (with a message), or join an open partnership at once."""
    partnership = _partnership_or_404(slug)
    status = 200
    form = JoinRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            result = memberships.join_request_create(
                partnership=partnership,
                user=request.user,
                message=form.cleaned_data["message"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            status = _refusal_status(error)
        else:
            if isinstance(result, JoinRequest):
                messages.success(
                    request, _("Your request has been sent. A coordinator will answer soon.")
                )
            else:
                messages.success(
                    request,
                    _("Welcome! You are now a member of %(name)s.") % {"name": partnership.name},
                )
            return redirect(partnership)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "network/partnership_join.html",
        {
            "partnership": partnership,
            "form": form,
            "joining": selectors.joining_state(request.user, partnership),
        },
        status=status,
    )


@login_required
@require_POST
def partnership_follow(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_or_404(slug)
    form = FollowForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to follow or to unfollow."))
    elif form.cleaned_data["follow"]:
        memberships.follow_create(partnership=partnership, user=request.user)
        messages.success(
            request,
            _("You follow %(name)s: its news reach your notifications.")
            % {"name": partnership.name},
        )
    else:
        memberships.follow_delete(partnership=partnership, user=request.user)
        messages.success(request, _("You no longer follow %(name)s.") % {"name": partnership.name})
    return redirect(partnership)


def _coordinated_partnership_or_403(request: HttpRequest, slug: str):
    partnership = _partnership_or_404(slug)
    if not selectors.is_coordinator(request.user, partnership):
        raise PermissionDenied(_("Only the partnership's coordinators can manage its members."))
    return partnership


@login_required
@require_http_methods(["GET", "POST"])
def partnership_coordinate(request: HttpRequest, slug: str) -> HttpResponse:
    """The coordinators' page: requests waiting, the members (with remove), and invitations."""
    partnership = _coordinated_partnership_or_403(request, slug)
    form = InvitationForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                memberships.invitation_create(
                    partnership=partnership,
                    coordinator=request.user,
                    email=form.cleaned_data["email"],
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = _refusal_status(error)
            else:
                messages.success(
                    request,
                    _("The invitation has been sent to %(email)s.")
                    % {"email": form.cleaned_data["email"]},
                )
                return redirect("network:coordinate", slug=partnership.slug)
        else:
            status = 400
    return render(
        request,
        "network/partnership_coordinate.html",
        {
            "partnership": partnership,
            "requests": selectors.pending_join_requests(partnership),
            "page": Paginator(
                selectors.partnership_members(partnership), MEMBERS_PER_PAGE
            ).get_page(request.GET.get("page")),
            "invitations": selectors.pending_invitations(partnership)[:50],
            "invite_form": form,
        },
        status=status,
    )


@login_required
@require_POST
def join_request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _coordinated_partnership_or_403(request, slug)
    join_request = selectors.join_request_of(partnership, pk)
    if join_request is None:
        raise Http404(_("No such request to join."))
    form = JoinRequestDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to approve or to decline."))
        return redirect("network:coordinate", slug=partnership.slug)
    approve = form.cleaned_data["decision"] == "approve"
    decide = memberships.join_request_approve if approve else memberships.join_request_decline
    try:
        decide(join_request=join_request, coordinator=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        name = join_request.user.public_name
        if approve:
            messages.success(request, _("%(name)s is now a member.") % {"name": name})
        else:
            messages.success(request, _("You declined %(name)s's request.") % {"name": name})
    return redirect("network:coordinate", slug=partnership.slug)


@login_required
@require_POST
def membership_remove(request: HttpRequest, slug: str, user_id: int) -> HttpResponse:
    partnership = _coordinated_partnership_or_403(request, slug)
    membership = selectors.partnership_members(partnership).filter(user_id=user_id).first()
    if membership is None:
        raise Http404(_("This person is not a member."))
    try:
        memberships.membership_remove_by_coordinator(
            partnership=partnership, coordinator=request.user, user=membership.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("%(name)s is no longer a member.") % {"name": membership.user.public_name}
        )
    return redirect("network:coordinate", slug=partnership.slug)


@require_http_methods(["GET", "POST"])
def invitation(request: HttpRequest, token: str) -> HttpResponse:
    """An invitation link: a visitor signs in (or signs up) first and comes back here; a
    member confirms with one button, so a link opened by a mail scanner joins nobody."""
    try:
        invitation = memberships.invitation_from_token(token)
    except ValidationError as error:
        return render(request, "network/invitation.html", {"errors": error.messages}, status=400)
    errors: list[str] = []
    status = 200
    if request.method == "POST" and not request.user.is_authenticated:
        return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
    if request.method == "POST":
        try:
            memberships.invitation_accept(invitation=invitation, user=request.user)
        except (ValidationError, PermissionDenied) as error:
            errors = list(getattr(error, "messages", [str(error)]))
            status = 400
        else:
            messages.success(
                request,
                _("Welcome! You are now a member of %(name)s.")
                % {"name": invitation.partnership.name},
            )
            return redirect(invitation.partnership)
    return render(
        request,
        "network/invitation.html",
        {
            "invitation": invitation,
            "partnership": invitation.partnership,
            "errors": errors,
            "next": urlencode({"next": request.path}),
        },
        status=status,
    )
