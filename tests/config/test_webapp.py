"""The installable web app (config/webapp.py): manifests, the service worker, logout."""

from __future__ import annotations

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "language", "start_url"),
    [
        ("/manifest.json", "en", "/"),
        ("/es/manifest.json", "es", "/es/"),
        ("/fr/manifest.json", "fr", "/fr/"),
        ("/pt/manifest.json", "pt", "/pt/"),
    ],
)
def test_each_language_has_a_manifest_with_its_own_start_url(client, address, language, start_url):
    response = client.get(address)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    data = response.json()
    assert data["lang"] == language
    assert data["start_url"] == start_url
    # One app whatever language it was installed in: the same id and the whole site as scope.
    assert (data["id"], data["scope"], data["display"]) == ("/", "/", "standalone")
    assert data["theme_color"] == "#1f5f3a"
    assert data["name"] and data["short_name"]


def test_the_manifest_names_are_translated(client):
    english = client.get("/manifest.json").json()
    french = client.get("/fr/manifest.json").json()
    assert french["description"] != english["description"]


def test_the_icons_are_png_files_of_the_sizes_they_claim(client):
    icons = client.get("/manifest.json").json()["icons"]
    assert {icon["sizes"] for icon in icons} == {"192x192", "512x512"}
    for icon in icons:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon["src"]
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_pages_link_the_manifest_of_their_language_and_the_offline_script(client, library_tree):
    html = client.get("/es/").content.decode()
    assert '<link rel="manifest" href="/es/manifest.json">' in html
    assert 'src="/static/js/offline.js" defer' in html


def test_the_service_worker_is_served_at_the_root_uncached_and_stamped_with_the_release(
    client, settings
):
    settings.RELEASE = "releaseone"
    first = client.get("/sw.js")
    assert first.status_code == 200
    assert first["Content-Type"].startswith("text/javascript")
    assert "no-cache" in first["Cache-Control"]
    assert 'const RELEASE = "releaseone";' in first.content.decode()
    settings.RELEASE = "releasetwo"
    # A deploy changes the worker's bytes, so every browser installs the new one.
    assert client.get("/sw.js").content != first.content


def test_the_service_worker_budget_is_kept(client):
    """The worker and the offline script stay under 30 KB compressed (the issue's budget)."""
    import gzip

    worker = client.get("/sw.js").content
    with open(finders.find("js/offline.js"), "rb") as script:
        page_script = script.read()
    assert len(gzip.compress(worker)) + len(gzip.compress(page_script)) < 30 * 1024


def test_logging_out_clears_the_devices_stores(client, learner):
    client.force_login(learner)
    page = client.get(reverse("courses:dashboard"))
    assert "Clear-Site-Data" not in page
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'
    # Visiting the logout page (its confirmation form) clears nothing.
    client.force_login(learner)
    assert "Clear-Site-Data" not in client.get(reverse("account_logout"))
