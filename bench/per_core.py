"""Per core: a training step through the service against a plain compiled loop of the same step.

Issue 10's two cases, each the article's step (sigmoid (6), ℓ = ½ Σ (y − t)² (5), consecutive
mini-batches, α 0.5): 3-5-2 on the article's six rows with batches of 2, and
2-8-8-8-8-8-8-1 on 500 rows with batches of 10 ("circle" through the service, bench/plain_loop.py's
500 seeded rows for the loop: the same shapes, so the same work). Each server is
``python -m backend`` from a source tree (``--tree DIR``, repeatable, with ``--label NAME``;
default this repository), a child process on 127.0.0.1. On each, one paused job per case; after
a warm-up step, one ``POST /api/jobs/{id}/step`` with ``{"iterations": N}`` (N sized so that a
call takes about a second, at most the server's ``max_step_iterations``) is timed, wall clock,
with the server's CPU time over the call. The baseline is bench/plain_loop.py's
``iterations_per_second`` (this process's CPU time). The two alternate, ROUNDS times, and the
medians are compared: the service's µs per iteration over the loop's (goal ≤ 4×, aim 2×).
Results are printed as markdown and written to docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

from bench._jobs import CASES, WARM_ITERATIONS, case_spec, cpu_seconds, create, limit, step
from bench._runs_server import Server, serve
from bench._trees import Options, Tree, load_average, measured_on, options
from bench.plain_loop import iterations_per_second
from bench.report import write_section

ROUNDS = 5
PLAIN_SECONDS = 0.5  # CPU seconds of the plain loop per round
CALL_SECONDS = 1.0  # the wall time one POST /step is sized to take
GOAL, AIM = 4.0, 2.0  # service ÷ plain loop, µs per iteration


@dataclass
class Service:
    """One tree's calls on one case: iterations per call, µs per iteration wall and CPU."""

    iterations: int = 0
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


@dataclass
class Results:
    """Per case, the plain loop's µs per iteration of each round and each tree's calls."""

    plain: dict[str, list[float]] = field(default_factory=dict)
    service: dict[tuple[str, str], Service] = field(default_factory=dict)  # (tree, case)


def timed_step(server: Server, job_id: str, iterations: int) -> tuple[float, float]:
    """One POST /step of `iterations`: (wall µs, server CPU µs) per iteration."""
    cpu, began = cpu_seconds(server.process.pid), time.perf_counter()
    step(server, job_id, iterations)
    wall = time.perf_counter() - began
    return 1e6 * wall / iterations, 1e6 * (cpu_seconds(server.process.pid) - cpu) / iterations


def sized(server: Server, job_id: str) -> int:
    """Iterations for one call of about CALL_SECONDS, from a warm-up step and a probe."""
    step(server, job_id, WARM_ITERATIONS)  # first use: compiling, caches
    wall, _ = timed_step(server, job_id, WARM_ITERATIONS)
    most = limit(server, "max_step_iterations")
    return max(WARM_ITERATIONS, min(most, int(round(CALL_SECONDS * 1e6 / wall, -3))))


def measure(trees: list[Tree]) -> Results:
    """ROUNDS rounds; in each, per case, the plain loop then every server (order alternating)."""
    out = Results(plain={case: [] for case in CASES})
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(serve(tree.path)) for tree in trees]
        jobs: dict[tuple[str, str], str] = {}
        for tree, server in zip(trees, servers, strict=True):
            for case in CASES:
                (jobs[tree.label, case],) = create(server, [case_spec(case, start="paused")])
                calls = Service(sized(server, jobs[tree.label, case]))
                out.service[tree.label, case] = calls
                print(f"-- {tree.name}, {case}: {calls.iterations:,} iterations a call", flush=True)
        pairs = list(zip(trees, servers, strict=True))
        for r in range(ROUNDS):
            for case, (_, _, batch) in CASES.items():
                out.plain[case].append(1e6 / iterations_per_second(case, batch, PLAIN_SECONDS))
                for tree, server in pairs if r % 2 == 0 else pairs[::-1]:
                    calls = out.service[tree.label, case]
                    wall, cpu = timed_step(server, jobs[tree.label, case], calls.iterations)
                    calls.wall.append(wall)
                    calls.cpu.append(cpu)
            print(f"-- round {r + 1} of {ROUNDS} done", flush=True)
    return out


def _us(values: list[float]) -> str:
    """The median µs, with the rounds' range."""
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def report(trees: list[Tree], results: Results, load: str) -> str:
    """The markdown section: one row per case, the plain loop and each tree's service."""
    head = ["network, batch", "plain loop µs/it"]
    for tree in trees:
        head += [f"{tree.name}: service µs/it", "server CPU µs/it", "service ÷ plain"]
    lines = [
        "## Per core: the service against a plain compiled loop",
        "",
        *measured_on(trees, load),
        "",
        "The article's step (sigmoid, ½ Σ (y − t)², consecutive mini-batches, α 0.5, no "
        "shuffling). Service: one paused job per case, `POST /api/jobs/{id}/step` with "
        '`{"iterations": N}` timed wall clock from this client (the server\'s CPU time over '
        "the call beside it; each call ends with the job's checkpoint into SQLite). Plain loop: "
        "bench/plain_loop.py, one sample at a time, no trace, no checks, this process's CPU "
        f"time over {PLAIN_SECONDS} s. The two alternate, {ROUNDS} rounds; medians, the rounds' "
        f"range in brackets. Goal: service ≤ {GOAL:.0f}× the loop (aim {AIM:.0f}×).",
        "",
        "| " + " | ".join(head) + " |",
        "|---|" + "--:|" * (len(head) - 1),
    ]
    for case, (_, _, batch) in CASES.items():
        plain = statistics.median(results.plain[case])
        row = [f"{case}, batch {batch}", _us(results.plain[case])]
        for tree in trees:
            calls = results.service[tree.label, case]
            ratio = statistics.median(calls.wall) / plain
            row += [_us(calls.wall), _us(calls.cpu), f"{ratio:.1f}×"]
        lines.append("| " + " | ".join(row) + " |")
    lines += ["", "Reading:", ""]
    for tree in trees:
        lines.append(f"- **{tree.name}**: " + "; ".join(_verdict(tree, results)) + ".")
    return "\n".join(lines)


def _verdict(tree: Tree, results: Results) -> list[str]:
    out = []
    for case in CASES:
        calls = results.service[tree.label, case]
        ratio = statistics.median(calls.wall) / statistics.median(results.plain[case])
        met = "met" if ratio <= GOAL else "**not met**"
        aim = ", within the aim" if ratio <= AIM else ""
        out.append(
            f"{case}: {ratio:.1f}× the loop in {calls.iterations:,}-iteration calls, goal "
            f"≤ {GOAL:.0f}× {met}{aim}"
        )
    return out


def main(argv: Sequence[str] | None = None) -> None:
    chosen: Options = options("python -m bench.per_core", __doc__, argv)
    load = load_average()
    results = measure(chosen.trees)
    section = report(chosen.trees, results, load)
    print(section, flush=True)
    if chosen.docs:
        write_section("per_core", section)


if __name__ == "__main__":
    main(sys.argv[1:])
