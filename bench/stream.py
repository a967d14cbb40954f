"""Streaming: what viewers cost a training job, on a real uvicorn server on 127.0.0.1.

One job (2-8-8-8-8-8-8-1 on `spiral`, 500 samples, minibatches of 10, unpaced) trains while
0, 1, 10 and 100 viewers watch it at 30 fps each. The server (event loop and the job's thread)
runs in this process; the viewers run in another (bench/_load_clients.py), so the CPU they use is
counted apart. Each case measures ~10 s after a warm-up: the job's iterations per second, the
frames and bytes delivered, and both processes' CPU time. A 0-viewer window runs before and
after every case, and a case's ratio is to the mean of those two, so that a machine whose load
drifts still compares like with like. The frame encode time is measured in-process
on ``frame()`` + ``encode()`` and compared with ``json.dumps`` of the same message with
``.tolist()`` arrays. Results are printed as markdown and written to docs/benchmarks.md.
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
import timeit
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from backend.engine.datasets import make_dataset
from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig
from backend.jobs.frame import DETAILS, encode, frame
from backend.jobs.spec import JobSpec
from bench.report import write_section
from tests.server import LiveServer, live_server

LAYERS = [2, 8, 8, 8, 8, 8, 8, 1]
BATCH = 10
SECONDS = 10.0  # measured per case
FPS = 30
CASES: tuple[tuple[int, str], ...] = ((1, "full"), (10, "full"), (100, "full"), (100, "summary"))
GOAL_CASE = (100, "full")
GOAL = 0.75  # 100 viewers may cost the job at most 25 % of its throughput


@dataclass
class Case:
    """One measured window: the job's progress and what the viewers received."""

    viewers: int
    detail: str
    iterations_per_second: float
    server_cpu: float  # CPU seconds per second, this process (loop, job thread and all)
    job_cpu: float  # CPU seconds per second of the job's own thread
    connected: int
    frames: int = 0
    bytes: int = 0
    client_cpu: float = 0.0  # CPU seconds per second of the viewers' process
    failed: int = 0


# ---------------------------------------------------------------- encode time, in-process


def record_of_one_step() -> Any:
    """The trace of one iteration of the benchmark's network, as the job would publish it."""
    data = make_dataset("spiral", samples=500, noise=0.0, test_fraction=0.0, seed=0, n_outputs=1)
    config = TrainingConfig(mode="minibatch", batch_size=BATCH, learning_rate=0.1, epochs=10)
    trainer = Trainer(Network(LAYERS, seed=0), data.inputs, data.targets, config)
    return trainer.step()


