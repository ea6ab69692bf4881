"""Forms of the learning actions: they parse what was posted; the services decide what is
allowed. A refused form is shown again with what the person typed and why it was refused."""

from __future__ import annotations

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

#: Row ids are 64-bit; anything larger is not an id (and would overflow the query).
MAX_ID = 2**63 - 1

ANSWER_PREFIX = "q-"


def quiz_answers(data: QueryDict) -> dict[str, list[str]]:
    """Each question's values from a quiz form's fields (posted, or kept offline and sent later)."""
    return {
        key.removeprefix(ANSWER_PREFIX): data.getlist(key)
        for key in data
        if key.startswith(ANSWER_PREFIX)
    }


class QuizSubmissionForm(forms.Form):
    """One attempt at one quiz: the attempt number the form was rendered for, and each
    question's values, posted as ``q-<question id>`` (several for a multiple choice).

    Whether the answers fit the quiz (every question answered, only its own choices) is for
    the service to say through ``courses.grading``, which reads the quiz; this form only
    parses. ``answers_to`` gives a question's submitted values back to the quiz template, so a
    refused attempt is shown again with the learner's answers in place.
    """

    _out_of_date = _("This form is out of date. Reload the lesson and try again.")
    attempt = forms.IntegerField(
        min_value=1,
        max_value=32767,
        error_messages={
            "required": _out_of_date,
            "invalid": _out_of_date,
            "min_value": _out_of_date,
            "max_value": _out_of_date,
        },
    )

    def __init__(self, *args, block_id: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.block_id = block_id

    def clean(self) -> dict:
        cleaned = super().clean()
        cleaned["answers"] = quiz_answers(self.data)
        return cleaned

    def answers_to(self, question_id: str) -> list[str]:
        return self.data.getlist(f"{ANSWER_PREFIX}{question_id}") if self.is_bound else []


class LessonCompleteForm(forms.Form):
    #: Where to go next; the lesson itself when absent or not a lesson id.
    next_lesson = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


class CohortJoinForm(forms.Form):
    invite_code = forms.CharField(
        label=_("Invite code"),
        max_length=32,
        error_messages={
            "required": _("Enter the invite code your trainer gave you."),
            "max_length": _("That invite code is not valid. Check it with your trainer."),
        },
    )
    #: The course page the form was posted from: a refused code is shown again on it.
    course = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    def posted_from_course(self) -> int | None:
        """The course page's id the form came from, when it says one (even if the rest of
        the form is refused)."""
        field = self.fields["course"]
        try:
            return field.clean(field.widget.value_from_datadict(self.data, self.files, "course"))
        except forms.ValidationError:
            return None


class CohortForm(forms.Form):
    """A new cohort of a course, from its report page."""

    _dates = {"invalid": _("Enter the dates as YYYY-MM-DD."), "required": _("Enter a date.")}
    name = forms.CharField(
        label=_("Name"),
        max_length=120,
        error_messages={"required": _("Give the cohort a name.")},
    )
    starts_on = forms.DateField(label=_("Starts on"), error_messages=_dates)
    ends_on = forms.DateField(label=_("Ends on"), error_messages=_dates)

    def clean(self) -> dict:
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("A cohort must end on or after the day it starts."))
        return cleaned


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        error_messages={"required": _("Give a reason for revoking the certificate.")},
    )


class PrerequisiteWaiverForm(forms.Form):
    """A trainer lets a learner (by e-mail address or username) or one of the course's
    cohorts in without the course's prerequisites; the report page holds the form."""

    learner = forms.CharField(
        label=_("Learner's e-mail address or username"), max_length=254, required=False
    )
    cohort = forms.TypedChoiceField(label=_("or a cohort"), required=False, coerce=int)

    def __init__(self, *args, cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].choices = [("", "—"), *((c.pk, c.name) for c in cohorts)]

    def clean(self) -> dict:
        cleaned = super().clean()
        if bool(cleaned.get("learner", "").strip()) == bool(cleaned.get("cohort")):
            raise forms.ValidationError(_("Choose a learner or a cohort."), code="one_of")
        return cleaned


class ReflectionForm(forms.Form):
    """A learner's answer to a lesson's reflection prompt (``courses.reflections``)."""

    text = forms.CharField(
        label=_("Your reflection"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write your reflection before saving it.")},
    )
    shared = forms.BooleanField(label=_("Share it with my course's trainers"), required=False)


class InactivityFilterForm(forms.Form):
    """How many days without activity make a learner inactive (the page's GET form)."""

    days = forms.IntegerField(
        label=_("No activity for at least (days)"), min_value=1, max_value=3650
    )


class LearnerMessageForm(forms.Form):
    """A trainer's plain-text message to chosen learners of the list, or to a whole cohort.
    ``days`` carries the list the trainer saw, so a refused form shows the same learners."""

    days = forms.IntegerField(min_value=1, max_value=3650, widget=forms.HiddenInput)
    learners = forms.TypedMultipleChoiceField(label=_("Learners"), required=False, coerce=int)
    cohort = forms.TypedChoiceField(label=_("or a whole cohort"), required=False, coerce=int)
    subject = forms.CharField(label=_("Subject"), max_length=150)
    body = forms.CharField(label=_("Message"), max_length=5000, widget=forms.Textarea)

    def __init__(self, *args, enrolments=(), cohorts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learners"].choices = [(e.pk, e.user.public_name) for e in enrolments]
        self.fields["cohort"].choices = [("", "—"), *((c.pk, c.name) for c in cohorts)]

    def clean(self) -> dict:
        cleaned = super().clean()
        if bool(cleaned.get("learners")) == bool(cleaned.get("cohort")):
            raise forms.ValidationError(
                _("Choose learners from the list or a cohort, not both."), code="one_of"
            )
        return cleaned
