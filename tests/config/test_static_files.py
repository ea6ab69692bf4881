"""Production static files: hashed names, gzip and brotli copies, cached for a year.

Runs ``collectstatic`` with the production storage into a temporary STATIC_ROOT (the test suite
itself, like ``make run``, serves plain files from the finders and needs no collectstatic),
then asks WhiteNoise for the hashed stylesheet the pages link to.
"""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def collected(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path / "static"
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)
    manifest = json.loads((settings.STATIC_ROOT / "staticfiles.json").read_text())
    return settings.STATIC_ROOT, manifest["paths"]


def test_collectstatic_writes_hashed_and_compressed_files(collected):
    root, paths = collected
    hashed = paths["css/site.css"]
    assert hashed != "css/site.css" and hashed.startswith("css/site.")
    assert (root / hashed).exists()
    assert (root / f"{hashed}.gz").exists()
    assert (root / f"{hashed}.br").exists()


def test_hashed_file_is_served_compressed_with_far_future_cache_headers(collected, library_tree):
    _root, paths = collected
    client = Client()  # a new handler: WhiteNoise reads the collected files when it starts
    page = client.get("/case-studies/").content.decode()
    url = f"/static/{paths['css/site.css']}"
    assert f'href="{url}"' in page

    response = client.get(url, headers={"accept-encoding": "br, gzip"})

    assert response.status_code == 200
    assert response["Content-Encoding"] == "br"
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]
    plain = client.get("/static/css/site.css")
    assert "immutable" not in plain.get("Cache-Control", "")


def test_a_map_names_leaflet_and_its_marker_icons_by_their_hashed_addresses(
    collected, library_tree, make_case_study
):
    """Leaflet's default icon guesses its folder from its stylesheet and asks for the unhashed
    ``marker-icon.png``, a 404 in production: the map names each file by its hashed address
    (``includes/map.html``, read by ``js/map.js``), and each is served."""
    import re

    _root, paths = collected
    page = make_case_study(title="Terraces of Kijabe")
    client = Client()
    html = client.get(page.url).content.decode()
    for attribute, name in (
        ("data-leaflet-script", "vendor/leaflet/leaflet.js"),
        ("data-leaflet-style", "vendor/leaflet/leaflet.css"),
        ("data-marker-icon", "vendor/leaflet/images/marker-icon.png"),
        ("data-marker-icon-2x", "vendor/leaflet/images/marker-icon-2x.png"),
        ("data-marker-shadow", "vendor/leaflet/images/marker-shadow.png"),
    ):
        found = re.search(rf'{attribute}="([^"]+)"', html)
        assert found, attribute
        assert found.group(1) == f"/static/{paths[name]}" != f"/static/{name}"
        assert client.get(found.group(1)).status_code == 200
    # Leaflet is no longer in the page's head or body as a script or stylesheet of its own.
    assert 'src="/static/vendor/leaflet' not in html and 'href="/static/vendor/leaflet' not in html
