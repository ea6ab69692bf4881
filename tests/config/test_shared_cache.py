"""On the embedded default every process sees one cache state: a page daphne serves from its
cache is dropped the moment another process (``manage.py shell``, as the task worker or an
operator would) unpublishes it, and every key carries the code release."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from live_servers import PUBLISH_CASE_STUDY, migrated_site

from devservers import Daphne, shell

UNPUBLISH = """
from library.models import CaseStudyPage
CaseStudyPage.objects.get(slug="terraces").unpublish()
"""


def fetch(base: str, path: str) -> tuple[int, str, str | None]:
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310
            return response.status, response.read().decode(), response.headers["X-Page-Cache"]
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(), error.headers["X-Page-Cache"]


@pytest.fixture
def site(tmp_path):
    env = migrated_site(tmp_path / "site")
    url = shell(env, PUBLISH_CASE_STUDY).split()[-1]
    daphne = Daphne(env)
    daphne.start()
    yield env, daphne, url
    daphne.stop()


def test_a_page_unpublished_from_another_process_drops_from_daphne_at_once(site):
    env, daphne, url = site
    answers = [fetch(daphne.base, url) for _ in range(3)]
    assert answers[-1][0] == 200
    assert answers[-1][2] == "hit"
    assert "Terraces of Kijabe" in answers[-1][1]

    shell(env, UNPUBLISH)

    status, html, _header = fetch(daphne.base, url)
    assert status == 404
    assert "Terraces of Kijabe" not in html


def test_every_cache_key_carries_the_release(tmp_path):
    env = migrated_site(tmp_path / "site", RELEASE="release-2026-12")
    printed = shell(env, "from django.core.cache import cache; print(cache.make_key('k'))")
    assert "release-2026-12" in printed
