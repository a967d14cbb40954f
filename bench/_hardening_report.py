"""bench/hardening.py's section of docs/benchmarks.md."""

from __future__ import annotations

import datetime
import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.hardening import Result

HEALTH_GOAL = 300.0  # ms: health while a maximal body is parsed


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), nearest rank; NaN when there are none."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[max(1, int(-(-len(ordered) * q // 100))) - 1]


def summary(seconds: list[float], failed: int) -> str:
    """p50 / p99 / max in ms, with the count of answers and failures."""
    ms = [s * 1000 for s in seconds]
    if not ms:
        return f"none answered, {failed} failed"
    figures = " / ".join(
        f"{x:.1f}" for x in (percentile(ms, 50), percentile(ms, 99), max(ms, default=float("nan")))
    )
    return f"{figures} ms ({len(ms)} answered, {failed} failed)"


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def report(results: list[Result], columns: int, load: str) -> str:
    names = [r.tree.label for r in results]
    lines = [
        "## Hardening: half-sent requests and maximal bodies",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, uvicorn "
        f"{version('uvicorn')}, FastAPI {version('fastapi')}, pydantic {version('pydantic')}, "
        f"CPU {cpu_model()} ({os.cpu_count()} logical CPUs), load average {load} at the start. "
        "Servers:",
        "",
        *[f"- **{r.tree.label}**: `{r.tree.commit}`" for r in results],
        "",
        "Flood: the server may open 1,024 files; 2,000 connections each send half a request "
        "head (`GET /api/health HTTP/1.1`, `Host`, no blank line) and wait. `GET /api/health` "
        "every 50 ms on a new connection, 1 s timeout (a failure: refused, reset or no answer "
        "in 1 s). Open file descriptors of the server from /proc/<pid>/fd.",
        "",
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "--:|" * len(results),
    ]
    rows: dict[str, list[str]] = {}
    for r in results:
        opened, settled, end = r.windows
        cells = {
            "open fds: before / flood open / 14 s later": (
                f"{r.fds['before']:,} / {r.fds['open']:,} / {r.fds['after']:,}"
            ),
            "flood connections opened (not opened) / closed by the server": (
                f"{r.flood_open:,} ({r.flood_refused:,}) / {r.flood_closed:,}"
            ),
            "health while the flood is open (first 9 s)": summary(
                r.held.between(opened, opened + 9.0), r.held.failed_between(opened, opened + 9.0)
            ),
            "health 12–14 s after the flood opened": summary(
                r.held.between(settled, end), r.held.failed_between(settled, end)
            ),
        }
        for key, value in cells.items():
            rows.setdefault(key, []).append(value)
    lines += [f"| {key} | " + " | ".join(values) + " |" for key, values in rows.items()]
    lines += [
        "",
        f"Bodies: `POST /api/jobs` with an inline data set of 10,000 rows × {columns} inputs "
        "(6 decimals; the body just under the 16 MiB bound), then `POST /predict` with 10,000 × "
        "300 inputs (2 decimals). `GET /api/health` every 10 ms on new connections meanwhile "
        f"(goal: under {HEALTH_GOAL:.0f} ms).",
        "",
        "| measure | " + " | ".join(names) + " |",
        "|---|" + "--:|" * len(results),
    ]
    rows = {}
    for r in results:
        for name, (status, size, seconds, probes) in r.bodies.items():
            latencies = [latency for _, latency in probes.answers]
            rows.setdefault(
                f"{name}: {size / 2**20:.1f} MiB body, answered {status} in", []
            ).append(f"{seconds:.2f} s")
            rows.setdefault(f"{name}: health p50 / p99 / max meanwhile", []).append(
                summary(latencies, len(probes.failures))
            )
    lines += [f"| {key} | " + " | ".join(values) + " |" for key, values in rows.items()]
    return "\n".join([*lines, "", *reading(results)])


def worst(probes_list: list[float], failed: int) -> float:
    """The slowest health answer in ms; infinite if any failed."""
    return float("inf") if failed else max((x * 1000 for x in probes_list), default=float("nan"))


def reading(results: list[Result]) -> list[str]:
    """What the figures say, goal by goal, per server."""
    lines = ["Reading:", ""]
    for r in results:
        opened, _, end = r.windows
        flood_failed = r.held.failed_between(opened, end)
        bodies = {
            name: worst([latency for _, latency in probes.answers], len(probes.failures))
            for name, (_, _, _, probes) in r.bodies.items()
        }
        met = [name for name, ms in bodies.items() if ms < HEALTH_GOAL]
        missed = [f"{name} ({ms:.0f} ms)" for name, ms in bodies.items() if ms >= HEALTH_GOAL]
        lines.append(
            f"- **{r.tree.label}**: during the flood health "
            + ("never failed" if not flood_failed else f"failed {flood_failed} times")
            + f", and the server closed {r.flood_closed:,} of {r.flood_open:,} half-sent "
            f"connections; health stayed under {HEALTH_GOAL:.0f} ms during "
            + (", ".join(met) or "none of the bodies")
            + ("" if not missed else "; not during " + ", ".join(missed))
            + "."
        )
    lines += [
        "",
        "The body is decoded and validated in a worker thread after the change; what still "
        "holds the GIL for long is work done in one C call: pydantic's validation of the rows "
        "(about 0.1 s per 1.5 million numbers), NumPy's conversion of them, the answer to a "
        "create (it carries the spec back, serialized on the event loop). The store writes "
        "the spec's JSON made once per spec with orjson (json.dumps of a 16 MiB spec at every "
        "checkpoint held the GIL about 0.6 s before the change). A request "
        "takes longer to be answered after the change: the decoder calls a Python function "
        "per number, and it hands the GIL to the event loop, which answers health meanwhile.",
    ]
    return lines
