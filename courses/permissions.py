"""What the Trainers role may do in the Wagtail admin: reach it and use images and documents.

Trainers write lessons only in the courses they teach: page permissions come from each
course's own group (``courses.trainer_access``), never from the role, so no trainer opens
another trainer's lessons, drafts or quiz answer keys. Publishing goes through the review
workflow (a reviewer of Wagtail's Moderators publishes).
"""

from __future__ import annotations

TRAINERS_GROUP = "Trainers"
COLLECTION_PERMISSIONS = (
    ("wagtailimages", "add_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "choose_document"),
)
