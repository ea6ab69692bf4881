"""The mixed run's pure parts (bench/mixed.py): who answered a response, what a learner's quiz
form is answered with, and the verdicts the table prints. No server and no timing: the run
itself is a benchmark (``bench/run``), never a test."""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import mixed
from http_load import served_by


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"x-cache-status": "HIT", "x-page-cache": "miss"}, "proxy cache"),
        ({"x-cache-status": "REVALIDATED"}, "proxy cache, revalidated"),
        ({"x-cache-status": "MISS", "x-page-cache": "hit"}, "app page cache"),
        ({"x-cache-status": "BYPASS"}, ""),
        ({}, ""),
    ],
)
def test_served_by_names_the_cache_that_answered(headers, expected):
    assert served_by(headers) == expected


def question(block_type: str, number: int, choices: int = 0) -> SimpleNamespace:
    bound = [
        SimpleNamespace(id=f"c{number}{k}", value=SimpleNamespace(text=f"Choice {k}"))
        for k in range(choices)
    ]
    return SimpleNamespace(
        id=f"q{number}",
        block_type=block_type,
        value=SimpleNamespace(
            prompt=f"Question {number}", choices=SimpleNamespace(bound_blocks=bound)
        ),
    )


def quiz_html(*, can_attempt: bool) -> str:
    """The real quiz form template, as a lesson renders it for an enrolled learner."""
    quiz = SimpleNamespace(
        title="Check",
        pass_mark=50,
        questions=[
            question("single_choice", 1, choices=3),
            question("multiple_choice", 2, choices=2),
            question("true_false", 3),
            question("short_answer", 4),
        ],
    )
    state = SimpleNamespace(
        max_attempts=3, attempts_left=2, best_score=None, passed=False,
        can_attempt=can_attempt, next_number=2,
    )  # fmt: skip
    return render_to_string(
        "courses/blocks/quiz_form.html",
        {"quiz": quiz, "state": state, "enrolled": True, "page": SimpleNamespace(pk=7),
         "course": SimpleNamespace(pk=3), "block_id": "abc"},
    )  # fmt: skip


def test_quiz_form_is_answered_with_each_questions_first_choice():
    action, fields = mixed.quiz_answers(quiz_html(can_attempt=True))
    assert action.endswith("/learning/lessons/7/quizzes/abc/")
    assert fields == [
        ("attempt", "2"),
        ("q-q1", "c10"),
        ("q-q2", "c20"),
        ("q-q3", "true"),
        ("q-q4", "water"),
    ]


def test_quiz_with_no_attempt_left_is_skipped():
    assert mixed.quiz_answers(quiz_html(can_attempt=False)) is None


def test_hit_rate_counts_every_cache_and_keeps_changed_pages_apart():
    case_studies, home = mixed.Tally(), mixed.Tally()
    for source in ["proxy cache"] * 6 + ["app page cache"] * 3 + [""]:
        case_studies.add(5.0, source=source)
    home.add(9.0)
    home.add(None)
    rows = {"case_study": case_studies.as_dict(1.0), "home": home.as_dict(1.0)}
    rows.update({kind: mixed.Tally().as_dict(1.0) for kind in mixed.WRITES})
    totals = mixed.summary(rows, {"case_study": [], "home": []}, changed=["home"])
    assert rows["case_study"]["hit_rate"] == 0.9
    assert totals["anonymous_unchanged"]["hit_rate"] == 0.9
    assert totals["anonymous_all"]["requests"] == 11
    assert totals["errors"] == 1
    assert mixed.cached_text(rows["case_study"]) == "90% (app page cache 30%, proxy cache 60%)"
    assert mixed.cached_text(rows["home"]) == "rendered"


def test_table_fails_a_low_hit_rate_too_few_writes_and_errors():
    rows = {"case_study": {"requests": 10, "errors": 1, "rps": 10.0, "p50_ms": 1.0,
                           "p99_ms": 2.0, "hit_rate": 0.5,
                           "sources": {"proxy cache": 5, "rendered": 5}}}  # fmt: skip
    rows.update({kind: mixed.Tally().as_dict(1.0) for kind in mixed.WRITES})
    run = {
        "seconds": 1.0,
        "elapsed": 1.5,
        "rows": rows,
        **mixed.summary(rows, {"case_study": []}, []),
    }
    text = mixed.table(
        {"clients": 1, "changed": [], "anonymous_kinds": ["case_study"],
         "passes": {"page cache on": run}},
        {"kind": "static file", "rps": 100.0},
        {"case_study": {"cold_queries": 20, "warm_queries": 8}},
    )  # fmt: skip
    verdicts = [line.rsplit("|", 2)[-2].strip() for line in text.splitlines() if "**" in line]
    assert verdicts == ["FAIL", "FAIL", "FAIL", "FAIL"]
    assert "| 20/8 |" in text


