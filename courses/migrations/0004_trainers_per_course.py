"""Trainers edit only the courses they teach: the Trainers role gives back its add + edit on
the course catalogues, and each course gets its own group of trainers with add + edit on the
course page and its translations (see courses/trainer_access.py, which keeps them in step)."""

from django.db import migrations

# As in courses/trainer_access.py when this migration was written (a migration stays frozen).
GROUP_PREFIX = "Course trainers "
PAGE_PERMISSIONS = ("add_page", "change_page")


def per_course_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CoursePage = apps.get_model("courses", "CoursePage")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    GroupPagePermission.objects.filter(
        group__name="Trainers", page_id__in=CourseIndexPage.objects.values("pk")
    ).delete()
    permissions = list(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
        )
    )
    through = CoursePage.trainers.through
    for course in CoursePage.objects.all():
        group, _created = Group.objects.get_or_create(
            name=f"{GROUP_PREFIX}{course.translation_key}"
        )
        trainer_ids = through.objects.filter(
            coursepage__translation_key=course.translation_key
        ).values_list("user_id", flat=True)
        group.user_set.add(*trainer_ids)
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=group, page_id=course.pk, permission=permission
            )


def back_to_the_catalogues(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    Group.objects.filter(name__startswith=GROUP_PREFIX).delete()
    trainers, _created = Group.objects.get_or_create(name="Trainers")
    permissions = Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    )
    for catalogue in CourseIndexPage.objects.all():
        for permission in permissions:
            GroupPagePermission.objects.get_or_create(
                group=trainers, page_id=catalogue.pk, permission=permission
            )


class Migration(migrations.Migration):
    dependencies = [("courses", "0003_trainer_permissions")]

    operations = [migrations.RunPython(per_course_groups, back_to_the_catalogues)]
