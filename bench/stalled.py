"""A stalled viewer: what one that stops reading costs the job and the viewer that still reads.

One job (3-64-64-2 on the article's data, minibatches of 6, unpaced: frames of ~0.25 MB)
trains on a real uvicorn server on 127.0.0.1 in this process, watched by one viewer at 30 fps
in another process (bench/_load_clients.py). Every other window adds a stalled viewer in this
process (tests/api/test_stream.py's: a 64 KiB receive buffer, one message queued), connected
3 s before the window so that the way to it is full when the window starts. Each window, on
a fresh job, measures the job's iterations per second (of wall time and of this process's CPU
time) and the reading viewer's frames; a window with the stalled viewer is compared with the
mean of the windows just before and after it. tests/api/test_stream.py checks that training
and the other viewer go on and that no backlog is kept; the rates are measured here.
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
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench.report import write_section
from bench.stream import cpu_model
from tests.api.test_stream import is_frame, make_spec, stalled, until
from tests.server import LiveServer, live_server

LAYERS = (3, 64, 64, 2)
BATCH = 6
FPS = 30
WARM = 3.0  # seconds from a window's job (and stalled viewer) to its start
SECONDS = 8.0  # measured per window
WINDOWS = 5  # reading alone, with a stalled viewer, alone, with one, alone
GOAL = 0.5  # the job and the reading viewer keep at least half their rate


@dataclass
class Window:
    """One measured window."""

    stalled: bool
    iterations_per_second: float
    iterations_per_cpu_second: float  # per second of this process's CPU time
    frames_per_second: float  # the reading viewer's
    stale: int = 0  # frames the stalled viewer got from before it read again


def measure(server: LiveServer, stall: bool) -> Window:
    """One window on a fresh job: the reading viewer in another process, maybe a stalled one."""
    job = server.jobs.create(make_spec(LAYERS, batch_size=BATCH))
    server.jobs.resume(job.id)
    start = time.time() + WARM
    stop = start + SECONDS
    url = server.ws_url(f"/api/jobs/{job.id}/stream")
    args = ["viewers", repr(start), repr(stop), str(FPS), "full", "1", url]
    reader = subprocess.Popen(
        [sys.executable, "-m", "bench._load_clients", *args], stdout=subprocess.PIPE, text=True
    )
    slow = stalled(server, job.id) if stall else None
    _sleep_until(start)
    iteration, cpu = job.trainer.iteration, time.process_time()
    _sleep_until(stop)
    done, cpu = job.trainer.iteration - iteration, time.process_time() - cpu
    out, _ = reader.communicate(timeout=60)
    frames = json.loads(out)["frames"]
    window = Window(stall, done / SECONDS, done / cpu, frames / SECONDS)
    if slow is not None:
        live = job.trainer.iteration
        caught_up = until(slow, lambda m: is_frame(m) and m["iteration"] >= live)
        window.stale = sum(1 for m in caught_up if is_frame(m) and m["iteration"] < live)
        slow.close()
    job.stop()
    server.jobs.delete(job.id)
    return window


def _sleep_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


def report(windows: list[Window], load: str) -> str:
    """The markdown section for docs/benchmarks.md."""
    lines = [
        "## A stalled viewer",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, "
        f"uvicorn {version('uvicorn')}, websockets {version('websockets')}, CPU {cpu_model()} "
        f"({os.cpu_count()} logical CPUs), load average {load} at the start.",
        "",
        f"One job, {'-'.join(map(str, LAYERS))} (sigmoid, ½ Σ (y − t)²) on the article's data, "
        f"minibatches of {BATCH}, unpaced, on a real uvicorn server on 127.0.0.1; one viewer "
        f"reads every message at {FPS} fps from another process. In the *stalled* windows a "
        "second viewer (64 KiB receive buffer, one message queued in its client) reads "
        f"nothing from {WARM:.0f} s before the window to its end, then reads until it has a "
        f"frame of the job's current iteration. Each window measures {SECONDS:.0f} s on a "
        "fresh job; a stalled window's ratios are to the mean of the windows before and after "
        "it. *it/s per CPU-s* counts the job's iterations per second of the server process's "
        "CPU time, which other work on the machine does not lower. *stale frames* are those "
        "the stalled viewer received from before it read again (what the socket buffers "
        "held), against the reading viewer's frames in the window.",
        "",
        "| window | job it/s | ÷ reading alone | it/s per CPU-s | ÷ reading alone "
        "| reading viewer fps | ÷ reading alone | stalled viewer: stale frames | goal |",
        "|---|--:|--:|--:|--:|--:|--:|--:|---|",
    ]
    for i, w in enumerate(windows):
        if not w.stalled:
            cells = [f"{w.iterations_per_second:,.0f}", "–", f"{w.iterations_per_cpu_second:,.0f}"]
            cells += ["–", f"{w.frames_per_second:.1f}", "–", "–", "—"]
            lines.append("| reading alone | " + " | ".join(cells) + " |")
            continue
        around = [windows[i - 1], windows[i + 1]]
        rate = w.iterations_per_second / statistics.mean(a.iterations_per_second for a in around)
        per_cpu = w.iterations_per_cpu_second / statistics.mean(
            a.iterations_per_cpu_second for a in around
        )
        fps = w.frames_per_second / statistics.mean(a.frames_per_second for a in around)
        met = "met" if min(per_cpu, fps) >= GOAL else "not met"
        cells = [
            f"{w.iterations_per_second:,.0f}",
            f"{rate:.2f}",
            f"{w.iterations_per_cpu_second:,.0f}",
            f"{per_cpu:.2f}",
            f"{w.frames_per_second:.1f}",
            f"{fps:.2f}",
            f"{w.stale} (the reading viewer's: {w.frames_per_second * SECONDS:,.0f})",
            f"≥ {GOAL} (per CPU-s and fps): {met}",
        ]
        lines.append("| with a stalled viewer | " + " | ".join(cells) + " |")
    lines += [
        "",
        "Goal: a viewer that stops reading costs neither the job nor the other viewer more "
        f"than half of its rate (÷ reading alone ≥ {GOAL}, the job's per CPU-second).",
    ]
    return "\n".join(lines)


def main(docs: bool = True) -> None:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if os.name == "posix" else "?"
    with live_server() as server:
        windows = []
        for i in range(WINDOWS):
            print(f"  window {i + 1} of {WINDOWS} ({'stalled' if i % 2 else 'alone'})…", flush=True)
            windows.append(measure(server, stall=bool(i % 2)))
    section = report(windows, load)
    print(section, flush=True)
    if docs:
        write_section("stalled", section)


if __name__ == "__main__":
    main()
