"""Categories are set up by staff in the Django admin; everything else happens on the site."""

from django.contrib import admin

from forums.models import Category, DialogueSession


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "partnership", "position"]
    prepopulated_fields = {"slug": ["name"]}
    list_select_related = ["partnership"]


@admin.register(DialogueSession)
class DialogueSessionAdmin(admin.ModelAdmin):
    list_display = ["title", "host", "starts_at", "status", "opened_at", "closed_at"]
    list_filter = ["status"]
    raw_id_fields = ["host", "archived_topic", "lesson"]
    list_select_related = ["host"]
