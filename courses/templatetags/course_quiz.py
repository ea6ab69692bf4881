"""Template filters of the quiz form."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def answers_to(form, question_id: str) -> list[str]:
    """What the learner submitted for a question, when a refused attempt is shown again
    (``courses.forms.QuizSubmissionForm``); nothing on a fresh page."""
    return form.answers_to(question_id) if form else []
