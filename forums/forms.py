"""Forms of the forum pages: they parse input; the services decide what is allowed."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.models import Page

from forums.attachments import CleanAttachment, attachment_clean
from forums.models import Category, HideReason, ReactionKind
from network.images import check_upload_rate


class AttachmentFormMixin:
    """Checks and decodes the attachment while the form validates, before the service's
    transaction begins: a slow picture never holds the database's write lock. Pass the
    member as ``user`` so their upload rate is counted."""

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_attachment(self) -> CleanAttachment | None:
        upload = self.cleaned_data.get("attachment")
        if not upload:
            return None
        if self.user is not None and self.user.is_authenticated:
            check_upload_rate(user=self.user)
        return attachment_clean(upload)


BODY_HELP = _(
    "Markdown works: **bold**, *italic*, > quote, - lists, [links](https://…). Mention someone with @username."
)


class ReplyForm(AttachmentFormMixin, forms.Form):
    body = forms.CharField(
        label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), help_text=BODY_HELP
    )
    reply_to = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachment = forms.FileField(label=_("Attach a picture or PDF (optional)"), required=False)


class TopicForm(AttachmentFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}), help_text=BODY_HELP
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, help_text=_("Separate tags with commas."), max_length=300
    )
    attachment = forms.FileField(label=_("Attach a picture or PDF (optional)"), required=False)

    def clean_tags(self) -> list[str]:
        return [tag.strip() for tag in self.cleaned_data["tags"].split(",") if tag.strip()]


class MentionLookupForm(forms.Form):
    """What the writer typed after ``@`` (the autocomplete's question)."""

    q = forms.CharField(max_length=150, required=False)


class PreviewForm(forms.Form):
    """The reply box's text, to be shown as it will look (the service checks its length)."""

    body = forms.CharField(strip=False)


class EditForm(forms.Form):
    body = forms.CharField(label=_("Message"), widget=forms.Textarea(attrs={"rows": 8}))


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(choices=ReactionKind.choices)


class FlagForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    """Why a post is hidden or not approved: a kind from the list (the author reads it in their
    language) and, if the moderator wishes, their own words."""

    reason_kind = forms.ChoiceField(label=_("Why?"), choices=HideReason.choices)
    reason = forms.CharField(
        label=_("In your words (shown to the author and the moderators)"),
        max_length=300,
        required=False,
    )


class RedactForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to moderators)"), max_length=300, required=False
    )


class TopicVisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label=_("Who sees this topic"),
        choices=[
            ("visible", _("Everyone who may read its category")),
            ("unlisted", _("Unlisted: only people with its address")),
            ("hidden", _("Hidden: moderators only")),
        ],
    )
    reason = forms.CharField(label=_("Reason (for the log)"), max_length=300, required=False)


class PollForm(forms.Form):
    question = forms.CharField(label=_("Question"), max_length=200)
    choices = forms.CharField(
        label=_("Choices, one a line"),
        max_length=1500,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def clean_choices(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]


class PollVoteForm(forms.Form):
    choice = forms.IntegerField(min_value=1, max_value=2**31 - 1)


class MoveForm(forms.Form):
    category = forms.ModelChoiceField(label=_("Move to"), queryset=Category.objects.none())

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories


class SuspendForm(forms.Form):
    days = forms.IntegerField(label=_("Days"), min_value=1, max_value=365, initial=7)
    reason = forms.CharField(label=_("Reason (shown to the member)"), max_length=500)


_PAGE_ID = re.compile(r"[0-9]{1,10}")


class PageChoiceField(forms.ModelChoiceField):
    """A page chosen by id. A page type's key is its parent link, which Django's lookups do not
    range-check as they do integer fields, so an id past the database's range is refused here
    rather than reaching the query."""

    def to_python(self, value):
        if value not in self.empty_values and (
            not _PAGE_ID.fullmatch(str(value)) or int(value) > 2**31 - 1
        ):
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class DialogueForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    category = forms.ModelChoiceField(
        label=_("Forum category for the transcript"),
        queryset=Category.objects.none(),
        required=False,
        help_text=_("A private category makes the session private to that partnership."),
    )
    lesson = PageChoiceField(
        label=_("Lesson (optional)"),
        queryset=Page.objects.none(),
        required=False,
        help_text=_("The lesson's page shows the session."),
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        from courses.models import LessonPage

        # Live lessons only, by title: a dialogue links to a lesson people can read.
        self.fields["lesson"].queryset = LessonPage.objects.live().order_by("title", "pk")
