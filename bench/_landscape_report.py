"""What bench/landscape.py measured, and its section of docs/benchmarks.md."""

from __future__ import annotations

import datetime
import os
import platform
from dataclasses import dataclass, field
from importlib.metadata import version

from bench._runs_report import cpu_model, percentile

EXPENSIVE_WORK, EXPENSIVE_ROUNDS = 10**8, 3  # a case over so many values: in so many rounds only
QUICK = 0.01  # seconds: a case computed faster shows the request's own cost


@dataclass(frozen=True, slots=True)
class Case:
    """One landscape request: a network, a pair of parameters and a grid."""

    network: str  # the name of its row, e.g. "3-5-2, the article's 6 rows"
    pair: str  # which parameters, e.g. "W^L"
    a: str  # "layer,row,column", as the query takes it
    b: str
    grid: int
    work: int  # values computed (backend/jobs/landscape.work)


@dataclass
class Timings:
    """Seconds of each call of one case: over HTTP, in-process computed and then encoded."""

    http: list[float] = field(default_factory=list)
    compute: list[float] = field(default_factory=list)  # Job.landscape(), what the route calls
    encode: list[float] = field(default_factory=list)  # its dict as the route's JSON bytes
    http_bytes: int = 0
    local_bytes: int = 0
    path_points: int = 0


def _ms(values: list[float]) -> str:
    """Median / p90 in ms."""
    return " / ".join(_figure(percentile(values, q) * 1000) for q in (50, 90))


def _figure(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.3g}" if ms >= 1 else f"{ms:.2f}"


def _local(t: Timings) -> list[float]:
    """Each in-process call's seconds, computed and encoded."""
    return [c + e for c, e in zip(t.compute, t.encode, strict=True)]


def _row(case: Case, t: Timings) -> str:
    rest = percentile(t.http, 50) - percentile(_local(t), 50)
    share = percentile(t.compute, 50) / percentile(t.http, 50)
    cells = [
        case.network,
        f"{case.pair} (`a={case.a}&b={case.b}`)",
        str(case.grid),
        f"{case.work:.2g}",
        _ms(t.http),
        _ms(t.compute),
        f"{percentile(t.compute, 50) / case.work * 1e9:.3g}",
        _ms(t.encode),
        f"{rest * 1000:+.1f}",
        f"{share:.0%}",
        f"{t.http_bytes:,}",
        f"{len(t.http)} / {len(t.compute)}",
    ]
    return "| " + " | ".join(cells) + " |"


def report(
    cases: list[Case], results: dict[Case, Timings], load: str, rounds: int, commit: str
) -> str:
    """The markdown section."""
    points = sorted({results[c].path_points for c in cases})
    lines = [
        "## The loss landscape: `GET /api/jobs/{id}/landscape`",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, NumPy "
        f"{version('numpy')}, orjson {version('orjson')}, uvicorn {version('uvicorn')}, "
        f"FastAPI {version('fastapi')}, CPU {cpu_model()} ({os.cpu_count()} logical CPUs), load "
        f"average {load} at the start. Server: `{commit}`.",
        "",
        *METHOD,
        "",
        f"Rounds: {rounds} ({min(rounds, EXPENSIVE_ROUNDS)} for a case over "
        f"{EXPENSIVE_WORK:,} values, without a warm-up call); path points in the answers: "
        f"{', '.join(map(str, points))}.",
        "",
        "| network | parameters | grid | values computed | HTTP ms, median / p90 "
        "| in-process `Job.landscape()` ms | its ns per value | JSON encoding ms "
        "| HTTP − in-process, ms (medians) "
        "| computation's share of HTTP | JSON bytes | calls HTTP / in-process |",
        "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|",
        *[_row(case, results[case]) for case in cases],
        "",
        _fixed_cost(cases, results),
    ]
    return "\n".join(lines)


def _fixed_cost(cases: list[Case], results: dict[Case, Timings]) -> str:
    """What a request costs beyond its computation, from the cases that compute little."""
    quick = [results[c] for c in cases if percentile(results[c].compute, 50) < QUICK]
    rests = [percentile(t.http, 50) - percentile(_local(t), 50) for t in quick]
    if not rests:
        return f"No case computes in under {QUICK * 1000:.0f} ms."
    return (
        f"Beyond the computation, a request costs about {percentile(rests, 50) * 1000:.1f} ms "
        f"over HTTP (the median of HTTP − in-process over the {len(rests)} cases that "
        f"compute in under {QUICK * 1000:.0f} ms; range {min(rests) * 1000:.1f}–"
        f"{max(rests) * 1000:.1f} ms). On the longer cases both sides run the same computation: "
        "a difference there well over this is the shared machine's load varying between the "
        "calls (the p90s give the spread), not the transport."
    )


METHOD = [
    "Each network's job is created paused on `python -m backend`, a child process on 127.0.0.1 "
    "with a fresh SQLite file, and stepped (`POST /step`) so that its run has keyframes for the "
    "path; the same spec is built in this process as a `Job` (NumPy engine, workers without "
    "threads) and stepped as far. Networks: the article's 3-5-2 on its six rows (minibatches "
    "of 2, 20,000 iterations), 2-8-2 on 200 rows of `circle` (one-hot targets, batches of 10, "
    "20,000 iterations) and 2-64-64-2 on 1,000 rows of `circle` (batches of 10, 2,000 "
    "iterations); sigmoid, ½ Σ (y − t)², span 1. Parameters: *W^L* is the pair the page shows "
    "first (the last layer's w₁,₁ and w₁,₂), the fewest values; *W^1* two first-layer weights, "
    "the most (every layer after the first is recomputed on every setting). *values computed* "
    "is `work()` of backend/jobs/landscape.py, which the route bounds at 10^10; *ns per value* "
    "is the in-process median over it.",
    "",
    "*HTTP*: the client's wall clock for the whole answer over one keep-alive connection "
    "(httpx, body read, not parsed). *in-process*: `Job.landscape()` as the route calls it "
    "(weights and keyframes copied under the lock, the surface, the path), then the encoding "
    "of its dict by the route's `ArrayJSONResponse` (orjson) apart. *HTTP − in-process* is "
    "what the transport, FastAPI (query checks, the thread pool) and uvicorn add. Every round "
    "runs every case in a new shuffled order, HTTP and in-process in turn (which first "
    "alternating); in a round each case is called repeatedly for about 0.3 s (once at least, "
    "20 times at most). One warm-up call of each case before the rounds is not counted. "
    "Medians and p90 (nearest rank) over every call.",
]
