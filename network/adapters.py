"""django-allauth hooks: new accounts start with the default role and the display name they
chose (never a name made from their e-mail address); redirects keep the language; mail names
the site as ``SITE_URL`` does, not as the request's host."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

from network import services


@dataclass(frozen=True)
class SiteIdentity:
    """What allauth's mails call ``current_site`` (its ``name`` and ``domain``), taken from the
    settings rather than from Django's ``RequestSite``, which names the site by whatever host
    the request came in on ("Hello from 127.0.0.1:8101!")."""

    name: str
    domain: str


def site_identity() -> SiteIdentity:
    return SiteIdentity(name=settings.WAGTAIL_SITE_NAME, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        # Before allauth makes the username (``populate_username``), so it is made from it.
        user.display_name = form.cleaned_data.get("display_name", "") or user.display_name
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.user_assign_default_role(user=user)
        return user

    def populate_username(self, request: HttpRequest, user) -> None:
        """The username (the address of the member's profile) from the display name they chose,
        else "member", never from their e-mail address: allauth's default would publish the
        address's local part in the profile's URL and as the name of a member who has not set
        a display name."""
        if not user.username:
            user.username = self.generate_unique_username([user.display_name, "member"])
        super().populate_username(request, user)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """allauth's documented hook for its mails: ``current_site`` from the settings."""
        super().send_mail(template_prefix, email, {"current_site": site_identity(), **context})

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """The home page in the language the visitor was reading, not always the English one."""
        return reverse("wagtail_serve", args=[""])
