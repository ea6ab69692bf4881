"""Issue 17's two scaling budgets, for ``bench/run --shape production``:

1. **Two app processes serve >= 1.8x the requests/s of one.** The same rendered pages (page
   cache and proxy cache off) through a fresh production shape with one app process, then a
   fresh one with two, the same clients; the ratio per page and a verdict. Beside each figure,
   the CPU each part used while it was measured (the load generator, nginx, the app processes,
   PostgreSQL, the whole machine; from /proc/<pid>/stat), and the machine's core count: on two
   cores the load generator, nginx and PostgreSQL share them with the app processes, and the
   table shows by how much.
2. **Live delivery over 2 daphne processes on Redis: p99 <= 1.5x the raw channel layer's p99
   in the same run; 0 lost, 0 duplicated.** The 200 topic readers are spread over two daphne
   processes sharing Redis (each reader connects to its own server directly; the poster replies
   through the first one's HTTP side); broadcast -> frame p50/p99 (bench mode's ``sent_at``)
   against ``bench/worker.py groupsend``'s p99 from the same run.

The pure parts (ratios, verdicts, the CPU arithmetic) are tested in tests/config/
test_bench_scaling.py; the measurements themselves are a benchmark, never a test.
"""

from __future__ import annotations

import asyncio
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path

import harness
from production import ProductionShape

#: Issue 17's budgets.
APP_SCALING = 1.8
SPREAD_P99_FACTOR = 1.5
#: The rendered pages compared (keys of the data set's paths; "trivial" is /bench/trivial).
SCALING_PAGES = [("case_study", "Case study page"), ("trivial", "Trivial view")]
CACHES_OFF = {"PAGE_CACHE_ENABLED": "false", "PROXY_CACHE_SECONDS": "0"}

# --- Pure parts -----------------------------------------------------------------------------


def ratio(two: float, one: float) -> float | None:
    """How many times ``one``'s figure ``two`` is; None when ``one`` is 0 (nothing measured)."""
    return two / one if one else None


def scaling_ok(two_rps: float, one_rps: float, errors: int = 0) -> bool:
    """The first budget: two processes serve >= 1.8x one's requests/s, without errors."""
    factor = ratio(two_rps, one_rps)
    return factor is not None and factor >= APP_SCALING and errors == 0


def spread_ok(fan: dict, raw_p99_ms: float) -> bool:
    """The second budget: delivery p99 <= 1.5x the raw layer's p99, nothing lost, duplicated,
    dropped or never connected."""
    p99 = fan.get("delivery_p99_ms")
    if p99 is None or not raw_p99_ms:
        return False
    clean = not (fan["lost"] or fan["duplicates"] or fan["failed_connections"] or fan["dropped"])
    return p99 <= SPREAD_P99_FACTOR * raw_p99_ms and clean


def parse_stat(text: str) -> tuple[int, int]:
    """(parent pid, utime + stime in clock ticks) from a /proc/<pid>/stat line; the command
    name in parentheses may hold spaces and parentheses, so fields count from the last ')'."""
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[1]), int(fields[11]) + int(fields[12])


def descendants(roots: list[int], parents: dict[int, int]) -> set[int]:
    """``roots`` and every process below them, from a pid -> parent pid map."""
    found = set(roots)
    changed = True
    while changed:
        changed = False
        for pid, parent in parents.items():
            if parent in found and pid not in found:
                found.add(pid)
                changed = True
    return found


def cores_used(before: dict[str, int], after: dict[str, int], seconds: float) -> dict[str, float]:
    """CPU ticks per part at two moments -> cores busy on average over ``seconds``."""
    tick = os.sysconf("SC_CLK_TCK")
    return {
        part: round((after.get(part, 0) - before.get(part, 0)) / tick / seconds, 2)
        for part in before
        if seconds > 0
    }


def busy_ticks(line: str) -> int:
    """Busy ticks of all cores from /proc/stat's ``cpu`` line (all but idle and iowait)."""
    values = [int(value) for value in line.split()[1:]]
    return sum(values[:8]) - values[3] - values[4]


# --- Reading /proc ----------------------------------------------------------------------------


def _processes() -> dict[int, tuple[int, int, str]]:
    """pid -> (parent pid, CPU ticks, command name) of every process readable now."""
    table = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        parent, ticks = parse_stat(text)
        table[int(entry.name)] = (parent, ticks, text[text.index("(") + 1 : text.rindex(")")])
    return table


