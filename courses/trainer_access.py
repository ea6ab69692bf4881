"""Who edits a course in the Wagtail admin: the trainers it names, and no other trainer.

The Trainers role opens the admin and the image and document collections, but holds no page
permission. Each course gets a group of its own ("Course trainers <translation key>") with
Wagtail's add + edit page permissions on the course page and each of its translations, so its
trainers write its modules, lessons and quizzes and nobody else's; publishing stays with the
reviewers (no publish permission). ``course_trainer_access_sync`` keeps the group's members
equal to the course's ``trainers`` every time the course is published, which is when Wagtail
saves that field (a draft does not change who teaches).
"""

from __future__ import annotations

import uuid

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import GroupPagePermission

from courses.models import CoursePage

PAGE_PERMISSIONS = ("add_page", "change_page")
GROUP_PREFIX = "Course trainers "


def course_trainers_group_name(course_key: uuid.UUID) -> str:
    """Named from the translation key, which every translation shares and no rename changes."""
    return f"{GROUP_PREFIX}{course_key}"


@transaction.atomic
def course_trainer_access_sync(*, course_key: uuid.UUID) -> Group:
    """Make the course's group hold exactly its trainers (on any translation), with add + edit
    on every translation of the course page. Idempotent; a course with no trainers keeps an
    empty group."""
    pages = list(CoursePage.objects.filter(translation_key=course_key).only("pk"))
    trainer_ids = set(
        CoursePage.trainers.through.objects.filter(
            coursepage__translation_key=course_key
        ).values_list("user_id", flat=True)
    )
    group, _created = Group.objects.get_or_create(name=course_trainers_group_name(course_key))
    group.user_set.set(trainer_ids)
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    existing = set(
        GroupPagePermission.objects.filter(group=group).values_list("page_id", "permission_id")
    )
    GroupPagePermission.objects.bulk_create(
        [
            GroupPagePermission(group=group, page_id=page.pk, permission=permission)
            for page in pages
            for permission in permissions
            if (page.pk, permission.pk) not in existing
        ]
    )
    return group


def sync_on_publish(sender, instance, **kwargs) -> None:
    """``page_published`` handler: a published course's trainers are its editors from now on.
    Runs inside the publishing transaction (a few rows), so access and the field never part."""
    if isinstance(instance, CoursePage):
        course_trainer_access_sync(course_key=instance.translation_key)


def sync_on_translation_created(
    sender, instance, created: bool, raw: bool = False, **kwargs
) -> None:
    """``post_save`` of a course page: a new translation of a course (wagtail-localize's
    "Translate this page" copies it as a draft) is its trainers' to edit at once, before
    anyone publishes it."""
    if (
        created
        and not raw
        and instance.alias_of_id is None
        and CoursePage.objects.filter(translation_key=instance.translation_key)
        .exclude(pk=instance.pk)
        .exists()
    ):
        course_trainer_access_sync(course_key=instance.translation_key)
