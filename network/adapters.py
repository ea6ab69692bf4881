"""django-allauth hooks: new accounts start with the default role; redirects keep the language."""

from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse

from network import services


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user, form, commit: bool = True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            services.user_assign_default_role(user=user)
        return user

    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """The home page in the language the visitor was reading, not always the English one."""
        return reverse("wagtail_serve", args=[""])
