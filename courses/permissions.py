"""What the Trainers group may do in the Wagtail admin: write courses, never publish them.

Trainers add and edit pages under every course catalogue (drafts, previews, revisions) and
submit them to the review workflow; a reviewer (Wagtail's Moderators) publishes. They may also
upload and choose images and documents for their lessons. The data migration applies this to
the catalogues that exist; a hook applies it to catalogues created later.
"""

from __future__ import annotations

TRAINERS_GROUP = "Trainers"
PAGE_PERMISSIONS = ("add_page", "change_page")
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)


def grant_trainer_page_permissions(*, group_model, permission_model, page_permission_model, pages):
    """Give Trainers add + edit (not publish) on each page. Takes the models as arguments so
    the data migration can pass its historical ones."""
    group, _created = group_model.objects.get_or_create(name=TRAINERS_GROUP)
    permissions = permission_model.objects.filter(
        content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSIONS
    )
    for page in pages:
        for permission in permissions:
            page_permission_model.objects.get_or_create(
                group=group, page_id=page.pk, permission=permission
            )
