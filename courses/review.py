"""Who approves a course before it goes live: the site's editors (and Wagtail's Moderators).

Trainers add and edit inside their own courses but cannot publish (``courses.trainer_access``),
so every change they make reaches learners through Wagtail's workflow: they submit, and the
"Course review" workflow's one task, a group approval held by the Editors and Moderators
groups, puts the submission in each reviewer's "Awaiting your review" panel on the admin
dashboard. Approving the last task publishes the revision as the approver (Wagtail's
``publish_workflow_state``), which Wagtail allows only to someone who may publish the page, so
the Editors group also holds "publish" on each course catalogue (Wagtail's Editors group holds
add and edit from the root; Moderators hold publish there already).

The workflow and its task are created by ``courses/migrations/0007_trainer_tools.py``; it
covers the course catalogues (and so every course, module and lesson under them), assigned
when a catalogue is created (``wagtail_hooks``) and by the demo seed.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage

WORKFLOW_NAME = "Course review"
TASK_NAME = "Course review by editors"
REVIEWER_GROUPS = ("Editors", "Moderators")
#: The reviewer group that needs "publish" granted on the catalogues for its approval to publish.
PUBLISHING_REVIEWERS = "Editors"


def course_review_workflow() -> Workflow | None:
    return Workflow.objects.filter(name=WORKFLOW_NAME, active=True).first()


def course_review_assign(*, catalogue: Page) -> None:
    """Put a course catalogue (and everything under it) under the course review, and let the
    editors publish there (so their approval publishes). Idempotent; a catalogue an
    administrator gave another workflow keeps it."""
    workflow = course_review_workflow()
    if workflow is None:
        return
    WorkflowPage.objects.get_or_create(page=catalogue, defaults={"workflow": workflow})
    editors = Group.objects.filter(name=PUBLISHING_REVIEWERS).first()
    publish = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename="publish_page"
    ).first()
    if editors is not None and publish is not None:
        GroupPagePermission.objects.get_or_create(group=editors, page=catalogue, permission=publish)
