"""Documents a course's lessons offer are for the lessons' readers.

Wagtail serves a document to anyone who has its address (``/documents/<id>/<name>``, the id
counts up), unless its collection has a view restriction. A document placed in a lesson would
then be readable by every visitor, while the lesson itself is for the course's learners and
trainers. Which pages use a document is what Wagtail's reference index records, so the rule
reads it: a document used only by lessons is served to a reader of one of them; one used on
any other page (a case study, a course's public page) or on none stays Wagtail's to decide.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from wagtail.models import Page, ReferenceIndex

from courses import access, selectors
from courses.models import LessonPage


def document_readable_by(*, document, user) -> bool:
    """Whether ``user`` may download ``document`` as far as course privacy goes."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(base_content_type=page_type)
        .values_list("object_id", flat=True)
        if object_id.isdigit()
    }
    if not page_ids:
        return True
    lessons = list(LessonPage.objects.filter(pk__in=page_ids))
    if page_ids - {lesson.pk for lesson in lessons}:
        return True
    if user.is_authenticated and user.is_superuser:
        return True
    return any(
        access.lesson_reader(user=user, course=selectors.course_of(lesson)).access
        is access.LessonAccess.READ
        for lesson in lessons
    )
