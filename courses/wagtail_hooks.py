"""Admin hooks: a course's trainers reach its report and its exports from the page listing."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import Button

from courses import selectors
from courses.models import CoursePage


def course_trainer_buttons(page, user):
    """A course's trainers reach its report and download it for another learning system
    (``courses.exports``): three buttons behind one check."""
    if not (
        page.specific_class is CoursePage
        and page.live
        and selectors.is_course_trainer(user=user, course_key=page.translation_key)
    ):
        return
    yield Button(
        _("Course report"),
        reverse("courses:report", args=[page.pk]),
        icon_name="table",
        priority=60,
    )
    yield Button(
        _("Export as SCORM 1.2"),
        reverse("courses:export", args=[page.pk, "scorm12"]),
        icon_name="download",
        priority=61,
    )
    yield Button(
        _("Export as Common Cartridge 1.3"),
        reverse("courses:export", args=[page.pk, "cc13"]),
        icon_name="download",
        priority=62,
    )


@hooks.register("register_page_listing_more_buttons")
def course_report_button(page, user, next_url=None):
    yield from course_trainer_buttons(page, user)


@hooks.register("register_page_header_buttons")
def course_report_header_button(page, user, view_name, next_url=None):
    """The same buttons on the course's own page in the explorer: a trainer whose only pages
    are their course lands there (Wagtail opens the explorer at the pages the user may edit)."""
    yield from course_trainer_buttons(page, user)


@hooks.register("before_serve_document")
def lesson_documents_for_lesson_readers(document, request):
    """A document only lessons use is served to their readers (``courses.media_access``):
    visitors who are not signed in are asked to, and other members find nothing there."""
    from django.contrib.auth.views import redirect_to_login
    from django.http import Http404

    from courses.media_access import document_readable_by

    if document_readable_by(document=document, user=request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@hooks.register("after_create_page")
def course_catalogue_under_review(request, page):
    """A new course catalogue goes under the course review at once (``courses.review``), so its
    trainers' submissions reach the editors' review queue."""
    from courses.models import CourseIndexPage
    from courses.review import course_review_assign

    if isinstance(page.specific, CourseIndexPage):
        course_review_assign(catalogue=page)


class CoursesPanel(Component):
    """The dashboard's "Your courses": each course the user teaches, its learners, completions
    and last activity, and its report (``courses.trainer_dashboard``)."""

    name = "courses"
    order = 50
    template_name = "courses/admin/courses_panel.html"

    def __init__(self, summaries):
        self.summaries = summaries

    def get_context_data(self, parent_context=None):
        return {"summaries": self.summaries}


@hooks.register("construct_homepage_panels")
def courses_panel(request, panels):
    from courses.trainer_dashboard import courses_taught_summary

    summaries = courses_taught_summary(user=request.user)
    if summaries:
        panels.append(CoursesPanel(summaries))


@hooks.register("register_admin_viewset")
def learner_records_viewsets():
    """Cohorts, enrolments, certificates and quiz attempts (``courses.admin_views``)."""
    from courses.admin_access import register_policies
    from courses.admin_views import LearnerRecordsGroup

    register_policies()
    return LearnerRecordsGroup()
