"""Load: 20 jobs training at once, 200 viewers, and a health check, on a real uvicorn server.

The server runs in this process on 127.0.0.1 (its event loop and the 20 jobs' threads, with
``Limits(max_running_jobs=20)``: the default allows 8). Small networks on every kind of data
set, half of them unpaced and half paced; 200 viewers, 10 per job, each asking for 30 full
frames a second, run in a second process (asyncio + websockets); a third process sends
``GET /api/health`` every 50 ms over one kept-alive connection. After a warm-up, a window of
60 s is measured: each job's iterations every second (does every job keep making progress?),
the health answers' latency, the server's resident memory every second (is it flat, once the
loss histories' own growth is set aside?) and the frames the viewers received. Everything
stops by itself at the end of the window. Results are printed as markdown and written to
docs/benchmarks.md between this benchmark's markers.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from importlib.metadata import version
from itertools import pairwise
from pathlib import Path
from typing import Any

from backend.api.app import create_app
from backend.api.schemas.spec import JobSpec
from backend.config import Settings
from backend.jobs.job import Job
from backend.jobs.limits import Limits
from bench.report import write_section
from tests.server import LiveServer, live_server

from .stream import cpu_model

JOBS = 20
VIEWERS = 200
FPS = 30
SECONDS = 60.0  # the measured window
WARMUP = 10.0  # viewers connect (one every 20 ms) and the jobs settle before the window
HEALTH_INTERVAL = 0.05
SLICE = 10.0  # seconds: "keeps making progress" means some in every slice of this length
SAMPLE = 1.0  # seconds between two samples of iterations and memory
TIMEOUT = SECONDS + WARMUP + 60.0  # the clients must have reported by then
GOAL_P99 = 0.100  # seconds
GOAL_FLAT = 16 * 1024 * 1024  # bytes of growth beyond the loss histories' own

# (data set, layers, output activation, loss, speed in it/s or None for unpaced), used twice.
KINDS: list[tuple[str, list[int], str, str, float | None]] = [
    ("article", [3, 5, 2], "sigmoid", "half_sse", 500.0),
    ("figure2", [1, 4, 1], "sigmoid", "half_sse", None),
    ("circle", [2, 8, 1], "sigmoid", "cross_entropy", None),
    ("xor", [2, 4, 1], "sigmoid", "half_sse", 1000.0),
    ("gauss", [2, 6, 1], "sigmoid", "cross_entropy", None),
    ("spiral", [2, 8, 8, 1], "sigmoid", "half_sse", 300.0),
    ("plane", [2, 4, 1], "linear", "mse", None),
    ("multi_gauss", [2, 8, 1], "linear", "mse", 200.0),
    ("xor", [2, 6, 2], "softmax", "cross_entropy", None),
    ("spiral", [2, 16, 16, 1], "tanh", "half_sse", 2000.0),
]


def specs() -> list[dict[str, Any]]:
    """JOBS job specs, running at once, each with as many iterations as the limits allow."""
    out = []
    for i in range(JOBS):
        name, layers, output, loss, speed = KINDS[i % len(KINDS)]
        fixed = name in ("article", "figure2")
        rows = 6 if fixed else 160  # 200 samples, a fifth held out
        batch = 2 if fixed else 10
        epochs = min(100_000, 2_000_000 // -(-rows // batch))
        spec = {
            "network": {
                "layers": layers,
                "activation": "tanh" if layers[1] == 16 else "sigmoid",
                "output_activation": output,
            },
            "training": {
                "loss": loss,
                "batch_size": batch,
                "learning_rate": 0.1,
                "epochs": epochs,
                "seed": i,
            },
            "dataset": {"name": name, "samples": 200, "test_fraction": 0.0 if fixed else 0.2},
            "start": "running",
            "speed": speed,
        }
        out.append(JobSpec.model_validate(spec).model_dump())
    return out


@dataclass
class Samples:
    """Every SAMPLE seconds of the window: the time, each job's iteration, the server's RSS."""

    times: list[float] = field(default_factory=list)
    iterations: list[list[int]] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    history_bytes: list[int] = field(default_factory=list)
    cpu: float = 0.0  # CPU seconds per second of the server process over the window
    machine_cpu: float = 0.0  # CPU seconds per second of every process on the machine


def rss() -> int:
    """Resident memory of this process, bytes (Linux /proc; 0 elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def history_bytes(jobs: list[Job]) -> int:
    """What the jobs' loss histories hold: 8 bytes a loss, ~100 a test-loss pair (2 objects)."""
    return sum(8 * len(j.history.loss) + 100 * len(j.history.test) for j in jobs)


def sample(jobs: list[Job], start: float, stop: float) -> Samples:
    """Sample the jobs and the memory from `start` to `stop` (wall clock)."""
    out = Samples()
    time.sleep(max(0.0, start - time.time()))
    cpu, busy, began = time.process_time(), machine_busy(), time.time()
    moment = start
    while moment <= stop + 1e-6:
        time.sleep(max(0.0, moment - time.time()))
        out.times.append(time.time() - start)
        out.iterations.append([j.trainer.iteration for j in jobs])
        out.rss.append(rss())
        out.history_bytes.append(history_bytes(jobs))
        moment += SAMPLE
    elapsed = time.time() - began
    out.cpu = (time.process_time() - cpu) / elapsed
    out.machine_cpu = (machine_busy() - busy) / elapsed
    return out


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat; 0 elsewhere)."""
    try:
        fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)  # idle and iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")  # up to steal, not guests


def spawn(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "bench._load_clients", *args], stdout=subprocess.PIPE, text=True
    )


def collect(process: subprocess.Popen[str]) -> dict[str, Any]:
    """A client's JSON report; the client is ended if it has not finished in time."""
    try:
        out, _ = process.communicate(timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError("a load client did not finish in time") from None
    result: dict[str, Any] = json.loads(out)
    return result


@dataclass
class Run:
    """Everything one run measured."""

    specs: list[dict[str, Any]]
    samples: Samples
    viewers: dict[str, Any]
    health: dict[str, Any]
    statuses: list[str]
    load: str


def measure() -> Run:
    """One run: the jobs, the clients, the window; then every job deleted and the server shut."""
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if os.name == "posix" else "?"
    app = create_app(Settings(), limits=Limits(max_running_jobs=JOBS))
    job_specs = specs()
    with live_server(app) as server:
        jobs = [server.jobs.create(spec) for spec in job_specs]
        start = time.time() + WARMUP
        stop = start + SECONDS
        urls = [server.ws_url(f"/api/jobs/{job.id}/stream") for job in jobs]
        viewers = spawn("viewers", repr(start), repr(stop), str(FPS), "full", str(VIEWERS), *urls)
        health = spawn(
            "health", server.url("/api/health"), repr(start), repr(stop), str(HEALTH_INTERVAL)
        )
        try:
            samples = sample(jobs, start, stop)
            statuses = [job.status for job in jobs]
            viewed, healthy = collect(viewers), collect(health)
        finally:
            for process in (viewers, health):
                if process.poll() is None:
                    process.kill()
                    process.wait()
            _delete_all(server)
    return Run(job_specs, samples, viewed, healthy, statuses, load)


def _delete_all(server: LiveServer) -> None:
    for job in server.jobs.list():
        server.jobs.delete(job.id)


# ---------------------------------------------------------------- report


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100) of `values`, nearest-rank."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def slices(run: Run) -> list[list[int]]:
    """Per job, the iterations made in each SLICE-second slice of the window."""
    samples = run.samples
    step = round(SLICE / SAMPLE)
    marks = list(range(0, len(samples.times), step))
    return [
        [samples.iterations[b][j] - samples.iterations[a][j] for a, b in pairwise(marks)]
        for j in range(len(run.specs))
    ]


