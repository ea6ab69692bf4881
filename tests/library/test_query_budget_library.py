"""Query budgets of the library's public pages, cold, and flat as rows grow.

Each page is rendered cold: every cache emptied (``cache.clear()``: the first visitor after a
deploy, a publish or an eviction) and the anonymous page cache off, so every request really
routes and renders. With N objects, then again with 3N: the count must not grow with the number
of cards, themes, outcomes or images. Then warm (the small caches filled, the page cache still
off), within the 12 every page must meet.

The cold budget is 12 (``COLD_BUDGETS`` pins each page at or under it). Wagtail's own part is
5 on every page: the site, the active locale and the home page's type while routing, and the
site root paths (2, the first page URL of a request). Ours: the menu with the page's
translations for the language links 1, and 1 per level below the home page (a section and its
type in one query, a case study with its partnership and image in one, each with whether a view
restriction applies to it). The view restrictions are a condition of the listing queries; only
the home page, which Wagtail routes, reads them (1). The home page adds its cards (case studies,
their themes, courses, all their renditions in one query, dialogues and topics together: 5); a
listing its vocabularies (1), its matches (kept until a page changes), the page's cards, their
themes and renditions (5); a case study its relations (themes, ecosystems, goals, partners, tags: 1),
outcomes (1) and every rendition of its hero and figures in one query (1).
"""

from __future__ import annotations

import io

import pytest
from django.core.cache import cache
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.images import get_image_model

from library.models import CaseStudyPage
from network.models import LandscapePartnership, Organisation

pytestmark = pytest.mark.django_db

BUDGET = 12
COLD_BUDGETS = {"/": 12, "/case-studies/": 12, "case-study": 12, "/resources/": 12}
FILTERED = "/case-studies/?region=africa&theme=restoration&theme=finance&ecosystem=forests&year=2020&country=KE&q=case"


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    settings.PAGE_CACHE_ENABLED = False


def _image(number: int):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (64, 36), (30, 90, number % 255)).save(buffer, format="PNG")
    image = get_image_model()(title=f"Image {number}")
    image.file.save(
        f"image-{number}.png", ImageFile(buffer, name=f"image-{number}.png"), save=False
    )
    image.save()
    return image


@pytest.fixture
def add_case_studies(make_case_study):
    """Add ``count`` rich case studies: image, partnership, partners, themes, SDGs, tags."""
    made: list[CaseStudyPage] = []

    def add(count: int) -> list[CaseStudyPage]:
        for _ in range(count):
            number = len(made) + 1
            partnership = LandscapePartnership.objects.create(
                name=f"Partnership {number}",
                slug=f"partnership-{number}",
                country="KE",
                region="africa",
            )
            page = make_case_study(
                themes=("restoration", "finance"),
                hero_image=_image(number),
                partnership=partnership,
                outcomes=(("Hectares", "10", "ha"), ("Households", "5", "")),
            )
            page.partners.add(
                Organisation.objects.create(
                    name=f"Org {number}", slug=f"org-{number}", country="KE"
                )
            )
            from library.models import Ecosystem, SustainableDevelopmentGoal

            page.ecosystems.set(Ecosystem.objects.filter(slug="forests"))
            page.sdgs.set(SustainableDevelopmentGoal.objects.filter(number__in=[13, 15]))
            page.tags.add("terraces", f"tag-{number}")
            page.save_revision().publish()
            made.append(page)
        return made

    return add


def _cold_budget(path: str) -> int:
    if path.startswith("/case-studies/?") or path == "/case-studies/":
        return COLD_BUDGETS["/case-studies/"]
    if path.startswith("/resources/"):
        return COLD_BUDGETS["/resources/"]
    if path.startswith("/case-studies/"):
        return COLD_BUDGETS["case-study"]
    return COLD_BUDGETS[path]


def _count_cold(client, path, django_assert_max_num_queries, budget=None) -> int:
    """Queries of one rendering with every cache emptied; then, warm, within ``BUDGET``."""
    client.get(path)  # image renditions are made once, by the first view ever
    cache.clear()
    with django_assert_max_num_queries(budget or _cold_budget(path)) as captured:
        assert client.get(path).status_code == 200
    with django_assert_max_num_queries(BUDGET):
        assert client.get(path).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    "path",
    ["/", "/case-studies/", FILTERED, "/case-studies/?page=2", "/resources/?type=guide&q=e"],
)
def test_library_pages_stay_within_budget_and_flat(
    client, add_case_studies, make_resource, django_assert_max_num_queries, path
):
    add_case_studies(3)
    for _ in range(3):
        make_resource()
    baseline = _count_cold(client, path, django_assert_max_num_queries)

    add_case_studies(12)
    for _ in range(12):
        make_resource()
    _count_cold(client, path, django_assert_max_num_queries, budget=baseline)


def test_case_study_page_stays_within_budget(
    client, add_case_studies, django_assert_max_num_queries
):
    [page] = add_case_studies(1)
    _count_cold(client, page.url, django_assert_max_num_queries)


def test_filtered_listing_shows_the_match(client, add_case_studies):
    """The budget test's filtered listing really filters (so its count means something)."""
    add_case_studies(2)
    response = client.get(FILTERED)
    assert response.context["results"].paginator.count == 2
    assert response.context["filters"]["country"] == "KE"
