"""``<time datetime>`` values are valid HTML: whole seconds (HTML allows at most three digits
of a fraction; ``isoformat`` writes six), one filter for every template (config/templatetags/dates.py)."""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from config.templatetags.dates import html_datetime
from forums.models import Category
from forums.services import topic_create

#: HTML's "valid global date and time string" as the filter writes it, or a date.
VALID = re.compile(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ)?$")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (
            datetime.datetime(2026, 12, 3, 7, 35, 26, 435123, tzinfo=datetime.UTC),
            "2026-12-03T07:35:26Z",
        ),
        (
            datetime.datetime(2026, 12, 3, 9, 0, 0, 1, tzinfo=ZoneInfo("Africa/Nairobi")),
            "2026-12-03T06:00:00Z",
        ),
        (datetime.datetime(2026, 12, 3, 7, 35, 26, 999999), "2026-12-03T07:35:26"),
        (datetime.date(2026, 12, 3), "2026-12-03"),
        (datetime.datetime(999, 1, 2, 3, 4, 5, tzinfo=datetime.UTC), "0999-01-02T03:04:05Z"),
        (None, ""),
        ("", ""),
        ("2026-12-03", ""),
    ],
)
def test_html_datetime_writes_whole_seconds_in_utc(value, expected):
    assert html_datetime(value) == expected


def test_the_filter_in_a_template():
    moment = datetime.datetime(2026, 12, 3, 7, 35, 26, 435123, tzinfo=datetime.UTC)
    rendered = Template(
        '{% load dates %}<time datetime="{{ moment|html_datetime }}">x</time>'
    ).render(Context({"moment": moment}))
    assert rendered == '<time datetime="2026-12-03T07:35:26Z">x</time>'


@pytest.mark.parametrize(
    ("language", "style", "expected"),
    [
        ("en", "datetime", "Dec. 3, 2026, 10:35 a.m."),
        ("es", "datetime", "3 de diciembre de 2026 a las 10:35"),
        ("fr", "date", "3 décembre 2026"),
        ("pt", "date", "3 de Dezembro de 2026"),
    ],
    ids=["en-datetime", "es-datetime", "fr-date", "pt-date"],
)
def test_when_writes_one_time_element_in_the_languages_own_format(language, style, expected):
    """``|when``: the machine value in UTC, the words in the reader's zone and language."""
    from django.utils import timezone, translation

    moment = datetime.datetime(2026, 12, 3, 7, 35, 26, 435123, tzinfo=datetime.UTC)
    with translation.override(language), timezone.override(ZoneInfo("Africa/Nairobi")):
        rendered = Template("{% load dates %}{{ moment|when:style }}").render(
            Context({"moment": moment, "style": style})
        )
    assert rendered == f'<time datetime="2026-12-03T07:35:26Z">{expected}</time>'
    assert Template("{% load dates %}{{ nothing|when }}").render(Context({})) == ""


@pytest.mark.django_db
def test_every_time_element_of_the_forum_and_home_pages_is_valid(client, make_user, library_tree):
    category = Category.objects.create(name="Water", slug="water")
    topic = topic_create(author=make_user(), category=category, title="Springs", body="Who maps?")
    found = []
    for path in ("/", f"/forums/t/{topic.pk}/", "/forums/c/water/"):
        html = client.get(path).content.decode()
        found += [(path, value) for value in re.findall(r'<time[^>]* datetime="([^"]*)"', html)]
    assert {path for path, _value in found} == {"/", f"/forums/t/{topic.pk}/", "/forums/c/water/"}
    assert [(path, value) for path, value in found if not VALID.match(value)] == []
