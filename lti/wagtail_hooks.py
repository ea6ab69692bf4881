"""Platforms in the Wagtail admin: an institute's administrator registers their learning
platform (django-lti's registration and deployment rows) and copies our tool's addresses
into it. A deployment the platform launches with before it is registered here appears,
inactive, for the administrator to activate."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from lti_tool.models import LtiDeployment, LtiRegistration
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, Panel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup


class ToolAddressesPanel(Panel):
    """Our OIDC login, launch (redirect) and key set addresses for this registration."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "lti/admin/tool_addresses_panel.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            build = self.request.build_absolute_uri
            context["saved"] = bool(self.instance.pk)
            context["addresses"] = [
                (
                    _("OIDC login initiation URL"),
                    build(reverse("lti:login", args=[self.instance.uuid])),
                ),
                (_("Redirect (launch) URL"), build(reverse("lti:launch"))),
                (_("Public key set (JWKS) URL"), build(reverse("lti:jwks"))),
            ]
            return context


class RegistrationViewSet(SnippetViewSet):
    model = LtiRegistration
    icon = "link"
    menu_label = _("Registrations")
    list_display = ["name", "issuer", "client_id", "is_active"]
    search_fields = ["name", "issuer", "client_id"]
    panels = [
        FieldPanel("name"),
        FieldPanel("is_active"),
        MultiFieldPanel(
            [
                FieldPanel("issuer"),
                FieldPanel("client_id"),
                FieldPanel("audience"),
                FieldPanel("auth_url"),
                FieldPanel("token_url"),
                FieldPanel("keyset_url"),
            ],
            heading=_("The platform's details"),
        ),
        ToolAddressesPanel(heading=_("This site's addresses, for the platform")),
    ]


class DeploymentViewSet(SnippetViewSet):
    model = LtiDeployment
    icon = "tick-inverse"
    menu_label = _("Deployments")
    list_display = ["registration", "deployment_id", "is_active"]
    list_filter = ["is_active", "registration"]
    search_fields = ["deployment_id"]
    panels = [
        FieldPanel("registration"),
        FieldRowPanel([FieldPanel("deployment_id"), FieldPanel("is_active")]),
    ]


class LtiGroup(SnippetViewSetGroup):
    items = (RegistrationViewSet, DeploymentViewSet)
    menu_icon = "link"
    menu_label = _("Learning platforms (LTI)")
    menu_name = "lti"


register_snippet(LtiGroup)
