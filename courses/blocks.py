"""The blocks a lesson is written in.

Every block renders without JavaScript and stays light on a slow connection: images come as
responsive renditions with ``srcset`` and ``loading="lazy"``, videos never autoplay or preload.
The quiz block's template shows questions and choices only; correct answers and feedback stay
on the server (``courses.grading``) until the learner has submitted.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from courses.grading import Choice, Question, QuestionKind, Quiz

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "italic", "link", "ol", "ul", "blockquote"]


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("alternative text"),
        max_length=250,
        required=False,
        help_text=_("Describe the image for people who cannot see it; leave empty if decorative."),
    )
    caption = blocks.CharBlock(label=_("caption"), max_length=250, required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "courses/blocks/image.html"


class VideoBlock(blocks.StructBlock):
    """A video by address, with its transcript.

    Direct files (``.mp4``, ``.webm``) play in a ``<video preload="none">``; anything else is a
    link to the provider, so no third-party player (often over a megabyte of script) loads
    unless the learner asks for it. The transcript is always on the page.
    """

    title = blocks.CharBlock(label=_("title"), max_length=200)
    url = blocks.URLBlock(label=_("video address"))
    duration_minutes = blocks.IntegerBlock(
        label=_("length in minutes"), required=False, min_value=0
    )
    transcript = blocks.RichTextBlock(label=_("transcript"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "media"
        label = _("Video with transcript")
        template = "courses/blocks/video.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["is_file"] = value["url"].lower().split("?")[0].endswith((".mp4", ".webm", ".ogv"))
        return context


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    description = blocks.CharBlock(label=_("description"), max_length=250, required=False)

    class Meta:
        icon = "doc-full"
        label = _("Document download")
        template = "courses/blocks/document.html"


class CalloutBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("info", _("Information")), ("tip", _("Tip")), ("warning", _("Warning"))],
        default="info",
    )
    title = blocks.CharBlock(label=_("title"), max_length=200, required=False)
    text = blocks.RichTextBlock(label=_("text"), features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Callout")
        template = "courses/blocks/callout.html"


class ReflectionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("prompt"))

    class Meta:
        icon = "openquote"
        label = _("Reflection prompt")
        template = "courses/blocks/reflection.html"


class ChoiceOptionBlock(blocks.StructBlock):
    text = blocks.CharBlock(
        label=_("Answer"), max_length=300, help_text=_("One answer the learner may choose.")
    )
    correct = blocks.BooleanBlock(
        label=_("This answer is right"),
        required=False,
        help_text=_("Tick every answer that is right; learners see which ones after answering."),
    )

    class Meta:
        label = _("Answer")


class _QuestionBlock(blocks.StructBlock):
    prompt = blocks.TextBlock(label=_("Question"), help_text=_("What the learner is asked."))
    feedback_correct = blocks.TextBlock(
        label=_("Feedback for a right answer"),
        required=False,
        help_text=_("Shown after submitting, to learners who answered right."),
    )
    feedback_incorrect = blocks.TextBlock(
        label=_("Feedback for a wrong answer"),
        required=False,
        help_text=_("Shown after submitting, to learners who answered wrong: say why."),
    )


class SingleChoiceBlock(_QuestionBlock):
    choices = blocks.ListBlock(
        ChoiceOptionBlock(),
        label=_("Answers"),
        min_num=2,
        help_text=_("At least two; mark the one right answer."),
    )

    class Meta:
        label = _("Single choice")


class MultipleChoiceBlock(_QuestionBlock):
    choices = blocks.ListBlock(
        ChoiceOptionBlock(),
        label=_("Answers"),
        min_num=2,
        help_text=_("At least two; mark every right answer. Learners must pick exactly those."),
    )

    class Meta:
        label = _("Multiple choice")


class TrueFalseBlock(_QuestionBlock):
    answer = blocks.BooleanBlock(
        label=_("The statement is true"),
        required=False,
        help_text=_("Tick if the question's statement is true; leave empty if it is false."),
    )

    class Meta:
        label = _("True or false")


class ShortAnswerBlock(_QuestionBlock):
    accepted_answers = blocks.ListBlock(
        blocks.CharBlock(max_length=200, label=_("Accepted answer")),
        label=_("Accepted answers"),
        min_num=1,
        help_text=_("Compared ignoring case, accents, punctuation and extra spaces."),
    )

    class Meta:
        label = _("Short answer")


class QuizBlock(blocks.StructBlock):
    title = blocks.CharBlock(
        label=_("Title"),
        max_length=200,
        default=_("Check your understanding"),
        help_text=_("The quiz's heading on the lesson page."),
    )
    pass_mark = blocks.IntegerBlock(
        label=_("Score needed to pass"),
        min_value=0,
        max_value=100,
        default=70,
        help_text=_("The share of questions answered right, in percent (0 to 100)."),
    )
    max_attempts = blocks.IntegerBlock(
        label=_("Attempts allowed"),
        min_value=0,
        default=3,
        help_text=_("How many times a learner may submit the quiz; 0 means no limit."),
    )
    questions = blocks.StreamBlock(
        [
            ("single_choice", SingleChoiceBlock()),
            ("multiple_choice", MultipleChoiceBlock()),
            ("true_false", TrueFalseBlock()),
            ("short_answer", ShortAnswerBlock()),
        ],
        label=_("Questions"),
        min_num=1,
        help_text=_("Add at least one question."),
    )

    class Meta:
        icon = "tasks"
        label = _("Quiz")

    def get_searchable_content(self, value):
        """Index the questions, never the answers or the feedback."""
        return [value["title"], *(question.value["prompt"] for question in value["questions"])]


def quiz_from_block(value) -> Quiz:
    """Turn a stored quiz block into the plain definition that ``courses.grading`` reads.

    Questions and choices keep the ids Wagtail gave their blocks, so answers stay keyed to the
    same question when an author reorders or edits the quiz.
    """
    questions = []
    for question in value["questions"]:
        kind = QuestionKind(question.block_type)
        data = question.value
        choices: tuple[Choice, ...] = ()
        if kind in (QuestionKind.SINGLE_CHOICE, QuestionKind.MULTIPLE_CHOICE):
            choices = tuple(
                Choice(id=item.id, text=item.value["text"], correct=bool(item.value["correct"]))
                for item in data["choices"].bound_blocks
            )
        elif kind is QuestionKind.TRUE_FALSE:
            choices = (
                Choice(id="true", text=str(_("True")), correct=bool(data["answer"])),
                Choice(id="false", text=str(_("False")), correct=not data["answer"]),
            )
        questions.append(
            Question(
                id=question.id,
                kind=kind,
                prompt=data["prompt"],
                choices=choices,
                accepted_answers=tuple(data.get("accepted_answers") or ()),
                feedback_correct=data["feedback_correct"] or "",
                feedback_incorrect=data["feedback_incorrect"] or "",
            )
        )
    return Quiz(
        title=value["title"],
        pass_mark=value["pass_mark"],
        max_attempts=value["max_attempts"],
        questions=tuple(questions),
    )


class LessonStreamBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(label=_("Text"), features=RICH_TEXT_FEATURES, icon="pilcrow")
    image = ImageBlock()
    video = VideoBlock()
    document = DocumentBlock()
    callout = CalloutBlock()
    reflection = ReflectionBlock()
    quiz = QuizBlock()
