"""The quiz block speaks to trainers in their language: every field of a quiz, question and
answer has a translatable label and help text, and none is an internal name."""

from __future__ import annotations

import pytest
from django.utils.functional import Promise
from wagtail import blocks

from courses.blocks import QuizBlock

INTERNAL_NAMES = {"pass mark (%)", "correct", "answer", "question", "questions", "answers"}


def _fields(block: blocks.Block, path: str = "quiz"):
    """Every block under the quiz, with where it sits."""
    yield path, block
    if isinstance(block, blocks.StructBlock | blocks.StreamBlock):
        for name, child in block.child_blocks.items():
            yield from _fields(child, f"{path}.{name}")
    elif isinstance(block, blocks.ListBlock):
        yield from _fields(block.child_block, f"{path}[]")


def _help_text(block: blocks.Block):
    """Field blocks pass it to their form field; containers keep it on their meta."""
    field = getattr(block, "field", None)
    return getattr(field, "help_text", None) or getattr(block.meta, "help_text", None)


QUIZ_FIELDS = list(_fields(QuizBlock()))


@pytest.mark.parametrize(
    "block", [block for _path, block in QUIZ_FIELDS], ids=[path for path, _ in QUIZ_FIELDS]
)
def test_every_quiz_field_has_a_translatable_label_and_help(block):
    label = block.meta.label
    assert isinstance(label, Promise), f"label {label!r} is not translatable"
    assert str(label) not in INTERNAL_NAMES
    assert str(label)[0].isupper()
    help_text = _help_text(block)
    assert not help_text or isinstance(help_text, Promise)


def test_the_fields_a_trainer_fills_in_explain_themselves():
    """Every field a trainer types or ticks into (not the containers) says what it is for."""
    leaves = [
        (path, block)
        for path, block in QUIZ_FIELDS
        if isinstance(block, blocks.FieldBlock) and not path.endswith("accepted_answers[]")
    ]
    assert len(leaves) >= 10
    missing = [path for path, block in leaves if not _help_text(block)]
    assert missing == []
