"""What bench/load.py measured on each tree, and its section of docs/benchmarks.md."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from importlib.metadata import version
from itertools import pairwise
from typing import Any

from bench._runs_report import percentile
from bench._trees import Tree, measured_on

MIB = 1024 * 1024


@dataclass(frozen=True)
class Setup:
    """The load's constants: jobs, viewers and their fps, window and warm-up, health, slices."""

    jobs: int
    viewers: int
    fps: int
    seconds: float
    warmup: float
    health_interval: float
    slice: float
    goal_p99: float  # seconds


@dataclass
class Slice:
    """One slice boundary: seconds into the window, each job's (iteration, read at), the
    server's CPU seconds, the machine's busy CPU seconds and the server's RSS, bytes."""

    at: float
    counters: list[tuple[int, float]]
    cpu: float
    busy: float
    rss: int


@dataclass
class Run:
    """Everything one tree's window measured."""

    tree: Tree
    specs: list[dict[str, Any]]
    slices: list[Slice]
    viewers: dict[str, Any]
    health: dict[str, Any]
    statuses: list[str]

    def per_slice(self, job: int) -> list[int]:
        """The iterations job `job` made in each slice."""
        return [b.counters[job][0] - a.counters[job][0] for a, b in pairwise(self.slices)]

    def rate(self, job: int) -> float:
        """Job `job`'s iterations per second over the window."""
        (a, ta), (b, tb) = self.slices[0].counters[job], self.slices[-1].counters[job]
        return (b - a) / (tb - ta)

    def progressing(self) -> int:
        """The jobs that made iterations in every slice."""
        return sum(1 for j in range(len(self.specs)) if min(self.per_slice(j)) > 0)

    def latencies(self) -> list[float]:
        """The health answers' latencies, ms."""
        return [x * 1000 for x in self.health["latencies"]]


def _health(run: Run, setup: Setup) -> str:
    lat = run.latencies()
    if not lat:
        return f"none answered, {run.health['failed']} failed"
    over = sum(1 for x in lat if x > setup.goal_p99 * 1000)
    return (
        f"{percentile(lat, 50):.1f} / {percentile(lat, 99):.1f} / {max(lat):.1f} ms "
        f"({len(lat):,} answers, {over} over {setup.goal_p99 * 1000:.0f} ms, "
        f"{run.health['failed']} failed)"
    )


def _rows(run: Run, setup: Setup) -> list[str]:
    """The summary table's cells of one run, in the order of ROWS."""
    s, v = run.slices, run.viewers
    elapsed = s[-1].at - s[0].at
    fps = [f / setup.seconds for f in v["frames_per_viewer"]] or [0.0]
    done = sum(c[0] for c in s[-1].counters) - sum(c[0] for c in s[0].counters)
    return [
        f"{run.progressing()} of {len(run.specs)}",
        _health(run, setup),
        f"{v['frames'] / setup.seconds:,.0f}/s in all; per viewer {statistics.median(fps):.1f}/s "
        f"median, {min(fps):.1f}–{max(fps):.1f}",
        f"{v['messages'] / setup.seconds:,.0f} messages/s, "
        f"{v['bytes'] / setup.seconds / 1e6:.1f} MB/s",
        f"{v['connected']} / {v['failed']} / {v['closed_early']}",
        f"{(s[-1].cpu - s[0].cpu) / elapsed:.2f} / {v['cpu_seconds'] / setup.seconds:.2f} / "
        f"{(s[-1].busy - s[0].busy) / elapsed:.2f}",
        f"{s[0].rss / MIB:.0f} → {s[-1].rss / MIB:.0f} MiB",
        f"{done:,} ({done / elapsed:,.0f} it/s)",
    ]


def _measures(setup: Setup) -> list[str]:
    return [
        f"jobs that made progress in every {setup.slice:.0f} s slice (goal: all)",
        f"`/api/health` latency p50 / p99 / max (goal: p99 < {setup.goal_p99 * 1000:.0f} ms)",
        "frames delivered",
        "messages and bytes delivered",
        "viewers connected / failed / closed during the window",
        "CPU-s/s: server process / viewers' process / whole machine",
        "server RSS, window start → end",
        "iterations, all jobs, in the window",
    ]


def _job_table(runs: list[Run], setup: Setup) -> list[str]:
    head = ["#", "data set", "network", "output, loss"]
    for run in runs:
        head += [f"{run.tree.name}: it/s", "slowest slice it/s", "status at the end"]
    lines = ["| " + " | ".join(head) + " |", "|--:|---|---|---|" + "--:|--:|---|" * len(runs)]
    for j, spec in enumerate(runs[0].specs):
        net, training = spec["network"], spec["training"]
        row = [
            str(j + 1),
            spec["dataset"]["name"],
            f"{'-'.join(map(str, net['layers']))} {net['activation']}",
            f"{net['output_activation']}, {training['loss']}, batch {training['batch_size']}",
        ]
        for run in runs:
            slowest = min(run.per_slice(j)) / setup.slice
            row += [f"{run.rate(j):,.0f}", f"{slowest:,.0f}", run.statuses[j]]
        lines.append("| " + " | ".join(row) + " |")
    return lines


def _verdict(run: Run, setup: Setup) -> str:
    lat = run.latencies()
    p99 = percentile(lat, 99) if lat else float("inf")
    progress = run.progressing() == len(run.specs)
    return (
        f"- **{run.tree.name}**: health p99 {p99:.1f} ms, goal < {setup.goal_p99 * 1000:.0f} "
        f"ms {'met' if p99 < setup.goal_p99 * 1000 else '**not met**'}; "
        f"{run.progressing()} of {len(run.specs)} jobs progressed in every "
        f"{setup.slice:.0f} s slice, goal all {'met' if progress else '**not met**'}."
    )


def report(runs: list[Run], setup: Setup, load: str) -> str:
    """The markdown section: a summary table and a per-job table, a column group per tree."""
    trees = [run.tree for run in runs]
    cells = [_rows(run, setup) for run in runs]
    lines = [
        "## Load: 8 unpaced jobs, 200 viewers, health",
        "",
        *measured_on(trees, load),
        "",
        f"uvicorn {version('uvicorn')}, websockets {version('websockets')}, httpx "
        f"{version('httpx')}. {setup.jobs} jobs train unpaced (speed null) at once on the "
        "server, small networks on every kind of data set (table below; the 2-D sets: 500 "
        f"samples, a fifth held out). {setup.viewers} viewers, "
        f"{setup.viewers // setup.jobs} per job, each asking for {setup.fps} full frames a "
        "second, run in a second process (asyncio + websockets) and read every message; a "
        f"third process sends `GET /api/health` every {setup.health_interval * 1000:.0f} ms "
        "over one kept-alive connection. Each job's iteration is read (`GET /api/jobs/{id}`) "
        f"every {setup.slice:.0f} s of a {setup.seconds:.0f} s window, after a "
        f"{setup.warmup:.0f} s warm-up; the servers' windows run one after another.",
        "",
        "| measure | " + " | ".join(tree.name for tree in trees) + " |",
        "|---|" + "---|" * len(runs),
    ]
    for i, measure in enumerate(_measures(setup)):
        lines.append(f"| {measure} | " + " | ".join(c[i] for c in cells) + " |")
    lines += [
        "",
        "Per job (it/s over the window; the slowest slice: the fewest iterations made in one "
        f"{setup.slice:.0f} s slice, per second):",
        "",
        *_job_table(runs, setup),
        "",
        "Reading:",
        "",
        *[_verdict(run, setup) for run in runs],
    ]
    return "\n".join(lines)
