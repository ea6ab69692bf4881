"""The course's inactive learners page (``courses.inactivity``): its trainers see who has gone
quiet for N days and write to them, or to a whole cohort. Works without JavaScript: the
number of days is a GET form, the message a POST form on the same page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from courses import inactivity
from courses.forms import InactivityFilterForm, LearnerMessageForm
from courses.models import Cohort, CoursePage
from courses.views import _trainer_course

DEFAULT_DAYS = 14


def _page(
    request: HttpRequest,
    course: CoursePage,
    days: int,
    filter_form: InactivityFilterForm,
    message_form: LearnerMessageForm | None = None,
    enrolments: list | None = None,
    cohorts: list | None = None,
    status: int = 200,
) -> HttpResponse:
    if enrolments is None:
        enrolments = list(inactivity.inactive_enrolments(course=course, days=days))
    if cohorts is None:
        cohorts = list(Cohort.objects.filter(course_key=course.translation_key))
    if message_form is None:
        message_form = LearnerMessageForm(
            initial={"days": days}, enrolments=enrolments, cohorts=cohorts
        )
    return render(
        request,
        "courses/inactive_learners.html",
        {
            "course": course,
            "days": days,
            "filter_form": filter_form,
            "message_form": message_form,
            "enrolments": enrolments,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def inactive_learners(request: HttpRequest, page_id: int) -> HttpResponse:
    course = _trainer_course(request, page_id)
    if request.method == "GET":
        filter_form = InactivityFilterForm(request.GET or {"days": DEFAULT_DAYS})
        days = filter_form.cleaned_data["days"] if filter_form.is_valid() else DEFAULT_DAYS
        return _page(
            request, course, days, filter_form, status=200 if filter_form.is_valid() else 400
        )

    days_form = InactivityFilterForm(request.POST)
    days = days_form.cleaned_data["days"] if days_form.is_valid() else DEFAULT_DAYS
    enrolments = list(inactivity.inactive_enrolments(course=course, days=days))
    cohorts = list(Cohort.objects.filter(course_key=course.translation_key))
    form = LearnerMessageForm(request.POST, enrolments=enrolments, cohorts=cohorts)
    status = 400
    if form.is_valid():
        cohort = next((c for c in cohorts if c.pk == form.cleaned_data["cohort"]), None)
        try:
            sent = inactivity.learners_message_send(
                course=course,
                sender=request.user,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                enrolment_ids=form.cleaned_data["learners"],
                cohort=cohort,
            )
        except ValidationError as error:
            status = 429 if inactivity.is_rate_limited(error) else 400
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                ngettext(
                    "Your message was sent to %(count)s learner.",
                    "Your message was sent to %(count)s learners.",
                    sent,
                )
                % {"count": sent},
            )
            return redirect(f"{reverse('courses:inactive', args=[course.pk])}?days={days}")
    return _page(
        request,
        course,
        days,
        InactivityFilterForm({"days": days}),
        message_form=form,
        enrolments=enrolments,
        cohorts=cohorts,
        status=status,
    )