def as_lists(value: Any) -> Any:
    """The message with every array turned into nested lists, for the standard json module."""
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, dict):
        return {k: as_lists(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_lists(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def microseconds(call: Callable[[], object], repeats: int = 7) -> float:
    """Median time of one call, µs, over `repeats` runs of ~0.2 s."""
    loops, _ = timeit.Timer(call).autorange()
    loops = max(1, loops)
    return statistics.median(timeit.repeat(call, number=loops, repeat=repeats)) / loops * 1e6


def encode_times() -> list[tuple[str, int, float, float]]:
    """(detail, bytes, frame()+encode() µs, json.dumps(.tolist()) µs) per detail level."""
    record = record_of_one_step()
    rows = []
    for detail in DETAILS:

        def ours(detail: str = detail) -> str:
            return encode(frame("job", record, None, detail))

        def plain(detail: str = detail) -> str:
            return json.dumps(as_lists(frame("job", record, None, detail)))

        rows.append((detail, len(ours().encode()), microseconds(ours), microseconds(plain)))
    return rows


# ---------------------------------------------------------------- viewers on a real server


def job_spec() -> dict[str, Any]:
    """The benchmark's job, running at once and as fast as it can."""
    return {
        "network": {
            "layers": LAYERS,
            "activation": "sigmoid",
            "output_activation": "sigmoid",
            "weights": None,
        },
        "training": {
            "loss": "half_sse",
            "mode": "minibatch",
            "batch_size": BATCH,
            "learning_rate": 0.1,
            "epochs": 40_000,  # 2,000,000 iterations: the limit, far beyond a case
            "tolerance": 0.0,
            "shuffle": True,
            "seed": 0,
        },
        "dataset": {
            "name": "spiral",
            "samples": 500,
            "noise": 0.0,
            "test_fraction": 0.0,
            "features": None,
        },
        "start": "running",
        "speed": None,
    }


def measure(server: LiveServer, viewers: int, detail: str) -> Case:
    """One case: a fresh job, `viewers` viewers in another process, ~SECONDS measured."""
    job = server.jobs.create(JobSpec.from_dict(job_spec()))
    start = time.time() + 2.0 + 0.03 * viewers  # process start, connections, snapshots
    stop = start + SECONDS
    process = _viewers(server, job.id, viewers, detail, start, stop) if viewers else None
    tid = job.thread.native_id
    _sleep_until(start)
    iteration, cpu, job_cpu = job.trainer.iteration, time.process_time(), thread_cpu(tid)
    connected = len(job.hub.subscriptions)
    _sleep_until(stop)
    case = Case(
        viewers,
        detail,
        (job.trainer.iteration - iteration) / SECONDS,
        (time.process_time() - cpu) / SECONDS,
        (thread_cpu(tid) - job_cpu) / SECONDS,
        connected,
    )
    if process is not None:
        out, _ = process.communicate(timeout=60)
        counts = json.loads(out)
        case.frames, case.bytes, case.failed = counts["frames"], counts["bytes"], counts["failed"]
        case.client_cpu = counts["cpu_seconds"] / SECONDS
    server.jobs.delete(job.id)
    return case


def thread_cpu(native_id: int | None) -> float:
    """CPU seconds a thread of this process has used (Linux /proc; 0 where unavailable)."""
    try:
        stat = Path(f"/proc/self/task/{native_id}/stat").read_text()
    except OSError:
        return 0.0
    fields = stat.rsplit(")", 1)[1].split()  # after the thread's name, from field 3 on
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _viewers(
    server: LiveServer, job_id: str, count: int, detail: str, start: float, stop: float
) -> subprocess.Popen[str]:
    url = server.ws_url(f"/api/jobs/{job_id}/stream")
    args = ["viewers", repr(start), repr(stop), "30", detail, str(count), url]
    return subprocess.Popen(
        [sys.executable, "-m", "bench._load_clients", *args], stdout=subprocess.PIPE, text=True
    )


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


# ---------------------------------------------------------------- report


def cpu_model() -> str:
    """The CPU's model name, from /proc/cpuinfo where there is one."""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def report(runs: list[Case], encodes: list[tuple[str, int, float, float]], load: str) -> str:
    """The markdown section for docs/benchmarks.md; `runs` alternate 0-viewer and viewer cases."""
    baselines = runs[::2]
    rates = [c.iterations_per_second for c in baselines]
    alone = statistics.mean(c.job_cpu for c in baselines)
    lines = [
        "## Streaming",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, "
        f"uvicorn {version('uvicorn')}, websockets {version('websockets')}, "
        f"orjson {version('orjson')}, CPU {cpu_model()} ({os.cpu_count()} logical CPUs), "
        f"load average {load} at the start.",
        "",
        "One job, 2-8-8-8-8-8-8-1 (sigmoid, ½ Σ (y − t)²) on `spiral` with 500 samples, "
        f"minibatches of {BATCH}, unpaced, on a real uvicorn server on 127.0.0.1 "
        "(`ws_per_message_deflate=False`); the server's event loop and the job's thread share "
        f"one process. Viewers run in a separate process, each asking for {FPS} fps and "
        f"reading every message (counted, not parsed). Every window measures {SECONDS:.0f} s "
        "after a warm-up, on a fresh job. A 0-viewer window runs before and after each case; "
        "*÷ 0 viewers* is the case's it/s over the mean of those two (they ranged "
        f"{min(rates):,.0f}–{max(rates):,.0f} it/s).",
        "",
        "CPU columns are CPU-seconds per second (1.0 = one core busy). The job's thread and the "
        "event loop share one GIL, so the server process tops out near 1.0; *job's share* is "
        "the job thread's part of it, a measure of what the viewers cost that does not depend "
        "on how busy the rest of the machine is. In the 0-viewer windows the job's thread ran "
        f"{alone:.2f} CPU-s/s: below about 0.95 other processes were taking CPU from it, and "
        "the it/s ratios are noisier than the shares.",
        "",
        "| viewers | detail | job it/s | ÷ 0 viewers | job thread CPU | rest of server CPU "
        "| job's share | viewers' CPU | frames/s delivered | fps per viewer | MB/s | goal |",
        "|--:|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|---|",
        _row(_mean_case(baselines), statistics.mean(rates)),
    ]
    for i in range(1, len(runs), 2):
        reference = (runs[i - 1].iterations_per_second + runs[i + 1].iterations_per_second) / 2
        lines.append(_row(runs[i], reference))
    lines += [
        "",
        f"Goal: {GOAL_CASE[0]} viewers at {FPS} fps ({GOAL_CASE[1]} detail) cost the job less "
        f"than {1 - GOAL:.0%} of its throughput (÷ 0 viewers ≥ {GOAL}).",
        "",
        "Frame encoding, in-process, for the same network and one minibatch of "
        f"{BATCH} (median of 7 repeats): `frame()` + `encode()` (orjson, arrays serialised "
        "directly) against the standard library's `json.dumps` of the same message with "
        "`.tolist()` arrays. A frame is encoded once per detail level for all its viewers.",
        "",
        "| detail | bytes | frame() + encode() µs | json.dumps(.tolist()) µs | speed-up |",
        "|---|--:|--:|--:|--:|",
    ]
    for detail, size, ours, plain in encodes:
        lines.append(f"| {detail} | {size:,} | {ours:,.0f} | {plain:,.0f} | {plain / ours:.1f}× |")
    return "\n".join(lines)


def _mean_case(cases: list[Case]) -> Case:
    """The 0-viewer windows averaged into one row."""
    return Case(
        0,
        "–",
        statistics.mean(c.iterations_per_second for c in cases),
        statistics.mean(c.server_cpu for c in cases),
        statistics.mean(c.job_cpu for c in cases),
        0,
    )


def _row(c: Case, reference: float) -> str:
    ratio = c.iterations_per_second / reference
    share = c.job_cpu / c.server_cpu if c.server_cpu else 0.0
    goal = "—"
    if (c.viewers, c.detail) == GOAL_CASE:
        goal = f"≥ {GOAL}: {'met' if ratio >= GOAL else 'not met'}"
    cells = [
        f"{c.viewers} (mean)" if not c.viewers else str(c.viewers),
        c.detail,
        f"{c.iterations_per_second:,.0f}",
        f"{ratio:.2f}",
        f"{c.job_cpu:.2f}",
        f"{c.server_cpu - c.job_cpu:.2f}",
        f"{share:.2f}",
    ]
    if c.viewers:
        if c.connected != c.viewers:
            cells[0] += f" ({c.connected} connected, {c.failed} failed)"
        cells += [
            f"{c.client_cpu:.2f}",
            f"{c.frames / SECONDS:,.0f}",
            f"{c.frames / SECONDS / c.viewers:.1f}",
            f"{c.bytes / SECONDS / 1e6:.1f}",
        ]
    else:
        cells += ["–"] * 4
    return "| " + " | ".join([*cells, goal]) + " |"


def main(docs: bool = True) -> None:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if os.name == "posix" else "?"
    print("  encode times…", flush=True)
    encodes = encode_times()
    runs = []
    with live_server() as server:
        runs.append(measure(server, 0, "-"))
        for viewers, detail in CASES:
            print(f"  {viewers} viewers ({detail}), then 0…", flush=True)
            runs.append(measure(server, viewers, detail))
            runs.append(measure(server, 0, "-"))
    section = report(runs, encodes, load)
    print(section, flush=True)
    if docs:
        write_section("stream", section)


if __name__ == "__main__":
    main()
