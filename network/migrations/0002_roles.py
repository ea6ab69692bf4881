"""Create the role groups. Trainers and Editors reach the Wagtail admin; learners and forum
moderators do not. Wagtail's own migrations create "Editors" (with admin access and page
permissions) and "Moderators" (page reviewers); this adds the rest."""

from django.db import migrations

ROLE_GROUPS = ["Learners", "Trainers", "Forum moderators", "Editors"]
ADMIN_GROUPS = ["Trainers", "Editors"]


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    admin_type, _ = ContentType.objects.get_or_create(app_label="wagtailadmin", model="admin")
    access_admin, _ = Permission.objects.get_or_create(
        content_type=admin_type, codename="access_admin", defaults={"name": "Can access Wagtail admin"}
    )
    for name in ROLE_GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        if name in ADMIN_GROUPS:
            group.permissions.add(access_admin)


def remove_roles(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name__in=["Learners", "Trainers", "Forum moderators"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("network", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("wagtailcore", "0002_initial_data"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
