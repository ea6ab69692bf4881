"""Trainers author courses in the Wagtail admin; a reviewer approves before anything goes live."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import GroupPagePermission, Workflow
from wagtail.test.utils.form_data import rich_text

from courses.models import CourseIndexPage, ModulePage
from library.demo import ensure_home
from network.roles import Role

pytestmark = pytest.mark.django_db


def test_a_course_trainer_may_add_and_edit_in_the_course_but_not_publish(
    catalogue, trainer, make_course
):
    built = make_course(trainers=[trainer])
    course_permissions = built.course.permissions_for_user(trainer)
    assert course_permissions.can_edit()
    assert course_permissions.can_add_subpage()
    assert not course_permissions.can_publish()
    lesson_permissions = built.lessons[0].permissions_for_user(trainer)
    assert lesson_permissions.can_edit()
    assert not lesson_permissions.can_publish()
    # New courses come from editors, who name their trainers.
    assert not catalogue.permissions_for_user(trainer).can_add_subpage()


def test_the_trainers_role_holds_no_page_permission(db):
    home = ensure_home()
    catalogue = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses"))
    trainers = Group.objects.get(name=Role.TRAINER.value)
    assert not GroupPagePermission.objects.filter(group=trainers).exists()
    assert not GroupPagePermission.objects.filter(page=catalogue).exists()


def test_trainer_submission_goes_live_only_after_a_moderator_approves(
    client, catalogue, trainer, make_user, make_course
):
    built = make_course(trainers=[trainer], modules=1, lessons=1, quiz=False)
    workflow = catalogue.get_workflow()
    assert isinstance(workflow, Workflow) and workflow.active
    client.force_login(trainer)
    add_url = reverse("wagtailadmin_pages:add", args=["courses", "modulepage", built.course.pk])
    assert client.get(add_url).status_code == 200
    response = client.post(
        add_url,
        {
            "title": "Agroforestry for beginners",
            "slug": "agroforestry-for-beginners",
            "intro": rich_text("<p>Plant the right tree.</p>"),
            "comments-TOTAL_FORMS": "0",
            "comments-INITIAL_FORMS": "0",
            "comments-MIN_NUM_FORMS": "0",
            "comments-MAX_NUM_FORMS": "1000",
            "action-submit": "Submit for moderation",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    module = ModulePage.objects.get(slug="agroforestry-for-beginners", locale__language_code="en")
    assert not module.live
    state = module.current_workflow_state
    assert state is not None and state.status == "in_progress"

    reviewer = make_user()
    reviewer.groups.add(Group.objects.get(name="Moderators"))
    state.current_task_state.approve(user=reviewer)
    module.refresh_from_db()
    assert module.live


def test_draft_lessons_and_modules_preview_before_they_are_published(make_course):
    built = make_course(modules=1, lessons=1)
    lesson = built.lessons[0]
    lesson.title = "A draft title"
    lesson.save_revision()
    draft = lesson.get_latest_revision_as_object()
    response = draft.make_preview_request()
    assert response.status_code == 200
    assert "A draft title" in response.rendered_content
    assert "Pick b" in response.rendered_content
    module_preview = built.modules[0].make_preview_request()
    assert module_preview.status_code == 200


def test_a_preview_of_a_lesson_not_live_numbers_it_where_it_will_stand(make_course):
    """Not "Lesson 1 of 0" (nor "1 of 1"): the previewed lesson counts with the live ones."""
    built = make_course(modules=1, lessons=2, quiz=False)
    draft = built.lessons[1]
    draft.unpublish()
    draft.refresh_from_db()
    response = draft.make_preview_request()
    assert response.status_code == 200
    assert "Lesson 2 of 2" in response.rendered_content
    assert response.context_data["previous_lesson"].pk == built.lessons[0].pk


def test_a_new_lesson_previews_from_its_create_form_before_it_has_an_id(make_course, learner):
    """The create form's preview panel (Wagtail sets a path, but no id): the quiz shows with
    nothing to post to, and no discussion or completion form (they need the lesson's id)."""
    from courses import services
    from courses.models import LessonPage

    built = make_course(modules=1, lessons=1, trainers=[learner])
    services.enrolment_create(user=learner, course=built.course)
    module = built.modules[0]
    lesson = LessonPage(
        title="Not saved yet",
        slug="not-saved-yet",
        body=built.lessons[0].body,
        locale=module.locale,
    )
    lesson.set_url_path(module)
    lesson.depth = module.depth + 1
    lesson.path = module.get_last_child()._inc_path()
    response = lesson.make_preview_request()
    assert response.status_code == 200
    page = response.rendered_content
    assert "Lesson 2 of 2" in page and "Pick b" in page
    assert "Discuss this lesson" not in page and "quiz_submit" not in page


def test_the_course_trainers_find_the_report_in_the_admin_page_listing(
    client, catalogue, make_user, make_course
):
    course_trainer = make_user(Role.TRAINER)
    other_trainer = make_user(Role.TRAINER)
    built = make_course(trainers=[course_trainer], modules=1, lessons=1, quiz=False)
    make_course(trainers=[other_trainer], modules=1, lessons=1, quiz=False)
    report_url = reverse("courses:report", args=[built.course.pk])
    listing_url = reverse("wagtailadmin_explore", args=[catalogue.pk])
    # Each trainer's explorer opens at their own course (the only pages they may edit).
    client.force_login(course_trainer)
    assert report_url in client.get(listing_url, follow=True).content.decode()
    client.force_login(other_trainer)
    listing = client.get(listing_url, follow=True)
    assert listing.status_code == 200
    assert report_url not in listing.content.decode()
