"""Reflection answers on the web: the learner saves theirs from the lesson page; the course's
trainers read the shared ones (``courses.reflections``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from courses import reflections, selectors
from courses.forms import ReflectionForm
from courses.services import CourseError
from courses.views import _lesson, _refused, _trainer_course


@login_required
@require_POST
def reflection_save(request: HttpRequest, page_id: int, block_id: str) -> HttpResponse:
    """Keep the learner's reflection and go back to it on the lesson page. A refused one (empty,
    too long) shows the lesson's refusal page with a way back."""
    lesson = _lesson(page_id)
    back = f"{lesson.get_url(request)}#reflection-{block_id}"
    form = ReflectionForm(request.POST)
    if not form.is_valid():
        error = CourseError(
            " ".join(message for errors in form.errors.values() for message in errors)
        )
        return _refused(request, error, back)
    try:
        reflections.reflection_answer_save(
            user=request.user,
            lesson=lesson,
            block_id=block_id,
            text=form.cleaned_data["text"],
            shared=form.cleaned_data["shared"],
        )
    except CourseError as error:
        return _refused(request, error, back)
    messages.success(request, _("Your reflection is saved."))
    return redirect(back)


@login_required
@require_GET
def course_reflections(request: HttpRequest, page_id: int) -> HttpResponse:
    """The reflections the course's learners shared with its trainers."""
    course = _trainer_course(request, page_id)
    page = reflections.shared_answers(
        course_key=course.translation_key, page_number=request.GET.get("page")
    )
    titles = reflections.lesson_titles(
        lesson_keys={answer.lesson_key for answer in page},
        language=selectors.preferred_language(request),
    )
    response = render(
        request,
        "courses/course_reflections.html",
        {
            "course": course,
            "page_obj": page,
            "rows": [(answer, titles.get(answer.lesson_key, "")) for answer in page],
        },
    )
    response["Cache-Control"] = "private, no-store"
    return response
