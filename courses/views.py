"""Learners' and trainers' actions around the course pages (which Wagtail serves itself).

Thin: each view finds the page, checks who is asking, calls one service or selector and
renders or redirects. A refused write answers with a 4xx page that says why.
"""

from __future__ import annotations

import csv
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.converters import row_id
from courses import reports, selectors, services
from courses.models import CoursePage, LessonPage, QuizAttempt
from courses.services import CourseError


def _course(page_id: int) -> CoursePage:
    course = CoursePage.objects.live().filter(pk=page_id).first()
    if course is None:
        raise Http404(_("No such course."))
    return course


def _lesson(page_id: int) -> LessonPage:
    lesson = LessonPage.objects.live().filter(pk=page_id).first()
    if lesson is None:
        raise Http404(_("No such lesson."))
    return lesson


def _refused(request: HttpRequest, error: CourseError, back_url: str | None = None) -> HttpResponse:
    return render(
        request,
        "courses/refused.html",
        {"message": error.message, "back_url": back_url},
        status=error.status,
    )


def _trainer_course(request: HttpRequest, page_id: int) -> CoursePage:
    course = _course(page_id)
    if not selectors.is_course_trainer(user=request.user, course_key=course.translation_key):
        raise PermissionDenied(_("Only this course's trainers see its report."))
    return course


@login_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    data = selectors.dashboard_for(
        user=request.user, language=selectors.preferred_language(request)
    )
    return render(request, "courses/dashboard.html", data)


@login_required
@require_POST
def enrol(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _course(page_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except CourseError as error:
        return _refused(request, error, course.get_url(request))
    messages.success(request, _("You are enrolled. Welcome to the course!"))
    return redirect(course.get_url(request))


@login_required
@require_POST
def withdraw(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _course(page_id)
    try:
        services.enrolment_withdraw(user=request.user, course_key=course.translation_key)
    except CourseError as error:
        return _refused(request, error, course.get_url(request))
    messages.success(
        request, _("You have left the course. Your progress is kept if you come back.")
    )
    return redirect(course.get_url(request))


@login_required
@require_POST
def cohort_join(request: HttpRequest) -> HttpResponse:
    try:
        enrolment = services.cohort_join(
            user=request.user, invite_code=request.POST.get("invite_code", "")
        )
    except CourseError as error:
        back = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
            back = reverse("courses:dashboard")
        return _refused(request, error, back)
    course = (
        CoursePage.objects.live()
        .filter(translation_key=enrolment.course_key)
        .order_by("pk")
        .first()
    )
    messages.success(request, _("You have joined %(cohort)s.") % {"cohort": enrolment.cohort.name})
    return redirect(course.get_url(request) if course else "courses:dashboard")


@login_required
@require_POST
def lesson_complete(request: HttpRequest, page_id: int) -> HttpResponse:
    lesson = _lesson(page_id)
    try:
        certificate = services.lesson_complete(user=request.user, lesson=lesson)
    except CourseError as error:
        return _refused(request, error, lesson.get_url(request))
    if certificate is not None:
        messages.success(request, _("You have completed the course. Here is your certificate."))
        return redirect("courses:certificate", public_id=certificate.public_id)
    messages.success(request, _("Lesson complete."))
    next_id = row_id(request.POST.get("next_lesson", ""))
    next_lesson = LessonPage.objects.live().filter(pk=next_id).first() if next_id else None
    return redirect((next_lesson or lesson).get_url(request))


@login_required
@require_POST
def quiz_submit(request: HttpRequest, page_id: int, block_id: str) -> HttpResponse:
    lesson = _lesson(page_id)
    number = request.POST.get("attempt", "")
    answers = {
        key.removeprefix("q-"): request.POST.getlist(key)
        for key in request.POST
        if key.startswith("q-")
    }
    try:
        attempt = services.quiz_attempt_submit(
            user=request.user,
            lesson=lesson,
            block_id=block_id,
            answers=answers,
            attempt_number=row_id(number) or 0,
        )
    except CourseError as error:
        return _refused(request, error, lesson.get_url(request))
    return redirect("courses:attempt", pk=attempt.pk)


@login_required
@require_GET
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The learner's own result with per-question feedback (nobody else's)."""
    attempt = QuizAttempt.objects.filter(pk=pk, user=request.user).first()
    if attempt is None:
        raise Http404(_("No such attempt."))
    context = selectors.attempt_result_context(attempt=attempt, request=request)
    return render(request, "courses/attempt_result.html", context)


@require_GET
def certificate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Public verification: anyone holding the link sees who completed what, and whether the
    certificate still stands."""
    found = selectors.certificate_by_public_id(public_id)
    if found is None:
        raise Http404(_("No certificate has this number."))
    return render(
        request,
        "courses/certificate.html",
        {
            "certificate": found,
            "can_revoke": found.is_valid
            and selectors.is_course_trainer(user=request.user, course_key=found.course_key),
        },
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    found = selectors.certificate_by_public_id(public_id)
    if found is None:
        raise Http404(_("No certificate has this number."))
    if not selectors.is_course_trainer(user=request.user, course_key=found.course_key):
        raise PermissionDenied(_("Only the course's trainers may revoke its certificates."))
    try:
        services.certificate_revoke(
            certificate=found, revoked_by=request.user, reason=request.POST.get("reason", "")
        )
    except CourseError as error:
        return _refused(request, error, reverse("courses:certificate", args=[found.public_id]))
    messages.success(request, _("The certificate has been revoked."))
    return redirect("courses:certificate", public_id=found.public_id)


@login_required
@require_GET
def course_report(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _trainer_course(request, page_id)
    return render(
        request,
        "courses/course_report.html",
        {"course": course, **reports.course_report(course=course)},
    )


@login_required
@require_GET
def course_report_csv(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _trainer_course(request, page_id)
    report = reports.course_report(course=course)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="course-{course.pk}-report.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "learner",
            "username",
            "cohort",
            "status",
            "enrolled_at",
            "lessons_completed",
            "lessons_total",
            "progress_percent",
            "certificate",
            "certificate_status",
        ]
    )
    for row in report["learners"]:
        enrolment = row.enrolment
        certificate = row.certificate
        writer.writerow(
            [
                _csv_safe(enrolment.user.public_name),
                _csv_safe(enrolment.user.username),
                _csv_safe(enrolment.cohort.name if enrolment.cohort else ""),
                enrolment.status,
                enrolment.enrolled_at.isoformat(),
                row.done,
                report["lesson_count"],
                row.percent,
                certificate.public_id if certificate else "",
                ("valid" if certificate.is_valid else "revoked") if certificate else "",
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a name that starts like a formula."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@login_required
@require_POST
def cohort_create(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _trainer_course(request, page_id)
    report_url = reverse("courses:report", args=[course.pk])
    try:
        starts_on = datetime.date.fromisoformat(request.POST.get("starts_on", ""))
        ends_on = datetime.date.fromisoformat(request.POST.get("ends_on", ""))
    except ValueError:
        return _refused(request, CourseError(_("Enter the dates as YYYY-MM-DD.")), report_url)
    try:
        cohort = services.cohort_create(
            course=course,
            name=request.POST.get("name", ""),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=request.user,
        )
    except CourseError as error:
        return _refused(request, error, report_url)
    messages.success(
        request,
        _("Cohort %(name)s created. Invite code: %(code)s")
        % {"name": cohort.name, "code": cohort.invite_code},
    )
    return redirect("courses:report", page_id=course.pk)
