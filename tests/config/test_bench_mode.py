"""Benchmark mode (config/bench.py): off unless asked for, never in production, and its query
counter counts the queries a response really ran."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse, HttpResponseNotModified
from django.test import RequestFactory
from django.urls import Resolver404, resolve

from config.bench import QueryCountMiddleware, revalidations, trivial
from network.models import User

ROOT = Path(__file__).resolve().parents[2]
REAL_SECRET = "k3J9-xq2LmP0vR7tY4wZ8bN1cD6fG5hS_aE3uI9oQ2pW7yT0rM4nB8vC1xZ6"
PRINT_BENCH = """
import json, django
django.setup()
from django.conf import settings
from django.urls import resolve, Resolver404
try:
    resolve("/bench/trivial")
    routed = True
except Resolver404:
    routed = False
print(json.dumps({"bench": settings.BENCH_MODE, "routed": routed,
                  "counter": "config.bench.QueryCountMiddleware" in settings.MIDDLEWARE}))
"""


def bench_settings(tmp_path: Path, **env: str) -> dict:
    clean = {k: v for k, v in os.environ.items() if k not in {"BENCH_MODE", "DJANGO_ENV"}}
    clean.update(DJANGO_SETTINGS_MODULE="config.settings", VAR_DIR=str(tmp_path), **env)
    done = subprocess.run(  # noqa: S603 -- our own interpreter and script
        [sys.executable, "-c", PRINT_BENCH],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_bench_mode_is_off_by_default(tmp_path):
    assert bench_settings(tmp_path) == {"bench": False, "routed": False, "counter": False}
    with pytest.raises(Resolver404):
        resolve("/bench/trivial")


def test_bench_mode_on_routes_the_trivial_view_and_counts_queries(tmp_path):
    assert bench_settings(tmp_path, BENCH_MODE="true") == {
        "bench": True,
        "routed": True,
        "counter": True,
    }


def test_production_never_runs_in_bench_mode(tmp_path):
    settings = bench_settings(
        tmp_path,
        BENCH_MODE="true",
        DJANGO_ENV="production",
        SECRET_KEY=REAL_SECRET,
        ALLOWED_HOSTS="example.org",
    )
    assert settings == {"bench": False, "routed": False, "counter": False}


@pytest.mark.django_db
def test_query_counter_reports_the_queries_of_the_response():
    def view(request):
        list(User.objects.all())
        User.objects.filter(username="nobody").exists()
        return HttpResponse("ok")

    response = QueryCountMiddleware(view)(RequestFactory().get("/"))
    assert response["X-Bench-Queries"] == "2"
    assert QueryCountMiddleware(trivial)(RequestFactory().get("/"))["X-Bench-Queries"] == "0"


@pytest.mark.django_db
def test_the_304s_are_counted_by_how_they_were_answered():
    """nginx shows a revalidated page with its stored headers, so the site counts its 304s."""

    def from_the_page_cache(request):
        return HttpResponseNotModified(headers={"X-Page-Cache": "hit"})

    def after_rendering(request):
        return HttpResponseNotModified()

    factory = RequestFactory()
    for view, path in [
        (from_the_page_cache, "/case-studies/a/"),
        (from_the_page_cache, "/case-studies/a/"),
        (after_rendering, "/case-studies/a/"),
        (after_rendering, "/forums/t/1/"),
        (lambda request: HttpResponse("ok"), "/forums/t/1/"),  # not a 304: not counted
    ]:
        QueryCountMiddleware(view)(factory.get(path))

    asked = ["/case-studies/a/", "/forums/t/1/", "/never/"]
    response = revalidations(
        factory.post("/bench/revalidations", json.dumps(asked), content_type="application/json")
    )
    assert json.loads(response.content) == {
        "/case-studies/a/": {"cache": 2, "rendered": 1},
        "/forums/t/1/": {"cache": 0, "rendered": 1},
        "/never/": {"cache": 0, "rendered": 0},
    }
