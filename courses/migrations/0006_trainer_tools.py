"""Course review: a workflow whose one task the Editors and Moderators groups may approve, on
every course catalogue, with "publish" there for Editors so their approval publishes (see
courses/review.py). Before this, courses fell under Wagtail's
default workflow, which only Moderators (in practice the superuser) could approve."""

from django.db import migrations

from courses.review import PUBLISHING_REVIEWERS, REVIEWER_GROUPS, TASK_NAME, WORKFLOW_NAME


def create_course_review(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Permission = apps.get_model("auth", "Permission")
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    publish, _ = Permission.objects.get_or_create(
        content_type=page_type, codename="publish_page", defaults={"name": "Can publish any page"}
    )
    editors, _ = Group.objects.get_or_create(name=PUBLISHING_REVIEWERS)
    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name=TASK_NAME, content_type=task_type, active=True
        )
    task.groups.add(*[Group.objects.get_or_create(name=name)[0] for name in REVIEWER_GROUPS])
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    for catalogue in CourseIndexPage.objects.all():
        WorkflowPage.objects.update_or_create(page_id=catalogue.pk, defaults={"workflow": workflow})
        GroupPagePermission.objects.get_or_create(
            group=editors, page_id=catalogue.pk, permission=publish
        )


def remove_course_review(apps, schema_editor):
    Workflow = apps.get_model("wagtailcore", "Workflow")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    catalogues = WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).values("page_id")
    GroupPagePermission.objects.filter(
        group__name=PUBLISHING_REVIEWERS,
        permission__codename="publish_page",
        page_id__in=catalogues,
    ).delete()
    WorkflowPage.objects.filter(workflow__name=WORKFLOW_NAME).delete()
    Workflow.objects.filter(name=WORKFLOW_NAME).update(active=False)
    GroupApprovalTask.objects.filter(name=TASK_NAME).update(active=False)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0005_offline_submissions"),
        ("network", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_course_review, remove_course_review)]
