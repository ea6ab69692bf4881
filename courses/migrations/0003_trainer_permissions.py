"""Trainers write courses (add + edit under the course catalogues) and use images and
documents; publishing goes through the review workflow (see courses/permissions.py)."""

from django.db import migrations

from courses.permissions import COLLECTION_PERMISSIONS, TRAINERS_GROUP

PAGE_PERMISSIONS = ("add_page", "change_page")


def grant_trainer_page_permissions(*, group_model, permission_model, page_permission_model, pages):
    """Trainers add + edit on each page (as this migration first shipped; 0004 takes it back
    in favour of one group per course)."""
    group, _created = group_model.objects.get_or_create(name=TRAINERS_GROUP)
    permissions = permission_model.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    )
    for page in pages:
        for permission in permissions:
            page_permission_model.objects.get_or_create(
                group=group, page_id=page.pk, permission=permission
            )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    CourseIndexPage = apps.get_model("courses", "CourseIndexPage")
    group, _ = Group.objects.get_or_create(name=TRAINERS_GROUP)
    root_collection = Collection.objects.filter(depth=1).first()
    if root_collection is not None:
        for app_label, codename in COLLECTION_PERMISSIONS:
            content_type, _ = ContentType.objects.get_or_create(
                app_label=app_label, model=codename.split("_", 1)[1]
            )
            permission, _ = Permission.objects.get_or_create(
                content_type=content_type, codename=codename, defaults={"name": codename}
            )
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=root_collection, permission=permission
            )
    page_type, _ = ContentType.objects.get_or_create(app_label="wagtailcore", model="page")
    for codename in ("add_page", "change_page"):
        Permission.objects.get_or_create(
            content_type=page_type, codename=codename, defaults={"name": codename}
        )
    grant_trainer_page_permissions(
        group_model=Group,
        permission_model=Permission,
        page_permission_model=GroupPagePermission,
        pages=CourseIndexPage.objects.all(),
    )


def revoke(apps, schema_editor):
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission.objects.filter(group__name=TRAINERS_GROUP).delete()
    GroupCollectionPermission.objects.filter(group__name=TRAINERS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_course_pages_and_records"),
        ("network", "0002_roles"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
