"""Trainers translate their courses with wagtail-localize ("Translate this page"): the
Trainers role holds its ``submit_translation`` permission, which its own migration gives only
to Wagtail's Editors and Moderators. Which pages a trainer may translate and edit still comes
from each course's own group (``courses.trainer_access``)."""

from django.db import migrations

from courses.permissions import TRAINERS_GROUP


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name=TRAINERS_GROUP):
            group.permissions.add(permission)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    ).first()
    if permission is not None:
        for group in Group.objects.filter(name=TRAINERS_GROUP):
            group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0007_trainer_tools"),
        ("courses", "0003_trainer_permissions"),
        ("wagtail_localize", "0006_create_submit_translation_permission"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
