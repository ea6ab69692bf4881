"""Issue 17's scaling measurements' pure parts (bench/scaling.py, bench/live_sockets.py): the
ratios and verdicts the table prints, how sockets are spread over servers, and the /proc
arithmetic behind the CPU figures. No server and no timing: the measurements themselves are a
benchmark (``bench/run --shape production``), never a test."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import scaling
from live_sockets import spread


@pytest.mark.parametrize(
    ("count", "servers", "expected"),
    [(5, 2, [0, 1, 0, 1, 0]), (4, 1, [0, 0, 0, 0]), (0, 2, []), (3, 3, [0, 1, 2])],
)
def test_spread_gives_each_server_its_turn(count, servers, expected):
    assert spread(count, servers) == expected


def test_spread_of_200_over_2_is_even():
    where = spread(200, 2)
    assert (where.count(0), where.count(1)) == (100, 100)


def test_spread_needs_a_server():
    with pytest.raises(ValueError, match="at least one"):
        spread(3, 0)


def test_ratio_and_the_app_scaling_verdict():
    assert scaling.ratio(180.0, 100.0) == pytest.approx(1.8)
    assert scaling.ratio(5.0, 0.0) is None
    assert scaling.scaling_ok(180.0, 100.0)
    assert not scaling.scaling_ok(179.0, 100.0)
    assert not scaling.scaling_ok(300.0, 100.0, errors=1)
    assert not scaling.scaling_ok(300.0, 0.0)  # nothing measured with one process


def fan(**changes) -> dict:
    figures = {"delivery_p99_ms": 15.0, "lost": 0, "duplicates": 0, "failed_connections": 0,
               "dropped": 0}  # fmt: skip
    return {**figures, **changes}


def test_spread_verdict_compares_with_the_raw_layer_and_counts_every_loss():
    assert scaling.spread_ok(fan(), raw_p99_ms=10.0)  # exactly 1.5x
    assert not scaling.spread_ok(fan(delivery_p99_ms=15.1), raw_p99_ms=10.0)
    assert not scaling.spread_ok(fan(lost=1), raw_p99_ms=100.0)
    assert not scaling.spread_ok(fan(duplicates=1), raw_p99_ms=100.0)
    assert not scaling.spread_ok(fan(failed_connections=1), raw_p99_ms=100.0)
    assert not scaling.spread_ok(fan(dropped=1), raw_p99_ms=100.0)
    assert not scaling.spread_ok(fan(delivery_p99_ms=None), raw_p99_ms=100.0)
    assert not scaling.spread_ok(fan(), raw_p99_ms=0.0)


def test_parse_stat_reads_past_a_command_name_with_spaces_and_parentheses():
    line = "4242 (odd (name) x) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 1 0"
    assert scaling.parse_stat(line) == (17, 300)


def test_parse_stat_reads_this_process():
    parent, ticks = scaling.parse_stat(Path(f"/proc/{os.getpid()}/stat").read_text())
    assert parent == os.getppid()
    assert ticks >= 0


def test_descendants_follow_children_of_children():
    parents = {10: 1, 11: 10, 12: 11, 20: 1, 21: 20}
    assert scaling.descendants([10], parents) == {10, 11, 12}
    assert scaling.descendants([10, 20], parents) == {10, 11, 12, 20, 21}
    assert scaling.descendants([99], parents) == {99}


def test_cores_used_divides_ticks_by_the_clock_and_the_wall_time():
    tick = os.sysconf("SC_CLK_TCK")
    used = scaling.cores_used({"app": 0, "nginx": tick}, {"app": 3 * tick, "nginx": tick}, 2.0)
    assert used == {"app": 1.5, "nginx": 0.0}


def test_busy_ticks_leave_out_idle_and_iowait():
    # user nice system idle iowait irq softirq steal guest guest_nice
    assert scaling.busy_ticks("cpu  100 5 50 1000 30 2 3 4 0 0") == 164


def test_cpu_ticks_counts_this_process_as_the_load_generator():
    ticks = scaling.cpu_ticks({"self": [os.getpid()]})
    assert ticks["self"] >= ticks["load generator"] >= 0
    assert set(ticks) == {"self", "load generator", "PostgreSQL", "machine"}


def page(rps: float, errors: int = 0) -> dict:
    return {"label": "Case study page", "rps": rps, "p50_ms": 10.0, "p99_ms": 30.0,
            "errors": errors, "served_by": "", "cores": {"load generator": 0.5, "app": 1.0}}  # fmt: skip


def test_table_prints_both_budgets_with_their_verdicts():
    results = {
        "channel_layer": "redis",
        "scaling": {
            "cpu_count": 2,
            "topology": "nginx -> gunicorn",
            "clients": 16,
            "seconds": 6,
            "runs": {"1": {"case_study": page(100)}, "2": {"case_study": page(150)}},
        },
        "spread_fanout": {
            **fan(delivery_p99_ms=12.0),
            "clients": 200,
            "servers": 2,
            "deliveries_per_s": 900,
            "delivery_p50_ms": 5.0,
        },
        "group_send": {
            "receivers": 200,
            "layer": "redis",
            "deliveries_per_s": 5000,
            "p50_ms": 4.0,
            "p99_ms": 10.0,
        },
    }
    text = scaling.table(results)
    scaling_row = next(line for line in text.splitlines() if "2 app processes" in line)
    assert "1.50x" in scaling_row and "FAIL" in scaling_row
    live_row = next(line for line in text.splitlines() if "over 2 daphnes" in line)
    assert "1.20x raw" in live_row and "pass" in live_row and "15.0 ms" in live_row
    assert "has 2 cores" in text and "load generator 0.50" in text


def test_table_is_empty_when_nothing_was_measured():
    assert scaling.table({"channel_layer": "redis"}) == ""
