"""The knowledge library's views outside the page tree: the listing map's points."""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from library.filters import CaseStudyFilterForm
from library.selectors import case_study_map_points


@require_GET
def case_study_map(request: HttpRequest) -> HttpResponse:
    """Every located case study under the listing's filters (the same query string), as the
    JSON array the map draws, in the reader's language (the address's language prefix).

    Cached per language and filters until a page changes (``case_study_map_points``); sent
    ``private, no-cache``: Django's ``ConditionalGetMiddleware`` gives it an ``ETag``, so a
    browser that has the points revalidates for a 304 of a few bytes, and no shared cache
    keeps the point of a page since unpublished. Filters that do not validate are left out,
    as the listing leaves them out."""
    filters = CaseStudyFilterForm(request.GET).filters() if request.GET else {}
    points = case_study_map_points(filters=filters, language_code=get_language())
    body = json.dumps(points, ensure_ascii=False, separators=(",", ":"))
    response = HttpResponse(body, content_type="application/json")
    response["Cache-Control"] = "private, no-cache"
    return response
