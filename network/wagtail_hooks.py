"""Partnerships and organisations in the Wagtail admin: editors keep the directory current."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from network.models import LandscapePartnership, Organisation


class PartnershipViewSet(SnippetViewSet):
    model = LandscapePartnership
    icon = "group"
    list_display = ["name", "country", "region", "status", "updated_at"]
    list_filter = ["region", "status"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("country"), FieldPanel("region")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
            heading=_("Location on the map"),
        ),
        FieldPanel("area_hectares"),
        FieldRowPanel([FieldPanel("status"), FieldPanel("year_founded")]),
        FieldPanel("description"),
        MultiFieldPanel(
            [
                FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
                FieldPanel("ecosystems", widget=forms.CheckboxSelectMultiple),
                FieldPanel("sdgs", widget=forms.CheckboxSelectMultiple),
            ],
            heading=_("What the landscape is about"),
            help_text=_(
                "The library's vocabularies, as on case studies. The boundary is drawn or "
                "uploaded on the partnership's page, under “Add the landscape's boundary”."
            ),
        ),
        FieldRowPanel([FieldPanel("website"), FieldPanel("contact_email")]),
        FieldPanel("open_to_join"),
        FieldPanel("logo"),
        FieldPanel("organisations"),
        InlinePanel("memberships", heading=_("Members"), label=_("Member")),
    ]


class OrganisationViewSet(SnippetViewSet):
    model = Organisation
    icon = "home"
    list_display = ["name", "type", "country"]
    list_filter = ["type"]
    search_fields = ["name", "description"]
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldRowPanel([FieldPanel("type"), FieldPanel("country")]),
        FieldPanel("website"),
        FieldPanel("description"),
        FieldPanel("offers"),
        FieldPanel("logo"),
        InlinePanel("memberships", heading=_("People"), label=_("Person")),
    ]


class NetworkGroup(SnippetViewSetGroup):
    items = (PartnershipViewSet, OrganisationViewSet)
    menu_icon = "group"
    menu_label = _("Network")
    menu_name = "network"


register_snippet(NetworkGroup)
