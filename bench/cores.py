"""Cores: 1, 2, 4 and 8 unpaced jobs training at once, in iterations per second in all.

Issue 10's two networks, each on its own: 3-5-2 on the article's six rows (batches of 2) and
2-8-8-8-8-8-8-1 on 500 rows of "circle" (batches of 10), sigmoid, ℓ = ½ Σ (y − t)² (eq. 5),
α 0.5, speed null (as fast as the server trains). Each server is ``python -m backend`` from a
source tree (``--tree DIR``, repeatable, with ``--label NAME``; default this repository), a
child process on 127.0.0.1 with the default limits (at most 8 running jobs). For each count N,
N jobs are created running; after a warm-up, every job's iteration is read from
``GET /api/jobs/{id}`` at the start and at the end of a window, and the jobs are deleted. The
sum of the jobs' rates is compared with one job alone (goal: 2 jobs ≥ 1.6× one on 2 cores).
The machine is shared: the sequence 1, 2, 4, 8 runs REPEATS times, the trees alternating, and
the medians are reported. Results are printed as markdown and written to docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import os
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench._jobs import CASES, case_spec, counters, cpu_seconds, create, delete, rates, warm_up
from bench._runs_server import Server, serve
from bench._trees import Options, Tree, load_average, measured_on, options
from bench.report import write_section

COUNTS = (1, 2, 4, 8)  # jobs training at once; the server's default limit is 8
REPEATS = 2
WARMUP = 2.0  # seconds between creating the jobs and the window's start
WINDOW = 10.0  # seconds
GOAL_TWO = 1.6  # two jobs' iterations over one job's, on 2 cores


@dataclass
class Window:
    """One window of N jobs: the total it/s, each job's it/s, the server's CPU-s per second."""

    total: float
    per_job: list[float]
    cpu: float


@dataclass
class Results:
    """Every window, by (tree label, case, count)."""

    windows: dict[tuple[str, str, int], list[Window]] = field(default_factory=dict)

    def total(self, tree: str, case: str, count: int) -> float:
        """The median total it/s of that tree, case and count over the repeats."""
        return statistics.median(w.total for w in self.windows[tree, case, count])


def window(server: Server, case: str, count: int) -> Window:
    """`count` jobs of `case` trained together: their rates over WINDOW seconds, then deleted."""
    ids = create(server, [case_spec(case, seed=i) for i in range(count)])
    try:
        time.sleep(WARMUP)
        first, cpu, began = counters(server, ids), cpu_seconds(server.process.pid), time.time()
        time.sleep(WINDOW)
        last, cpu = counters(server, ids), cpu_seconds(server.process.pid) - cpu
        elapsed = time.time() - began
    finally:
        delete(server, ids)
    per_job = rates(first, last)
    return Window(sum(per_job), per_job, cpu / elapsed)


def measure(trees: list[Tree]) -> Results:
    """REPEATS × cases × COUNTS windows on every tree, the trees' order alternating."""
    out = Results()
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(serve(tree.path)) for tree in trees]
        for server in servers:
            warm_up(server, [case_spec(case) for case in CASES])
        pairs = list(zip(trees, servers, strict=True))
        turn = 0
        for repeat in range(REPEATS):
            for case in CASES:
                for count in COUNTS:
                    for tree, server in pairs if turn % 2 == 0 else pairs[::-1]:
                        w = window(server, case, count)
                        out.windows.setdefault((tree.label, case, count), []).append(w)
                        print(
                            f"-- {repeat + 1}/{REPEATS} {tree.name} {case} × {count}: "
                            f"{w.total:,.0f} it/s, server {w.cpu:.2f} CPU-s/s",
                            flush=True,
                        )
                    turn += 1
    return out


def _cell(results: Results, tree: Tree, case: str, count: int) -> list[str]:
    windows = results.windows[tree.label, case, count]
    totals = [w.total for w in windows]
    ratio = results.total(tree.label, case, count) / results.total(tree.label, case, 1)
    jobs = [rate for w in windows for rate in w.per_job]
    cpu = statistics.median(w.cpu for w in windows)
    return [
        f"{statistics.median(totals):,.0f} ({min(totals):,.0f}–{max(totals):,.0f})",
        f"{ratio:.2f}×",
        f"{min(jobs):,.0f}–{max(jobs):,.0f}",
        f"{cpu:.2f}",
    ]


def report(trees: list[Tree], results: Results, load: str) -> str:
    """The markdown section: per case, a row per count, four columns per tree."""
    head = ["network, batch", "jobs"]
    for tree in trees:
        head += [f"{tree.name}: it/s in all", "× one job", "one job's it/s", "server CPU-s/s"]
    lines = [
        "## Cores: 1, 2, 4 and 8 jobs training at once",
        "",
        *measured_on(trees, load),
        "",
        f"This machine has {os.cpu_count()} logical CPUs. N unpaced jobs (speed null) of one "
        "network train at once, sigmoid, ½ Σ (y − t)², α 0.5, seeds 0 … N − 1; after "
        f"{WARMUP:.0f} s, every job's iteration is read (`GET /api/jobs/{{id}}`) at the start "
        f"and the end of a {WINDOW:.0f} s window, then the jobs are deleted. It/s in all: the "
        f"median of {REPEATS} runs of the sequence 1, 2, 4, 8 (the trees alternating), their "
        "range in brackets; × one job: over the median of one job alone; one job's it/s: the "
        "slowest and the fastest job of those runs; server CPU-s/s: the server process's CPU "
        f"time per second of the window (of {os.cpu_count()}). Goal: 2 jobs ≥ {GOAL_TWO}× one "
        "job on 2 cores, N jobs on N cores near-linear.",
        "",
        "| " + " | ".join(head) + " |",
        "|---|--:|" + "--:|" * (len(head) - 2),
    ]
    for case, (_, _, batch) in CASES.items():
        for count in COUNTS:
            row = [f"{case}, batch {batch}", str(count)]
            for tree in trees:
                row += _cell(results, tree, case, count)
            lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Reading:", ""]
    for tree in trees:
        verdicts = []
        for case in CASES:
            two = results.total(tree.label, case, 2) / results.total(tree.label, case, 1)
            met = "met" if two >= GOAL_TWO else "**not met**"
            verdicts.append(f"{case}: 2 jobs train {two:.2f}× one, goal ≥ {GOAL_TWO}× {met}")
        lines.append(f"- **{tree.name}**: " + "; ".join(verdicts) + ".")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> None:
    chosen: Options = options("python -m bench.cores", __doc__, argv)
    print(f"  {os.cpu_count()} logical CPUs on this machine", flush=True)
    load = load_average()
    results = measure(chosen.trees)
    section = report(chosen.trees, results, load)
    print(section, flush=True)
    if chosen.docs:
        write_section("cores", section)


if __name__ == "__main__":
    main(sys.argv[1:])
