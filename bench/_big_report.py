"""bench/big_network.py's section of docs/benchmarks.md, from what it measured on each tree."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
from importlib.metadata import version
from typing import Any

from bench._runs_report import cpu_model, percentile

RATE_GOAL = 0.5  # of the quiet rate, kept with one viewer
HEALTH_GOAL = 0.1  # seconds: health p99 with one viewer
WHY = (
    "- Why: a full frame of this network (every weight and ∂ℓ/∂W as JSON) is encoded by the "
    "job's thread, and orjson holds the GIL for the whole of it; the snapshot and the bulk reads "
    "did the same in a request's thread. Cut to what the page draws (the first 64 neurons a "
    "layer, 64 samples a batch), a frame is a few hundred KB; every array in full comes as "
    "float32/64 bytes (`?format=f32`: NumPy copies, no work per number), and the export, still "
    "every float64 as JSON, is encoded in pieces of 32,768 numbers as it is sent, so the event "
    "loop runs between them."
)


def _ms(value: float) -> str:
    return f"{value * 1000:.0f}"


def _health(lat: list[float | None]) -> str:
    ok = [x for x in lat if x is not None]
    if not ok:
        return "no answer"
    p50, p99 = percentile(ok, 50), percentile(ok, 99)
    return f"{_ms(p50)} / {_ms(p99)} / {_ms(max(ok))} ms ({len(ok)}, {len(lat) - len(ok)} failed)"


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def _read(entry: dict[str, Any] | None) -> str:
    if entry is None or entry["status"] != 200:
        return "—" if entry is None or not entry["status"] else f"({entry['status']})"
    return f"{entry['bytes']:,} B, {entry['seconds']:.2f} s, health ≤ {_ms(entry['health_max'])} ms"


def report(results: dict[str, dict[str, Any]], layers: list[int], window: float) -> str:
    """The markdown section."""
    names = list(results)
    head = "| measure | " + " | ".join(names) + " |"
    rule = "|---|" + "--:|" * len(names)

    def row(label: str, cells: list[str]) -> str:
        return f"| {label} | " + " | ".join(cells) + " |"

    r = list(results.values())
    for x in r:  # the rate over the rounds
        for part in ("quiet", "viewed"):
            rates = x[part]["rate"]
            x[part]["rate"] = statistics.mean(rates) if isinstance(rates, list) else rates
    frame = [statistics.mean(x["viewed"]["frame_bytes"] or [0]) for x in r]
    lines = [
        "## The largest network, one viewer",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, NumPy "
        f"{version('numpy')}, orjson {version('orjson')}, uvicorn {version('uvicorn')}, "
        f"CPU {cpu_model()} ({os.cpu_count()} logical CPUs), load average "
        f"{' '.join(f'{x:.2f}' for x in os.getloadavg())} at the end. Servers (`python -m "
        "backend` from each source tree, in turn):",
        "",
        *[f"- **{name}**: `{x['commit']}`" for name, x in results.items()],
        "",
        f"A {'-'.join(map(str, layers))} job (1,977,998 weights and biases, the most a job may "
        "have) on the article's six rows in minibatches of 2, unpaced. `GET /api/health` every "
        f"20 ms from another process; rates over {window:.0f} s. The viewer, in a process of its "
        "own, asks what the page asks for (30 fps, full detail) and reads every message; a window "
        "without and one with the viewer, in turn, twice (rates: the mean of the two).",
        "",
        head,
        rule,
        row("training, no viewer", [f"{x['quiet']['rate']:.1f} it/s" for x in r]),
        row("training, one viewer", [f"{x['viewed']['rate']:.1f} it/s" for x in r]),
        row(
            "kept with one viewer (≥ 50 %)",
            [f"{x['viewed']['rate'] / x['quiet']['rate']:.0%}" for x in r],
        ),
        row(
            "frames the viewer got",
            [f"{x['viewed']['frames'] / x['viewed']['seconds']:.1f} a second" for x in r],
        ),
        row("one frame (mean)", [f"{b:,.0f} B" for b in frame]),
        row("health p50 / p99 / max, no viewer", [_health(x["quiet"]["health"]) for x in r]),
        row("health p50 / p99 / max, one viewer", [_health(x["viewed"]["health"]) for x in r]),
        "",
        "Each read alone (the job training, no viewer): the body's bytes, the time to its last "
        "byte, and the slowest health answer meanwhile; — where the server has no such read.",
        "",
        head,
        rule,
        *[row(name, [_read(x["reads"].get(name)) for x in r]) for name in r[0]["reads"]],
        "",
        "Reading:",
        "",
    ]
    for name, x in results.items():
        kept = x["viewed"]["rate"] / x["quiet"]["rate"]
        size = statistics.mean(x["viewed"]["frame_bytes"] or [0])
        ok = [v for v in x["viewed"]["health"] if v is not None]
        p99 = percentile(ok, 99) if ok else float("inf")
        lines.append(
            f"- **{name}**: one viewer keeps {kept:.0%} of the training rate (≥ 50 %: "
            f"{_met(kept >= RATE_GOAL)}) and health p99 is {_ms(p99)} ms (< 100 ms: "
            f"{_met(p99 < HEALTH_GOAL)}); a frame is {size:,.0f} B, "
            f"the snapshot {x['reads']['snapshot']['bytes']:,} B."
        )
    lines.append(WHY)
    return "\n".join(lines)
