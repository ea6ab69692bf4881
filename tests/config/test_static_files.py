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
