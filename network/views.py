"""Account pages that allauth does not provide: one's own profile and the member directory."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from network import selectors, services
from network.forms import ProfileForm

MEMBERS_PER_PAGE = 24


@login_required
@require_http_methods(["GET", "POST"])
def profile_edit(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = ProfileForm.for_user(user, data=request.POST, files=request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            new_avatar, remove_avatar = form.avatar_change()
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
            messages.success(request, _("Your profile has been saved."))
            return redirect("network:profile")
        messages.error(request, _("Please correct the errors below."))
    else:
        form = ProfileForm.for_user(user)
    return render(request, "network/profile_edit.html", {"form": form})


def member_list(request: HttpRequest) -> HttpResponse:
    members = selectors.members_visible_to(request.user)
    page = Paginator(members, MEMBERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "network/member_list.html", {"page": page})


def member_detail(request: HttpRequest, username: str) -> HttpResponse:
    member = selectors.member_visible_to(request.user, username)
    if member is None:
        raise Http404(_("No member with that name, or their profile is not shown to you."))
    return render(request, "network/member_detail.html", {"member": member})
