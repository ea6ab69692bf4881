"""Projects seeking finance in the read-only API (``/api/v2/finance-projects/``).

Published projects only, and only what their public pages show: no drafts, no interest, no
people. The same for every caller, like the pages endpoint (``config/api.py``).
"""

from __future__ import annotations

from wagtail.api.v2.filters import FieldsFilter, OrderingFilter
from wagtail.api.v2.views import BaseAPIViewSet

from finance import selectors
from finance.models import Project


class ProjectsAPIViewSet(BaseAPIViewSet):
    model = Project
    name = "finance-projects"
    filter_backends = [FieldsFilter, OrderingFilter]
    body_fields = [*BaseAPIViewSet.body_fields, *Project.API_FIELD_NAMES]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "title",
        "partnership_name",
        "amount_sought",
        "currency",
        "kind",
        "stage",
    ]

    def get_queryset(self):
        return selectors.projects_for_export()

    def listing_view(self, request):
        from config.api import checked_integer

        for name in ("offset", "limit"):
            raw = request.GET.get(name)
            if raw is not None:
                checked_integer(name, raw)
        return super().listing_view(request)

    def detail_view(self, request, pk):
        from config.api import checked_integer

        checked_integer("id", str(pk))
        return super().detail_view(request, pk)
