"""Learners' and trainers' actions around the course pages (which Wagtail serves itself).

Thin: each view finds the page, checks who is asking, calls one service or selector and
renders or redirects. A refused write answers with a 4xx page that says why.
"""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from courses import (
    access,
    contexts,
    discussions,
    offline,
    offline_sync,
    reports,
    selectors,
    services,
    translation_status,
)
from courses.forms import (
    CohortForm,
    CohortJoinForm,
    LessonCompleteForm,
    PrerequisiteWaiverForm,
    QuizSubmissionForm,
    RevokeForm,
)
from courses.models import Certificate, Cohort, CoursePage, LessonPage, QuizAttempt
from courses.services import CourseError
from network.models import User


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
    if not access.may_manage_course(user=request.user, course=course):
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
@require_GET
def offline_manifest(request: HttpRequest, page_id: int) -> HttpResponse:
    """What the learner's device stores to read the course offline (``courses.offline``):
    for the course's own learners, behind the same decision as its lessons."""
    course = _course(page_id)
    if not access.lesson_reader(user=request.user, course=course).enrolled:
        raise PermissionDenied(_("Only the course's learners can save it for offline reading."))
    response = JsonResponse(offline.course_offline_manifest(course=course, request=request))
    # Personal (it follows the learner's access): never kept by a proxy or the browser's cache.
    patch_cache_control(response, private=True, no_store=True)
    return response


@login_required
@require_http_methods(["GET", "POST"])
def offline_sync_view(request: HttpRequest, page_id: int) -> HttpResponse:
    """Answers and completions made offline, sent by the learner's device (``courses.offline_sync``).

    GET gives the device what it needs to send: a CSRF token (the page it saved may be days
    old) and whose session this is (it sends only what that learner made). POST is a JSON
    batch, CSRF-checked like any form; the answer lists each submission's result. A learner
    who may no longer send to the course (withdrawn, the course gone or closed to them) is
    told why, for every answer at once."""
    course = CoursePage.objects.live().filter(pk=page_id).first()
    refused = offline_sync.sync_refusal(request=request, course=course)
    if refused is not None:
        # Said as data, not as an error page: the device marks every answer waiting for this
        # course with the reason and keeps what the learner typed in view (``user``: a shared
        # phone marks only that learner's answers).
        response = JsonResponse(
            {"refused": refused, "user": request.user.pk}, status=404 if course is None else 403
        )
        patch_cache_control(response, private=True, no_store=True)
        return response
    if request.method == "GET":
        response = JsonResponse({"csrf": get_token(request), "user": request.user.pk})
    else:
        try:
            items = offline_sync.parse_batch(json.loads(request.body))
        except (ValueError, UnicodeDecodeError):  # BatchError and JSONDecodeError are ValueErrors
            response = JsonResponse({"error": _("These answers could not be read.")}, status=400)
        else:
            results = offline_sync.offline_submissions_record(
                user=request.user, course=course, items=items
            )
            response = JsonResponse({"results": results})
    patch_cache_control(response, private=True, no_store=True)
    return response


def _course_page_with(
    request: HttpRequest, course: CoursePage, *, status: int, **extra: object
) -> HttpResponse:
    """The course page as Wagtail serves it (its own template and ``get_context``), with a
    refused action's form or message in place: the learner stays where they were."""
    context = course.get_context(request)
    context.update(extra)
    return TemplateResponse(request, course.get_template(request), context, status=status)


