"""seed_demo fills the library: case studies in four languages, resources, pictures and files."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils.html import escape
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale, Page, Revision

from library import demo_content
from library.models import (
    CaseStudyOutcome,
    CaseStudyPage,
    CaseStudyPageTag,
    ResourcePage,
    ResourcePageTag,
)
from library.models.resources import Licence, ResourceType

pytestmark = pytest.mark.django_db

DEMO_SLUGS = {data["slug"] for data in demo_content.CASE_STUDIES}
RESOURCE_SLUGS = {data["slug"] for data in demo_content.RESOURCES}


@pytest.fixture
def seeded(seeded_demo) -> None:
    """The demo, seeded once for the module (tests/conftest.py ``demo_site``)."""


def demo_case_studies():
    return CaseStudyPage.objects.live().filter(slug__in=DEMO_SLUGS)


def demo_resources():
    return ResourcePage.objects.live().filter(slug__in=RESOURCE_SLUGS)


def test_case_studies_span_regions_themes_and_languages_and_are_complete(seeded):
    pages = demo_case_studies()
    originals = pages.filter(alias_of__isnull=True).order_by("translation_key", "pk")
    assert len({page.translation_key for page in originals}) == len(DEMO_SLUGS) >= 14
    assert len({page.region for page in pages}) >= 5
    themes = {slug for page in pages for slug in page.theme_slugs}
    assert len(themes) >= 8
    by_language = {
        code: pages.filter(locale__language_code=code).count() for code in ["en", "es", "fr", "pt"]
    }
    english = sum(data["locale"] == "en" for data in demo_content.CASE_STUDIES)
    assert by_language == {"en": english, "es": 2 + 3, "fr": 1, "pt": 1}
    assert pages.filter(partnership__isnull=False).count() >= pages.count() * 3 // 4
    for page in pages:
        page.full_clean()
        assert page.country and page.region, page.slug
        assert page.has_location, page.slug
        assert page.area_hectares > 0, page.slug
        assert 2012 <= page.year <= 2025, page.slug
        assert 2 <= len(page.theme_slugs) <= 3, page.slug
        assert 1 <= len(page.ecosystem_slugs) <= 2, page.slug
        assert 2 <= len(page.sdg_numbers) <= 3, page.slug
        assert 2 <= page.outcomes.count() <= 4, page.slug
        assert 2 <= len(page.tag_names) <= 4, page.slug
        assert len(page.summary) <= 400, page.slug
        assert 3 <= len(page.body) <= 6, page.slug
        assert {"heading", "paragraph", "quote"} <= {block.block_type for block in page.body}
        page.body.stream_block.clean(page.body)
        if page.partnership_id:
            assert page.partners.exists(), page.slug


def test_three_english_case_studies_are_translated_into_spanish(seeded):
    translated = [data for data in demo_content.CASE_STUDIES if "translation_es" in data]
    assert len(translated) == 3
    for data in translated:
        english = CaseStudyPage.objects.get(slug=data["slug"], locale__language_code="en")
        spanish = english.get_translation(Locale.objects.get(language_code="es"))
        assert spanish.live
        assert spanish.specific.title == data["translation_es"]["title"]
        assert spanish.specific.summary == data["translation_es"]["summary"]
        assert spanish.specific.outcomes.count() == english.outcomes.count()


def test_resources_cover_every_type_and_several_licences(seeded):
    resources = demo_resources()
    assert resources.count() == 10
    assert {page.resource_type for page in resources} == set(ResourceType.values)
    licences = {page.licence for page in resources}
    assert len(licences) >= 4 and licences <= set(Licence.values)
    assert resources.filter(region="").exists()
    for page in resources:
        page.full_clean()
        assert page.publisher and page.year and page.summary, page.slug
        assert page.themes.exists(), page.slug
        assert page.tag_names, page.slug
        assert page.link.startswith("https://example.org/") or page.document_id, page.slug
    with_files = resources.filter(document__isnull=False)
    assert with_files.count() == 2
    for page in with_files:
        with page.document.open_file() as handle:
            assert handle.read(), page.slug


def test_generated_pictures_are_small_landscapes_used_as_heroes_and_figures(seeded):
    images = get_image_model().objects.filter(
        title__in=[spec["title"] for spec in demo_content.IMAGES.values()]
    )
    assert images.count() == 6
    for image in images:
        assert (image.width, image.height) == (1200, 675)
        assert image.file.size < 100_000
    assert demo_case_studies().filter(hero_image__in=images).count() >= 6
    with_figures = [
        page
        for page in demo_case_studies().filter(locale__language_code__in=["en", "pt"])
        if any(block.block_type == "figure" for block in page.body)
    ]
    assert len(with_figures) == 2
    figure = next(block for block in with_figures[0].body if block.block_type == "figure")
    assert figure.value["image"].contextual_alt_text


def test_seed_twice_creates_nothing_new(seeded):
    def counts():
        page_ids = [
            str(pk)
            for pk in Page.objects.type(CaseStudyPage, ResourcePage).values_list("pk", flat=True)
        ]
        return (
            Page.objects.count(),
            CaseStudyOutcome.objects.count(),
            Tag.objects.count(),
            CaseStudyPageTag.objects.count(),
            ResourcePageTag.objects.count(),
            get_image_model().objects.count(),
            get_document_model().objects.count(),
            Revision.objects.filter(object_id__in=page_ids).count(),
        )

    before = counts()
    call_command("seed_demo", stdout=io.StringIO())
    assert counts() == before


def test_demo_pages_render(client, seeded):
    for model in (CaseStudyPage, ResourcePage):
        try:
            get_template(model.template)
        except TemplateDoesNotExist:
            pytest.skip(f"{model.template} is not written yet")
    for page in [*demo_case_studies(), *demo_resources()]:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert escape(page.title) in response.content.decode(), page.url
