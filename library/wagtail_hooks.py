"""The vocabularies in the Wagtail admin, grouped under one menu item."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from library.models import Ecosystem, SustainableDevelopmentGoal, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "name_es", "name_fr", "name_pt"]
    search_fields = ["name", "name_es", "name_fr", "name_pt"]


class EcosystemViewSet(SnippetViewSet):
    model = Ecosystem
    icon = "site"
    list_display = ["name", "slug", "name_es", "name_fr", "name_pt"]
    search_fields = ["name", "name_es", "name_fr", "name_pt"]


class GoalViewSet(SnippetViewSet):
    model = SustainableDevelopmentGoal
    icon = "list-ol"
    list_display = ["number", "name", "slug"]
    ordering = ["number"]


class VocabularyGroup(SnippetViewSetGroup):
    items = (ThemeViewSet, EcosystemViewSet, GoalViewSet)
    menu_icon = "tag"
    menu_label = _("Vocabularies")
    menu_name = "vocabularies"


register_snippet(VocabularyGroup)
