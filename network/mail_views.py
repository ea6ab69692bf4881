"""A member's mail settings, and the one-click way out of a kind of mail (``network.mail``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from network import services
from network.forms import MailSettingsForm
from network.mail import OPTIONAL_KINDS, read_unsubscribe_token


@login_required
@require_http_methods(["GET", "POST"])
def mail_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        form = MailSettingsForm(data=request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.mail_settings_update(
                    user=user,
                    language=data["language"],
                    time_zone=data["time_zone"],
                    digest_frequency=data["digest_frequency"],
                    declined=form.declined(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your mail settings have been saved."))
                return redirect("network:mail_settings")
        messages.error(request, _("Please correct the errors below."))
    else:
        form = MailSettingsForm.for_user(user)
    return render(request, "network/mail_settings.html", {"form": form})


@csrf_exempt  # RFC 8058: mail clients POST without cookies; the signed token is the credential
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (a link opened in a browser, or fetched by a mail scanner, changes nothing);
    POST, from the page's button or a mail client's one-click request, stops that mail."""
    found = read_unsubscribe_token(token)
    if found is None:
        return render(request, "network/unsubscribe.html", {"invalid": True}, status=400)
    user_id, kind = found
    context = {"label": OPTIONAL_KINDS[kind], "token": token}
    if request.method == "POST":
        user = services.mail_unsubscribe(user_id=user_id, kind=kind)
        if user is None:
            return render(request, "network/unsubscribe.html", {"invalid": True}, status=400)
        context["done"] = True
    return render(request, "network/unsubscribe.html", context)
