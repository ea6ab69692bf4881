"""A trainer's submitted course reaches the editors' review queue, and an editor's approval
publishes it (courses/review.py, courses/migrations/0007_trainer_tools.py)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Workflow

from courses.review import WORKFLOW_NAME, course_review_assign
from network.roles import Role

pytestmark = pytest.mark.django_db


def test_the_course_review_workflow_is_held_by_editors_and_moderators(db):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert workflow.active
    (task,) = [each.specific for each in workflow.tasks]
    assert set(task.groups.values_list("name", flat=True)) == {"Editors", "Moderators"}


def test_an_editor_sees_a_trainers_submission_and_approving_it_publishes(
    client, catalogue, trainer, make_user, make_course
):
    course_review_assign(catalogue=catalogue)
    built = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False)
    lesson = built.lessons[0]
    assert lesson.get_workflow().name == WORKFLOW_NAME
    lesson.title = "Reviewed lesson title"
    revision = lesson.save_revision(user=trainer)
    lesson.get_workflow().start(lesson, trainer)
    lesson.refresh_from_db()
    assert lesson.live and lesson.title != "Reviewed lesson title"

    editor = make_user(Role.EDITOR, is_staff=True)
    assert not editor.is_superuser
    client.force_login(editor)
    dashboard = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Awaiting your review" in dashboard
    assert "Reviewed lesson title" in dashboard
    task_state = lesson.current_workflow_task_state
    response = client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    assert response.status_code in (200, 302), response
    lesson.refresh_from_db()
    assert lesson.live_revision_id == revision.pk
    assert lesson.title == "Reviewed lesson title"
    # A member outside the reviewer groups cannot approve.
    assert not Group.objects.get(name="Trainers").user_set.filter(pk=editor.pk).exists()


def test_a_trainer_cannot_approve_their_own_submission(client, catalogue, trainer, make_course):
    course_review_assign(catalogue=catalogue)
    built = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False)
    lesson = built.lessons[0]
    lesson.title = "Self-approved?"
    lesson.save_revision(user=trainer)
    lesson.get_workflow().start(lesson, trainer)
    task_state = lesson.current_workflow_task_state
    client.force_login(trainer)
    client.post(
        reverse("wagtailadmin_pages:workflow_action", args=[lesson.pk, "approve", task_state.pk]),
        {"comment": ""},
    )
    lesson.refresh_from_db()
    assert lesson.title != "Self-approved?"
