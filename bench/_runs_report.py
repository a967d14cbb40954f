"""What bench/runs.py measured on each tree, and its section of docs/benchmarks.md."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path

from bench._runs_results import TreeResult

MIB = 1024 * 1024
SNAPSHOT_GOAL = 256 * 1024  # bytes, at any length, for a small network
FLAT_GOAL = 2 * MIB  # RSS growth of one job from 10^4 to 10^6 iterations that counts as flat
STALL_GOAL = 40_000_000  # bytes: what 10 viewers that never read may cost in all
REPLAY_GOAL = 1.0  # seconds, any iteration of a 10^6-iteration small-network run
SMALL = 10_000  # parameters of a network that counts as small for the replay goal


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), nearest-rank."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(1, int(-(-len(ordered) * q // 100))) - 1]


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _mib(value: int) -> str:
    return f"{value / MIB:+.1f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.3g}×" if b else "–"


def report(results: list[TreeResult], load: str) -> str:
    """The markdown section."""
    names = [r.label for r in results]
    head = "| " + " | ".join(names) + " |"
    lines = [
        "## Long runs: snapshot, memory, viewers, replay",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, NumPy "
        f"{version('numpy')}, uvicorn {version('uvicorn')}, websockets {version('websockets')}, "
        f"CPU {cpu_model()} ({os.cpu_count()} logical CPUs), load average {load} at the start. "
        "Servers:",
        "",
        *[f"- **{r.label}**: `{r.commit}`" for r in results],
        "",
        *METHOD,
        "",
        "Growth: the snapshot (the stream's first message) of the 3-5-2 job, and the server's "
        "RSS with one such job, over its RSS at iteration 0 (the job created: "
        + ", ".join(f"{r.label} {_mib(r.growth.rss[0] - r.growth.baseline)} MiB" for r in results)
        + "). One viewer's time until its snapshot had arrived in brackets.",
        "",
        "| iterations | "
        + " | ".join(f"snapshot bytes, {n}" for n in names)
        + " | "
        + " | ".join(f"RSS over iteration 0, MiB, {n}" for n in names)
        + " |",
        "|--:|" + "--:|" * (2 * len(results)),
    ]
    for length in results[0].growth.rss:
        cells = [
            f"{r.growth.snapshot[length][0]:,} ({r.growth.snapshot[length][1] * 1000:.0f} ms)"
            for r in results
        ]
        cells += [_mib(r.growth.rss[length] - r.growth.rss[0]) for r in results]
        lines.append(f"| {length:,} | " + " | ".join(cells) + " |")
    lines += ["", *_stall_table(results, head), "", *_crowd_table(results, head)]
    lines += ["", *_replay_table(results), "", *_reading(results)]
    return "\n".join(lines)


METHOD = [
    "Each server is `python -m backend` from the commit named above, a child process on "
    "127.0.0.1 with its own SQLite file; the same Python and libraries serve both, and every "
    "measurement runs on one server and then on the other. The 3-5-2 job is the article's "
    "(sigmoid, ½ Σ (y − t)², α = 0.5, minibatches of 2) on the article's six rows repeated "
    "eight times as inline data: the old limits (10^5 epochs) stop the six rows at 6·10^5 "
    "iterations. Jobs are trained while paused with `POST /step` of 10^5 iterations at a time "
    "(unpaced). RSS is VmRSS of the server process. Viewers are raw WebSocket clients in "
    "another process that count a message's bytes without keeping them.",
]


def _crowd_table(results: list[TreeResult], head: str) -> list[str]:
    c0, length = results[0].crowd, max(results[0].growth.rss)
    rows = [
        f"{c0.viewers} viewers connect at once to the growth's second job (paused at {length:,} "
        "iterations) and read their snapshots; `GET /api/health` every 15 ms meanwhile from a "
        "third process, over one connection (the answers to requests sent until the last "
        "snapshot had arrived: when that is soon, p99 is the slowest of a few).",
        "",
        "| measure " + head,
        "|---|" + "--:|" * len(results),
    ]
    cells: dict[str, list[str]] = {}
    for r in results:
        c = r.crowd
        lat = [x * 1000 for x in c.health]
        done = max(c.seconds) if c.seconds else float("nan")
        for key, value in (
            ("snapshot bytes each", f"{max(c.bytes, default=0):,}"),
            ("viewers with their snapshot / failed", f"{len(c.bytes)} / {c.failed}"),
            (
                "time until all had it (median)",
                f"{done:.2f} s ({statistics.median(c.seconds) if c.seconds else 0:.2f} s)",
            ),
            (
                "server RSS before → peak → after, MiB",
                f"{c.rss_before / MIB:.0f} → {c.rss_peak / MIB:.0f} → {c.rss_after / MIB:.0f}",
            ),
            ("peak over before", f"{_mib(c.rss_peak - c.rss_before)} MiB"),
            (
                "`/api/health` p50 / p99 / max",
                f"{percentile(lat, 50):.1f} / {percentile(lat, 99):.1f} / "
                f"{max(lat, default=float('nan')):.1f} ms ({len(lat)} answers, "
                f"{c.health_failed} failed)",
            ),
        ):
            cells.setdefault(key, []).append(value)
    rows += [f"| {key} | " + " | ".join(values) + " |" for key, values in cells.items()]
    return rows


def _stall_table(results: list[TreeResult], head: str) -> list[str]:
    s0, length = results[0].stall, max(results[0].growth.rss)
    rows = [
        f"{s0.viewers} viewers that connect and never read (a 4 KiB receive buffer), for "
        f"{s0.seconds:.0f} s, on the growth's first job, resumed at {length:,} iterations and "
        f"running at 10,000 it/s; before them, {s0.seconds:.0f} s of the same job without "
        "viewers. Their cost is the RSS change with them less the change without.",
        "",
        "| measure " + head,
        "|---|" + "--:|" * len(results),
    ]
    cells: dict[str, list[str]] = {}
    for r in results:
        s = r.stall
        cost = s.stalled - s.quiet
        for key, value in (
            ("job's iteration as they connected", f"{s.iteration:,}"),
            ("viewers connected", f"{s.connected} of {s.viewers}"),
            ("RSS change without viewers", f"{_mib(s.quiet)} MiB"),
            ("RSS change with them (peak)", f"{_mib(s.stalled)} MiB ({_mib(s.peak)})"),
            ("their cost", f"{_mib(cost)} MiB; < 40 MB: {_met(cost < STALL_GOAL)}"),
            ("RSS 3 s after they closed, over before them", f"{_mib(s.after_close)} MiB"),
        ):
            cells.setdefault(key, []).append(value)
    rows += [f"| {key} | " + " | ".join(values) + " |" for key, values in cells.items()]
    return rows


def _replay_table(results: list[TreeResult]) -> list[str]:
    rows = [
        "Replay: `GET /api/jobs/{id}/trace?iteration=N` for random N in 1..(run length), "
        "each answer checked to be that iteration's frame; latency to the answer's last byte. "
        "The server does not show its keyframe spacing; *spacing* is what the backend's rule at "
        "the commit measured gives (a keyframe every s iterations, s a power of two from 64, "
        "doubled while more than C = min(256, 32 MiB ÷ one keyframe's bytes) would be kept): "
        "a replay re-runs fewer than s iterations. Servers without replay: "
        + (", ".join(r.label for r in results if r.replay is None) or "none")
        + ".",
    ]
    if all(r.replay is None for r in results):
        return rows
    rows += [
        "",
        "| server | network | parameters | run length | spacing | requests (wrong) | median "
        "| max | largest answer | goal |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for r in results:
        for p in r.replay or []:
            worst = max(p.seconds, default=float("nan"))
            goal = "—"
            params = parameters(p.layers)
            if p.iterations >= 1_000_000 and params <= SMALL:
                goal = f"< {REPLAY_GOAL:.0f} s: {_met(worst < REPLAY_GOAL)}"
            rows.append(
                f"| {r.label} | {p.network} | {params:,} | {p.iterations:,} "
                f"| {spacing(params, p.iterations):,} | {len(p.seconds)} ({p.wrong}) "
                f"| {statistics.median(p.seconds) * 1000:.0f} ms | {worst * 1000:.0f} ms "
                f"| {p.bytes:,} B | {goal} |"
            )
    return rows


def parameters(layers: list[int]) -> int:
    """Weights and biases of a network with these layer widths."""
    return sum((a + 1) * b for a, b in pairwise(layers))


def spacing(params: int, iterations: int) -> int:
    """The keyframe spacing after `iterations`, by the backend's rule (backend/jobs/keyframes)."""
    capacity = max(4, min(256, 32 * MIB // (8 * params + 512)))
    step = 64
    while iterations // step + 1 > capacity:
        step *= 2
    return step


def _reading(results: list[TreeResult]) -> list[str]:
    """Each server's figures against the issue's goals, in a few sentences."""
    out = ["Reading:", ""]
    for r in results:
        g, c, s = r.growth, r.crowd, r.stall
        top = max(size for size, _ in g.snapshot.values())
        flat = g.rss[max(g.rss)] - g.rss[min(k for k in g.rss if k)]
        cost = s.stalled - s.quiet
        low, high = min(k for k in g.rss if k), max(g.rss)
        per_snapshot = (g.snapshot[high][0] - g.snapshot[low][0]) / (high - low)
        per_rss = (g.rss[high] - g.rss[low]) / (high - low)
        text = (
            f"- **{r.label}**: from {low:,} to {high:,} iterations the snapshot grows by "
            f"{per_snapshot:.2f} bytes an iteration and the RSS by {per_rss:.2f}; "
            f"the snapshot is {top:,} bytes at most "
            f"(< 256 KiB at any length: {_met(top < SNAPSHOT_GOAL)}); one job's RSS grows "
            f"{_mib(flat)} MiB from {low:,} to {high:,} iterations (flat, < 2 MiB: "
            f"{_met(flat < FLAT_GOAL)}); {c.viewers} viewers had their snapshots after "
            f"{max(c.seconds, default=float('nan')):.1f} s with the RSS peaking "
            f"{_mib(c.rss_peak - c.rss_before)} MiB over its start and `/api/health` p99 at "
            f"{percentile(c.health, 99) * 1000:.0f} ms; {s.viewers} viewers that never read "
            f"cost {_mib(cost)} MiB (< 40 MB: {_met(cost < STALL_GOAL)})"
        )
        for p in r.replay or []:
            if p.seconds and p.iterations >= 1_000_000 and parameters(p.layers) <= SMALL:
                worst = max(p.seconds)
                text += (
                    f"; replaying an iteration of the {p.iterations:,}-iteration {p.network} run "
                    f"took {statistics.median(p.seconds) * 1000:.0f} ms median, "
                    f"{worst * 1000:.0f} ms at most (< 1 s: {_met(worst < REPLAY_GOAL)})"
                )
        out.append(text + ".")
    if len(results) == 2:
        (a, b) = results
        big = max(a.growth.rss)
        ca, cb = a.crowd, b.crowd
        out += [
            "",
            f"{a.label} ÷ {b.label}: the snapshot at {big:,} iterations "
            f"{_ratio(a.growth.snapshot[big][0], b.growth.snapshot[big][0])}, the time until "
            f"{ca.viewers} viewers had it "
            f"{_ratio(max(ca.seconds, default=0), max(cb.seconds, default=0))}, their RSS peak "
            f"over the start {_ratio(ca.rss_peak - ca.rss_before, cb.rss_peak - cb.rss_before)}, "
            "`/api/health` p99 meanwhile "
            f"{_ratio(percentile(ca.health, 99), percentile(cb.health, 99))}.",
        ]
    return out
