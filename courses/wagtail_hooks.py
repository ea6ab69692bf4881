"""Admin hooks: a course catalogue created in the admin opens to trainers straight away, and
a course's trainers reach its report from the page listing."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.models import GroupPagePermission

from courses import selectors
from courses.models import CourseIndexPage, CoursePage
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


@hooks.register("register_page_listing_more_buttons")
def course_report_button(page, user, next_url=None):
    if (
        page.specific_class is CoursePage
        and page.live
        and selectors.is_course_trainer(user=user, course_key=page.translation_key)
    ):
        yield Button(
            _("Course report"),
            reverse("courses:report", args=[page.pk]),
            icon_name="table",
            priority=60,
        )