@login_required
@require_POST
def enrol(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _course(page_id)
    try:
        services.enrolment_create(user=request.user, course=course)
    except CourseError as error:
        return _course_page_with(request, course, status=error.status, enrol_error=error.message)
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
    """Join with an invite code. A refused code comes back on the form it was typed in (the
    course page's, or the dashboard's), with the code as typed and why."""
    form = CohortJoinForm(request.POST)
    if form.is_valid():
        try:
            enrolment = services.cohort_join(
                user=request.user, invite_code=form.cleaned_data["invite_code"]
            )
        except CourseError as error:
            form.add_error("invite_code", error.message)
            status = error.status
        else:
            return _joined(request, enrolment)
    else:
        status = 400
    course_id = form.posted_from_course()
    course = CoursePage.objects.live().filter(pk=course_id).first() if course_id else None
    if course is not None:
        return _course_page_with(request, course, status=status, join_form=form)
    data = selectors.dashboard_for(
        user=request.user, language=selectors.preferred_language(request)
    )
    return render(request, "courses/dashboard.html", {**data, "join_form": form}, status=status)


def _joined(request: HttpRequest, enrolment) -> HttpResponse:
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
    form = LessonCompleteForm(request.POST)
    next_id = form.cleaned_data["next_lesson"] if form.is_valid() else None
    next_lesson = LessonPage.objects.live().filter(pk=next_id).first() if next_id else None
    return redirect((next_lesson or lesson).get_url(request))


@login_required
@require_POST
def lesson_discussion(request: HttpRequest, page_id: int) -> HttpResponse:
    """The lesson's discussion thread, opened on first use (``courses.discussions``), for the
    lesson's readers of a course that may have one."""
    lesson = _lesson(page_id)
    course = selectors.course_of(lesson)
    if access.lesson_reader(user=request.user, course=course).access is not (
        access.LessonAccess.READ
    ):
        raise PermissionDenied(_("Only the course's learners and trainers discuss its lessons."))
    if course is None or not discussions.discussion_available(course):
        raise Http404(_("This lesson has no discussion."))
    topic = discussions.lesson_discussion_open(user=request.user, lesson=lesson, course=course)
    return redirect(topic.get_absolute_url())


@login_required
@require_POST
def quiz_submit(request: HttpRequest, page_id: int, block_id: str) -> HttpResponse:
    """Grade one attempt. Answers that do not fit the quiz (a question left out) show the
    lesson again with the learner's answers in place and the reason, with a 400."""
    lesson = _lesson(page_id)
    form = QuizSubmissionForm(request.POST, block_id=block_id)
    if form.is_valid():
        try:
            attempt = services.quiz_attempt_submit(
                user=request.user,
                lesson=lesson,
                block_id=block_id,
                answers=form.cleaned_data["answers"],
                attempt_number=form.cleaned_data["attempt"],
            )
        except CourseError as error:
            if error.status != 400:
                return _refused(request, error, lesson.get_url(request))
            form.add_error(None, error.message)
        else:
            return redirect("courses:attempt", pk=attempt.pk)
    return _lesson_with_refused_quiz(request, lesson, form)


def _lesson_with_refused_quiz(
    request: HttpRequest, lesson: LessonPage, form: QuizSubmissionForm
) -> HttpResponse:
    """The lesson page as Wagtail serves it (its own template and ``get_context``), with the
    refused submission in its quiz. Only the course's learners submit quizzes."""
    course = selectors.course_of(lesson)
    if not access.lesson_reader(user=request.user, course=course).enrolled:
        error = CourseError(_("You are not enrolled in this course."), status=403)
        return _refused(request, error, lesson.get_url(request))
    context = lesson.get_context(request, course=course, enrolled=True, quiz_form=form)
    return TemplateResponse(request, lesson.get_template(request), context, status=400)


@login_required
@require_GET
def attempt_result(request: HttpRequest, pk: int) -> HttpResponse:
    """The learner's own result with per-question feedback (nobody else's)."""
    attempt = QuizAttempt.objects.filter(pk=pk, user=request.user).first()
    if attempt is None:
        raise Http404(_("No such attempt."))
    context = contexts.attempt_result_context(attempt=attempt, request=request)
    return render(request, "courses/attempt_result.html", context)


@require_GET
def certificate(request: HttpRequest, public_id: str) -> HttpResponse:
    """Public verification: anyone holding the link sees who completed what, and whether the
    certificate still stands."""
    found = selectors.certificate_by_public_id(public_id)
    if found is None:
        raise Http404(_("No certificate has this number."))
    return _certificate_page(request, found, RevokeForm())


def _certificate_page(
    request: HttpRequest, found: Certificate, form: RevokeForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "courses/certificate.html",
        {
            "certificate": found,
            "can_revoke": access.may_revoke(user=request.user, certificate=found),
            "revoke_form": form,
        },
        status=status,
    )


@login_required
@require_POST
def certificate_revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    found = selectors.certificate_by_public_id(public_id)
    if found is None:
        raise Http404(_("No certificate has this number."))
    if not selectors.is_course_trainer(user=request.user, course_key=found.course_key):
        raise PermissionDenied(_("Only the course's trainers may revoke its certificates."))
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            services.certificate_revoke(
                certificate=found, revoked_by=request.user, reason=form.cleaned_data["reason"]
            )
        except CourseError as error:
            if error.status != 400:
                back = reverse("courses:certificate", args=[found.public_id])
                return _refused(request, error, back)
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The certificate has been revoked."))
            return redirect("courses:certificate", public_id=found.public_id)
    return _certificate_page(request, found, form, status=400)


@login_required
@require_GET
def course_report(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _trainer_course(request, page_id)
    return _report_page(request, course, CohortForm())


def _report_page(
    request: HttpRequest,
    course: CoursePage,
    form: CohortForm,
    status: int = 200,
    waiver_form: PrerequisiteWaiverForm | None = None,
) -> HttpResponse:
    report = reports.course_report(course=course)
    if waiver_form is None:
        waiver_form = PrerequisiteWaiverForm(cohorts=report["cohorts"])
    return render(
        request,
        "courses/course_report.html",
        {
            "course": course,
            "cohort_form": form,
            "waiver_form": waiver_form,
            "translation_status": translation_status.course_translation_status(course=course),
            **report,
        },
        status=status,
    )


@login_required
@require_POST
def waiver_grant(request: HttpRequest, page_id: int) -> HttpResponse:
    """Let a learner or a cohort in without the course's prerequisites (``courses.services``).
    A refused one shows the report again with the form as typed, and why."""
    course = _trainer_course(request, page_id)
    cohorts = list(Cohort.objects.filter(course_key=course.translation_key))
    form = PrerequisiteWaiverForm(request.POST, cohorts=cohorts)
    if form.is_valid():
        learner_text = form.cleaned_data["learner"].strip()
        learner = (
            User.objects.filter(Q(email__iexact=learner_text) | Q(username=learner_text)).first()
            if learner_text
            else None
        )
        cohort = next((c for c in cohorts if c.pk == form.cleaned_data["cohort"]), None)
        if learner_text and learner is None:
            form.add_error("learner", _("Nobody has this e-mail address or username."))
        else:
            try:
                services.prerequisite_waiver_grant(
                    course=course, granted_by=request.user, learner=learner, cohort=cohort
                )
            except CourseError as error:
                form.add_error(None, error.message)
            else:
                name = learner.public_name if learner else cohort.name
                messages.success(
                    request,
                    _("%(name)s may now enrol without this course's prerequisites.")
                    % {"name": name},
                )
                return redirect("courses:report", page_id=course.pk)
    return _report_page(request, course, CohortForm(), status=400, waiver_form=form)


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
            # One column per quiz: the learner's best score in percent, empty if not tried.
            *(
                _csv_safe(f"{quiz['lesson'].title}: {quiz['title']} (best %)")
                for quiz in report["quiz_rows"]
            ),
        ]
    )
    best_scores = report["best_scores"]
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
                *(
                    best_scores.get(quiz["key"], {}).get(enrolment.user_id, "")
                    for quiz in report["quiz_rows"]
                ),
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """Keep spreadsheet programs from running a name that starts like a formula."""
    return f"'{value}" if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


@login_required
@require_POST
def cohort_create(request: HttpRequest, page_id: int) -> HttpResponse:
    """A new cohort; a refused one shows the report again with the form as typed, and why."""
    course = _trainer_course(request, page_id)
    form = CohortForm(request.POST)
    if form.is_valid():
        try:
            cohort = services.cohort_create(
                course=course,
                name=form.cleaned_data["name"],
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
                created_by=request.user,
            )
        except CourseError as error:
            if error.status != 400:
                return _refused(request, error, reverse("courses:report", args=[course.pk]))
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Cohort %(name)s created. Invite code: %(code)s")
                % {"name": cohort.name, "code": cohort.invite_code},
            )
            return redirect("courses:report", page_id=course.pk)
    return _report_page(request, course, form, status=400)
