"""How responses travel to a slow phone when no proxy stands in front (the embedded default):
compressed pages, cacheable image renditions, and the largest image of a page never lazy."""

from __future__ import annotations

import gzip
import io
import re

import pytest
from django.core.files.images import ImageFile
from django.test import override_settings
from PIL import Image as PillowImage
from wagtail.images import get_image_model

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _image(number: int):
    buffer = io.BytesIO()
    PillowImage.new("RGB", (640, 360), (30, 90, number % 255)).save(buffer, format="PNG")
    image = get_image_model()(title=f"Hillside {number}")
    image.file.save(f"hillside-{number}.png", ImageFile(buffer, name=f"h{number}.png"), save=False)
    image.save()
    return image


def test_pages_are_compressed_for_a_browser_that_asks(client, library_tree, settings):
    assert "django.middleware.gzip.GZipMiddleware" in settings.MIDDLEWARE
    response = client.get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    html = gzip.decompress(response.content).decode()
    assert "<html" in html
    # One that does not ask gets plain HTML.
    assert "Content-Encoding" not in client.get("/").headers


def test_renditions_are_kept_a_week_and_other_uploads_an_hour(client):
    image = _image(1)
    rendition = image.get_rendition("width-360|format-webp")
    assert rendition.url.startswith("/media/images/")
    response = client.get(rendition.url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "public, max-age=604800"
    response = client.get(image.file.url)
    assert image.file.url.startswith("/media/original_images/")
    assert response["Cache-Control"] == "public, max-age=3600"


@override_settings(PAGE_CACHE_ENABLED=False)
def test_the_first_case_study_card_image_is_not_lazy_and_the_others_are(
    client, library_tree, make_case_study
):
    for number in range(3):
        make_case_study(title=f"Case {number}", hero_image=_image(number))
    html = client.get("/case-studies/").content.decode()
    images = re.findall(r'<img [^>]*class="card__image"[^>]*>', html)
    assert len(images) == 3
    assert 'fetchpriority="high"' in images[0] and 'loading="lazy"' not in images[0]
    assert all('loading="lazy"' in tag for tag in images[1:])
