"""A draft project's documents are for the people who may read the draft.

Wagtail serves a document to anyone who has its address (``/documents/<id>/<name>``, the id
counts up). A project's documents are attached while it is a draft, before its coordinators
decide to show it to funders, so a document held only by drafts is served only to those
drafts' readers (``selectors.project_visible_to``'s rule: the partnership's coordinators),
and to people who may change it in the Wagtail admin anyway. A document of a published
project is public, as the project is; one no project holds is not this module's to decide.
"""

from __future__ import annotations

from wagtail.documents import get_document_model
from wagtail.permissions import policy_registry

from finance.models import Project
from finance.selectors import Viewer
from network.models import PartnershipMembership, PartnershipRole


def document_readable_by(*, document, user: Viewer) -> bool:
    """Whether ``user`` may download ``document`` as far as portfolio drafts go."""
    holders = list(
        Project.objects.filter(documents=document).values_list("partnership_id", "published")
    )
    if not holders or any(published for _partnership, published in holders):
        return True
    if not user.is_authenticated or not user.is_active:
        return False
    if PartnershipMembership.objects.filter(
        user=user,
        role=PartnershipRole.COORDINATOR,
        partnership_id__in={partnership for partnership, _published in holders},
    ).exists():
        return True
    policy = policy_registry.get_by_type(get_document_model())
    return policy.user_has_permission_for_instance(user, "change", document)
