"""Wagtail's read-only API v2, for partner platforms that pull case studies and resources.

Pages only, and only live public ones (Wagtail's pages endpoint filters them); each page type
lists what it exposes in ``api_fields``, and none exposes people.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PagesAPIViewSet)