def cpu_ticks(roots: dict[str, list[int]]) -> dict[str, int]:
    """CPU ticks used so far by each part (its root processes and their children), by this
    process (the load generator), by PostgreSQL (every ``postgres`` process: the server is
    shared with other work) and by the machine (/proc/stat, in ticks of all cores)."""
    table = _processes()
    parents = {pid: parent for pid, (parent, _ticks, _name) in table.items()}
    ticks = {
        part: sum(table[pid][1] for pid in descendants(pids, parents) if pid in table)
        for part, pids in roots.items()
    }
    ticks["load generator"] = table.get(os.getpid(), (0, 0, ""))[1]
    ticks["PostgreSQL"] = sum(t for _p, t, name in table.values() if name == "postgres")
    ticks["machine"] = busy_ticks(Path("/proc/stat").read_text().splitlines()[0])
    return ticks


# --- 1. One app process against two ------------------------------------------------------------


def measure_page(shape: ProductionShape, path: str, clients: int, seconds: float) -> dict:
    first = harness.get(shape.port, path)
    if first.status != 200:
        raise SystemExit(f"{path} answered {first.status} on the production shape")
    harness.load(shape.port, path, clients=2, seconds=1.0)  # warm the processes
    answered = harness.served_by(harness.get(shape.port, path).headers)
    before, began = cpu_ticks(shape.pids), time.perf_counter()
    loaded = harness.load(shape.port, path, clients=clients, seconds=seconds)
    used = cores_used(before, cpu_ticks(shape.pids), time.perf_counter() - began)
    return {**loaded.as_dict(), "served_by": answered, "cores": used}


def app_scaling(options, env: dict[str, str], folder: Path, paths: dict, *, collect: bool) -> dict:
    """The pages of SCALING_PAGES through a fresh production shape with 1 app process, then
    with 2 (page cache and proxy cache off), ``options.scaling_seconds`` each."""
    result: dict = {"cpu_count": os.cpu_count(), "app_server": options.app_server,
                    "clients": options.clients, "seconds": options.scaling_seconds, "runs": {}}  # fmt: skip
    for processes in (1, 2):
        print(f"  scaling: {processes} app process(es) ...", file=sys.stderr)
        shape = ProductionShape(
            {**env, **CACHES_OFF}, folder, app_server=options.app_server, processes=processes,
            threads=options.threads, collect_static=collect and processes == 1,
        )  # fmt: skip
        step = time.perf_counter()
        with shape:
            print(f"    started in {time.perf_counter() - step:.0f} s", file=sys.stderr)
            result["topology"] = shape.describe()
            run = result["runs"][str(processes)] = {}
            for key, label in SCALING_PAGES:
                path = paths[key]
                run[key] = {"label": label, "path": path, **measure_page(
                    shape, path, options.clients, options.scaling_seconds)}  # fmt: skip
    return result


# --- 2. Live delivery spread over two daphne processes -----------------------------------------


def spread_fanout(options, env: dict[str, str], folder: Path, topic_id: int, poster: str) -> dict:
    """``options.fanout_clients`` readers of one topic spread over ``options.spread_daphnes``
    daphne processes on the same Redis; ``options.posts`` replies through the first one."""
    logs = folder / "logs"
    logs.mkdir(exist_ok=True)
    print(f"  spread fan-out: {options.fanout_clients} sockets over "
          f"{options.spread_daphnes} daphnes ...", file=sys.stderr)  # fmt: skip
    servers = [
        harness.Daphne(env, ready_path="/bench/trivial", log=logs / f"daphne-ws{n}.log")
        for n in range(options.spread_daphnes)
    ]
    with ExitStack() as stack:
        for server in servers:
            stack.callback(server.stop)  # each stopped on the way out, started or not
        step = time.perf_counter()
        with ThreadPoolExecutor(len(servers)) as pool:  # side by side: half the wait
            list(pool.map(harness.Daphne.start, servers))
        print(f"    started in {time.perf_counter() - step:.0f} s", file=sys.stderr)
        step = time.perf_counter()
        result = asyncio.run(
            harness.fanout([s.port for s in servers], topic_id, poster,
                           options.fanout_clients, options.posts)
        )  # fmt: skip
        print(f"    measured in {time.perf_counter() - step:.0f} s", file=sys.stderr)
        return result


