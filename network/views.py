"""The network's pages: one's own profile, and the directory of partnerships, organisations
and members (each member shown only as far as their visibility choice allows)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.page_cache import cache_public
from network import selectors, services
from network.filters import OrganisationFilterForm, PartnershipFilterForm
from network.forms import ProfileForm

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


@cache_public("network.partnerships")
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    partnerships = selectors.partnerships_filtered(
        region=filters.get("region", ""),
        country=filters.get("country", ""),
        text=filters.get("q", ""),
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
    partnership = selectors.partnership_detail(slug)
    if partnership is None:
        raise Http404(_("No landscape partnership at this address."))
    members = selectors.partnership_members_visible_to(request.user, partnership)
    return render(
        request,
        "network/partnership_detail.html",
        {
            "partnership": partnership,
            "members": members,
            "hidden_member_count": partnership.memberships.count() - len(members),
            "map_points": selectors.partnership_map_points(partnership=partnership),
            # Each link shows its language: the locale joined in, not one query per link.
            "case_studies": partnership.case_studies.live().public().select_related("locale"),
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


@cache_public("network.partnerships", "network.profiles")
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