def report(run: Run) -> str:
    """The markdown section for docs/benchmarks.md."""
    s, v, h = run.samples, run.viewers, run.health
    per_slice = slices(run)
    progressing = sum(1 for job in per_slice if job and min(job) > 0)
    lat = [x * 1000 for x in h["latencies"]]
    p50, p99, worst = percentile(lat, 50), percentile(lat, 99), max(lat)
    over = sum(1 for x in lat if x > GOAL_P99 * 1000)
    growth = s.rss[-1] - s.rss[0]
    history = s.history_bytes[-1] - s.history_bytes[0]
    # Memory is flat when, past the first tenth of the window, it grows no more than the loss
    # histories do (plus GOAL_FLAT).
    tenth = len(s.rss) // 10
    late_growth = s.rss[-1] - s.rss[tenth] - (s.history_bytes[-1] - s.history_bytes[tenth])
    frames = v["frames_per_viewer"]
    fps = [f / SECONDS for f in frames]
    elapsed = s.times[-1] - s.times[0]
    mb = 1024 * 1024
    rest = max(0.0, s.machine_cpu - s.cpu - v["cpu_seconds"] / SECONDS)
    goals = {
        "progress": progressing == len(run.specs),
        "p99": p99 < GOAL_P99 * 1000,
        "flat": late_growth < GOAL_FLAT,
    }
    lines = [
        "## Load",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, "
        f"uvicorn {version('uvicorn')}, websockets {version('websockets')}, httpx "
        f"{version('httpx')}, CPU {cpu_model()} ({os.cpu_count()} logical CPUs), load average "
        f"{run.load} at the start.",
        "",
        f"{JOBS} jobs train at once on a real uvicorn server on 127.0.0.1 (created with "
        f"`Limits(max_running_jobs={JOBS})`; the default allows 8), small networks on every "
        "kind of data set, half unpaced and half paced (table below). The server's event loop "
        "and the jobs' threads share one process, and so one GIL. "
        f"{VIEWERS} viewers, {VIEWERS // JOBS} per job, each asking for {FPS} full frames a "
        "second, run in a second process (asyncio + websockets) and read every message; a "
        f"third process sends `GET /api/health` every {HEALTH_INTERVAL * 1000:.0f} ms over one "
        f"kept-alive connection. Measured over {SECONDS:.0f} s after a {WARMUP:.0f} s warm-up; "
        "the run stops by itself.",
        "",
        "| measure | result | goal |",
        "|---|---|---|",
        f"| jobs that made progress in every {SLICE:.0f} s slice | {progressing} of "
        f"{len(run.specs)} | all: {_met(goals['progress'])} |",
        f"| `/api/health` latency p50 / p99 / max | {p50:.1f} / {p99:.1f} / {worst:.1f} ms "
        f"({len(lat):,} answers, {over} over {GOAL_P99 * 1000:.0f} ms, {h['failed']} failed) "
        f"| p99 < {GOAL_P99 * 1000:.0f} ms: {_met(goals['p99'])} |",
        f"| server RSS, window start → end (min–max) | {s.rss[0] / mb:.0f} → "
        f"{s.rss[-1] / mb:.0f} MiB ({min(s.rss) / mb:.0f}–{max(s.rss) / mb:.0f}); growth "
        f"{growth / mb:+.1f} MiB, of which loss histories {history / mb:+.1f} MiB | flat: "
        f"growth after the first {SECONDS / 10:.0f} s beyond the histories' "
        f"{late_growth / mb:+.1f} MiB < {GOAL_FLAT / mb:.0f} MiB: {_met(goals['flat'])} |",
        f"| frames delivered | {v['frames'] / SECONDS:,.0f}/s in all; per viewer "
        f"{statistics.median(fps):.1f}/s median, {min(fps):.1f}–{max(fps):.1f} | — |",
        f"| messages and bytes delivered | {v['messages'] / SECONDS:,.0f} messages/s, "
        f"{v['bytes'] / SECONDS / 1e6:.1f} MB/s | — |",
        f"| viewers connected / failed / closed during the window | {v['connected']} / "
        f"{v['failed']} / {v['closed_early']} | — |",
        f"| CPU, server process / viewers' process / whole machine | {s.cpu:.2f} / "
        f"{v['cpu_seconds'] / SECONDS:.2f} / {s.machine_cpu:.2f} CPU-s/s, of "
        f"{os.cpu_count()} (the rest, {rest:.2f}: the health poller, the kernel's loopback "
        "networking and any other work on the machine) | — |",
        f"| iterations, all jobs | {sum(s.iterations[-1]) - sum(s.iterations[0]):,} in "
        f"{elapsed:.0f} s | — |",
        "",
        "Per job (it/s over the window; the slowest slice is the fewest iterations made in one "
        f"{SLICE:.0f} s slice, per second):",
        "",
        "| # | data set | network | output, loss | speed | iteration at start → end | it/s "
        "| slowest slice it/s | status at the end |",
        "|--:|---|---|---|--:|--:|--:|--:|---|",
    ]
    for j, spec in enumerate(run.specs):
        net, training = spec["network"], spec["training"]
        first, last = s.iterations[0][j], s.iterations[-1][j]
        speed = "unpaced" if spec["speed"] is None else f"{spec['speed']:,.0f} it/s"
        lines.append(
            f"| {j + 1} | {spec['dataset']['name']} | {'-'.join(map(str, net['layers']))} "
            f"{net['activation']} | {net['output_activation']}, {training['loss']} | {speed} "
            f"| {first:,} → {last:,} | {(last - first) / elapsed:,.0f} "
            f"| {min(per_slice[j]) / SLICE:,.0f} | {run.statuses[j]} |"
        )
    if not goals["p99"]:
        lines += ["", WHY_SLOW.format(messages=v["messages"] / SECONDS)]
    every = round(SLICE / SAMPLE)
    points = list(range(0, len(s.rss), every))
    lines += [
        "",
        f"Server RSS every {SLICE:.0f} s of the window, MiB (the loss histories' part in "
        "brackets):",
        "",
        "| " + " | ".join(f"{s.times[i]:.0f} s" for i in points) + " |",
        "|" + "--:|" * len(points),
        "| "
        + " | ".join(f"{s.rss[i] / mb:.0f} ({s.history_bytes[i] / mb:.1f})" for i in points)
        + " |",
    ]
    return "\n".join(lines)


WHY_SLOW = (
    "Why the health goal is missed: the event loop shares one GIL with the job threads. Each "
    "socket write (here {messages:,.0f} messages a second) releases the GIL, and getting it "
    "back means waiting for the thread that holds it. The runner lets one job thread iterate "
    "at a time, in turns of 2 ms (`backend/jobs/turns.py`), so the loop competes with one "
    "thread, not all of them; what is left is other load on the machine."
)


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def main(docs: bool = True) -> None:
    print(f"  {JOBS} jobs, {VIEWERS} viewers, {SECONDS:.0f} s after {WARMUP:.0f} s…", flush=True)
    run = measure()
    section = report(run)
    print(section, flush=True)
    if docs:
        write_section("load", section)


if __name__ == "__main__":
    main()
