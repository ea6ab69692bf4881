"""Admin hooks: a course catalogue created in the admin opens to trainers straight away."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail import hooks
from wagtail.models import GroupPagePermission

from courses.models import CourseIndexPage
from courses.permissions import grant_trainer_page_permissions


@hooks.register("after_create_page")
def open_new_catalogue_to_trainers(request, page):
    if isinstance(page.specific, CourseIndexPage):
        grant_trainer_page_permissions(
            group_model=Group,
            permission_model=Permission,
            page_permission_model=GroupPagePermission,
            pages=[page],
        )
