"""Wagtail hooks of landscape finance."""

from __future__ import annotations

from django.http import Http404
from wagtail import hooks


@hooks.register("before_serve_document")
def draft_project_documents_for_their_coordinators(document, request):
    """A document only draft projects hold is not found for anyone who may not read the
    drafts (``finance.media_access``): a draft's existence is not told, as its page's isn't."""
    from finance.media_access import document_readable_by

    if document_readable_by(document=document, user=request.user):
        return None
    raise Http404