def measure(options, env, folder, facts, sessions, results: dict, *, collect: bool) -> None:
    """Both measurements into ``results`` (``scaling``, ``spread_fanout``); the raw group_send
    too when the run has not measured it yet (``--scaling-only``, ``--pages``)."""
    if options.scaling_seconds:
        step = time.perf_counter()
        paths = {**facts["paths"], "trivial": "/bench/trivial"}
        results["scaling"] = app_scaling(options, env, folder, paths, collect=collect)
        print(f"  scaling: {time.perf_counter() - step:.0f} s", file=sys.stderr)
    if options.spread_daphnes:
        step = time.perf_counter()
        if not results.get("group_send"):
            results["group_send"] = harness.worker(
                env, "groupsend", "--receivers", str(options.fanout_clients), "--messages", "50"
            )
            print(f"  raw group_send: {time.perf_counter() - step:.0f} s", file=sys.stderr)
        step = time.perf_counter()
        results["spread_fanout"] = spread_fanout(
            options, env, folder, facts["topic_ids"][0], sessions["poster"]
        )
        print(f"  spread fan-out: {time.perf_counter() - step:.0f} s", file=sys.stderr)


# --- The table ----------------------------------------------------------------------------------


def cores_text(cores: dict[str, float]) -> str:
    order = ["load generator", "nginx", "app", "PostgreSQL", "machine"]
    return ", ".join(f"{part} {cores[part]:.2f}" for part in order if part in cores)


def table(results: dict) -> str:
    """The scaling rows in bench/run's table style, then where the CPU went."""
    headers = ["What", "Throughput", "p50 ms", "p99 ms", "Errors", "Budget", "Result"]
    rows, notes = [], []
    scaling = results.get("scaling")
    if scaling:
        one, two = scaling["runs"]["1"], scaling["runs"]["2"]
        for key in one:
            a, b = one[key], two[key]
            factor = ratio(b["rps"], a["rps"])
            shown = f"{factor:.2f}x" if factor is not None else "?"
            served = f" [from the {b['served_by']}]" if b.get("served_by") else ""
            rows.append([f"{a['label']}, 1 app process (caches off)", f"{a['rps']:.0f} req/s",
                         harness.ms(a["p50_ms"]), harness.ms(a["p99_ms"]), a["errors"],
                         "reference", "n/a"])  # fmt: skip
            rows.append([f"{b['label']}, 2 app processes (caches off){served}",
                         f"{b['rps']:.0f} req/s ({shown})", harness.ms(b["p50_ms"]),
                         harness.ms(b["p99_ms"]), b["errors"], f">= {APP_SCALING}x one process",
                         harness.verdict(scaling_ok(b["rps"], a["rps"], a["errors"] + b["errors"]))])  # fmt: skip
            for count, run in (("1", a), ("2", b)):
                notes.append(f"- {a['label']}, {count} app process(es): {cores_text(run['cores'])}")
    fan, raw = results.get("spread_fanout"), results.get("group_send")
    if fan and raw:
        p99 = fan.get("delivery_p99_ms")
        factor = ratio(p99 or 0, raw["p99_ms"])
        limit = SPREAD_P99_FACTOR * raw["p99_ms"]
        rows.append([
            f"Live delivery, {fan['clients']} sockets over {fan['servers']} daphnes "
            f"({results['channel_layer']}): broadcast -> frame",
            f"{fan['deliveries_per_s']} deliveries/s (p99 {factor:.2f}x raw)"
            if factor is not None else f"{fan['deliveries_per_s']} deliveries/s",
            harness.ms(fan["delivery_p50_ms"] or 0), harness.ms(p99 or 0),
            f"{fan['lost']} lost, {fan['duplicates']} dup, {fan['failed_connections']} "
            f"unconnected, {fan['dropped']} dropped",
            f"p99 <= {SPREAD_P99_FACTOR}x raw ({limit:.1f} ms)",
            harness.verdict(spread_ok(fan, raw["p99_ms"])),
        ])  # fmt: skip
        rows.append([
            f"Raw group_send, {raw['receivers']} channels ({raw['layer']}), same run",
            f"{raw['deliveries_per_s']} deliveries/s", harness.ms(raw["p50_ms"]),
            harness.ms(raw["p99_ms"]), "", "reference", "n/a",
        ])  # fmt: skip
    if not rows:
        return ""
    head = "\n### Scaling: app processes and live delivery over several daphnes\n\n"
    text = head + harness.markdown_table(headers, rows, "lrrrrll")
    if scaling:
        text += (
            f"\n\nCPU while each page was loaded, in cores busy on average; the machine has "
            f"{scaling['cpu_count']} cores (os.cpu_count()), and 'machine' includes everything "
            f"else running on it. {scaling['topology']}; {scaling['clients']} clients, "
            f"{scaling['seconds']:g} s per page.\n" + "\n".join(notes)
        )
    return text