def test_a_copy_nginx_revalidated_with_the_app_is_shown_but_not_a_hit():
    topics = mixed.Tally()
    for source in ["proxy cache", "proxy cache, revalidated", "proxy cache, revalidated", ""]:
        topics.add(3.0, source=source)
    row = topics.as_dict(2.0)
    assert row["hit_rate"] == 0.25
    assert row["rps"] == 2.0
    assert mixed.cached_text(row) == "25% (proxy cache 25%; revalidated 50%)"


def test_the_warm_up_visits_every_anonymous_address_twice():
    """Against a real socket server that counts the paths it was asked for."""
    import asyncio
    from collections import Counter

    asked: Counter[str] = Counter()

    async def answer(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while request := await reader.readuntil(b"\r\n\r\n"):
                asked[request.split(b" ")[1].decode()] += 1
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def scenario() -> float:
        server = await asyncio.start_server(answer, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        async with server:
            paths = {"home": ["/"], "case_study": ["/a/", "/b/", "/c/"]}
            return await mixed.warm_up(port, paths, clients=2)

    seconds = asyncio.run(scenario())
    assert seconds >= 0
    assert asked == {"/": 2, "/a/": 2, "/b/": 2, "/c/": 2}


def test_revalidations_the_app_answered_from_its_cache_become_hits():
    """As many of nginx's REVALIDATED answers per kind as the app counted from its page cache
    in the window (its count after minus before), never more than nginx reported."""
    case_studies, topics = mixed.Tally(), mixed.Tally()
    for source in ["proxy cache"] * 2 + [mixed.REVALIDATED] * 3:
        case_studies.add(2.0, source=source)
    for source in [mixed.REVALIDATED] * 2:
        topics.add(2.0, source=source)
    tallies = {"case_study": case_studies, "topic": topics}
    anonymous = {"case_study": ["/a/", "/b/"], "topic": ["/t/1/"]}
    before = {"/a/": {"cache": 5, "rendered": 0}, "/t/1/": {"cache": 0, "rendered": 0}}
    after = {
        "/a/": {"cache": 6, "rendered": 1},
        "/b/": {"cache": 1, "rendered": 0},
        "/t/1/": {"cache": 9, "rendered": 0},
    }
    mixed.attribute_revalidations(tallies, anonymous, before, after)
    assert case_studies.as_dict(1.0)["hit_rate"] == 0.8  # 2 proxy hits + 2 from the app cache
    assert case_studies.sources[mixed.REVALIDATED] == 1
    assert topics.sources[mixed.FROM_APP_CACHE] == 2  # capped at what nginx reported
    assert topics.as_dict(1.0)["hit_rate"] == 1.0


@pytest.mark.django_db
def test_the_sign_ups_fill_every_field_the_sign_up_form_asks_for():
    """The mixed run's sign-ups went silently to 0 when the form began asking for a display
    name: each answered 200 with an error. The fields are checked against the real form."""
    from allauth.account.forms import SignupForm

    form = SignupForm(data=dict(mixed.signup_fields()))
    assert form.is_valid(), form.errors


def test_the_answers_a_cache_gave_are_timed_beside_the_static_file():
    """The mixed run's throughput of anonymous readers follows their slowest pages (a closed
    loop waits on every new search); how fast a cached page is while the writes run is the
    latency of the answers a cache gave, shown beside the static file's alone."""
    topics = mixed.Tally()
    for ms, source in [(1.0, "proxy cache"), (3.0, "app page cache"), (400.0, "")]:
        topics.add(ms, source=source)
    rows = {"topic": topics.as_dict(1.0)}
    rows.update({kind: mixed.Tally().as_dict(1.0) for kind in mixed.WRITES})
    run = {"seconds": 1.0, "elapsed": 1.0, "rows": rows, **mixed.summary(rows, {"topic": []}, [])}
    assert run["anonymous_all"]["hits"] == 2
    assert run["anonymous_all"]["hit_p99_ms"] <= 3.0  # the rendered 400 ms is not a hit
    text = mixed.table(
        {"clients": 1, "changed": [], "anonymous_kinds": ["topic"],
         "passes": {"page cache on": run}},
        {"kind": "static file", "rps": 100.0, "p50_ms": 0.5, "p99_ms": 1.0},
        {},
    )  # fmt: skip
    line = next(line for line in text.splitlines() if "the answers a cache gave" in line)
    assert "| 2 |" in line
    assert "reference: the static file alone, p50 0.5 / p99 1.0 ms" in line
