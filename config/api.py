"""Wagtail's read-only API v2, for partner platforms that pull case studies and resources,
and the network's partnerships and organisations (open data: nothing about people).

Pages only, and only what the site shows any visitor: live pages outside every view
restriction (Wagtail's public-pages filter) and of a page type listed in ``PUBLIC_PAGE_TYPES``.
The list is an allowlist on purpose: lessons and modules are course-private (a lesson is for
the course's learners and trainers), and a page type added tomorrow stays out of the API until
someone decides it is public. The answer is the same for anonymous and signed-in callers: the
API is a public feed, not a second way into the courses. Each page type lists what it exposes
in ``api_fields``, and none exposes people.

Bad query parameters (``search`` with a NUL or full-text syntax, an ``offset`` beyond what a
database integer holds, an id no page could have) get a 400 that says what is wrong.
"""

from __future__ import annotations

import re

from django.conf import settings
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter, SearchFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError
from wagtail.search.query import PlainText

from courses.models import CourseIndexPage, CoursePage
from finance.api import ProjectsAPIViewSet
from library.models import CaseStudyPage, ResourcePage
from library.models.pages import HomePage, ListingPage
from network.models import LandscapePartnership, Organisation

#: The page types the public API shows (subclasses included). Not here: ``ModulePage`` and
#: ``LessonPage``, which the site shows only to a course's learners and trainers.
PUBLIC_PAGE_TYPES = (
    HomePage,
    ListingPage,
    CaseStudyPage,
    ResourcePage,
    CourseIndexPage,
    CoursePage,
)

#: The largest id, offset or limit a database integer column holds (PostgreSQL ``bigint``,
#: SQLite ``INTEGER``): anything larger is refused before it reaches a query.
MAX_INTEGER = 2**63 - 1
#: Integer query parameters, checked before any filter reads them.
INTEGER_PARAMETERS = (
    "offset",
    "limit",
    "id",
    "child_of",
    "descendant_of",
    "ancestor_of",
    "translation_of",
)
MAX_SEARCH_LENGTH = 200
#: What a search word is made of: letters and digits in any script. Everything else (quotes,
#: parentheses, ``*``, ``:``, ``^``...) is full-text syntax to the database engines, which would
#: refuse an unbalanced quote with an error rather than an empty result.
WORD = re.compile(r"\w+")


def checked_integer(name: str, raw: str) -> int:
    """``raw`` as a non-negative integer a database column can hold, or a 400 naming ``name``."""
    if not raw.isascii() or not raw.isdigit():
        raise BadRequestError(f"{name} must be a positive integer")
    value = int(raw)
    if value > MAX_INTEGER:
        raise BadRequestError(f"{name} is too large")
    return value


def search_words(text: str) -> str:
    """The words of a visitor's search, as plain text: no operator, quote or NUL reaches the
    search engine. A NUL or an over-long query is refused, not silently cut."""
    if "\x00" in text:
        raise BadRequestError("search must not contain NUL characters")
    if len(text) > MAX_SEARCH_LENGTH:
        raise BadRequestError(f"search must be at most {MAX_SEARCH_LENGTH} characters")
    return " ".join(WORD.findall(text))


class PlainWordsSearchFilter(SearchFilter):
    """Wagtail's search filter, handing the search engine the visitor's words as ``PlainText``
    rather than the raw string (which the SQLite backend passes to FTS5 as query syntax)."""

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        words = search_words(request.GET["search"])
        operator = request.GET.get("search_operator") or "and"
        if operator not in {"and", "or"}:
            raise BadRequestError("search_operator must be 'and' or 'or'")
        if not words:
            return queryset.none()
        try:
            return get_search_backend().search(
                PlainText(words, operator=operator),
                queryset,
                order_by_relevance="order" not in request.GET,
            )
        except (FilterFieldError, OrderByFieldError) as error:
            raise BadRequestError(
                f"cannot filter or order by '{error.field_name}' while searching"
            ) from error


class CheckedParametersMixin:
    """What every endpoint refuses before a filter or a query reads the parameters."""

    def check_request(self, request) -> None:
        """A NUL anywhere (PostgreSQL refuses it in text) and an integer no column holds."""
        for name, values in request.GET.lists():
            if "\x00" in name or any("\x00" in value for value in values):
                raise BadRequestError("query parameters must not contain NUL characters")
        for name in INTEGER_PARAMETERS:
            raw = request.GET.get(name)
            if raw is not None and not (name == "child_of" and raw == "root"):
                checked_integer(name, raw)

    def listing_view(self, request):
        self.check_request(request)
        return super().listing_view(request)

    def detail_view(self, request, pk):
        self.check_request(request)
        checked_integer("id", str(pk))
        return super().detail_view(request, pk)

    def find_view(self, request):
        self.check_request(request)
        return super().find_view(request)


class PublicPagesAPIViewSet(CheckedParametersMixin, PagesAPIViewSet):
    """The pages endpoint, limited to what the site shows everyone (see the module docstring)."""

    filter_backends = [
        PlainWordsSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]

    def get_base_queryset(self):
        """Wagtail's public pages (live, in this site, outside every view restriction), of the
        public page types only. The ``child_of``/``descendant_of``/``ancestor_of`` filters look
        their page up here too, so a lesson cannot be named as a parent either."""
        return super().get_base_queryset().type(*PUBLIC_PAGE_TYPES)


class PartnershipsAPIViewSet(CheckedParametersMixin, BaseAPIViewSet):
    """Landscape partnerships, as their public profiles show them (``api_fields``): every
    partnership is public; its members and private forums are not here. Filter by any
    column field (``?region=africa&status=active``); the whole boundary on the detail only."""

    model = LandscapePartnership
    filter_backends = [FieldsFilter, OrderingFilter]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "name",
        "slug",
        "country",
        "region",
        "status",
        "boundary_area_km2",
    ]
    detail_only_fields = ["boundary"]
    name = "partnerships"

    def get_queryset(self):
        return (
            LandscapePartnership.objects.defer("boundary_simplified")
            .prefetch_related("themes", "ecosystems", "sdgs", "organisations")
            .order_by("id")
        )


class OrganisationsAPIViewSet(CheckedParametersMixin, BaseAPIViewSet):
    """Organisations, as their public pages show them: no people."""

    model = Organisation
    filter_backends = [FieldsFilter, OrderingFilter]
    listing_default_fields = [
        *BaseAPIViewSet.listing_default_fields,
        "name",
        "slug",
        "type",
        "country",
    ]
    name = "organisations"

    def get_queryset(self):
        return Organisation.objects.prefetch_related("partnerships").order_by("id")


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)

# Published projects seeking finance: their public facts only (``finance.api``).
api_router.register_endpoint("finance-projects", ProjectsAPIViewSet)
api_router.register_endpoint("partnerships", PartnershipsAPIViewSet)
api_router.register_endpoint("organisations", OrganisationsAPIViewSet)
