"""Load: 8 unpaced jobs training at once, 200 viewers, and a health check, on a server process.

Each server is ``python -m backend`` from a source tree (``--tree DIR``, repeatable, with
``--label NAME``; default this repository), a child process on 127.0.0.1 with a fresh SQLite
file and the default limits (at most 8 running jobs); the benchmark speaks to it only over
HTTP and WebSocket, so it measures any version of the backend. Eight small networks on every
kind of data set train unpaced (speed null); 200 viewers, 25 per job, each asking for 30 full
frames a second, run in a second process (asyncio + websockets, bench/_load_clients.py); a
third process sends ``GET /api/health`` every 50 ms over one kept-alive connection. After a
warm-up, a window of SECONDS is measured: each job's iteration (``GET /api/jobs/{id}``) at
every SLICE boundary (does every job progress in every slice?), the health answers' latency
(goal: p99 < 25 ms), the frames the viewers received, the server's CPU time and resident
memory. Everything stops by itself at the end of the window; with several trees, the windows
run one after another. Results are printed as markdown and written to docs/benchmarks.md
between this benchmark's markers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench._jobs import counters, cpu_seconds, create, delete, spec, warm_up
from bench._load_report import Run, Setup, Slice, report
from bench._runs_server import HOST, Server, serve
from bench._trees import Options, Tree, load_average, options
from bench.report import write_section

JOBS = 8  # the server's default max_running_jobs
VIEWERS = 200
FPS = 30
SECONDS = 60.0  # the measured window
WARMUP = 10.0  # viewers connect (one every 20 ms) and the jobs settle before the window
HEALTH_INTERVAL = 0.05
SLICE = 10.0  # seconds: "keeps making progress" means some in every slice of this length
TIMEOUT = SECONDS + WARMUP + 60.0  # the clients must have reported by then
GOAL_P99 = 0.025  # seconds
SETUP = Setup(JOBS, VIEWERS, FPS, SECONDS, WARMUP, HEALTH_INTERVAL, SLICE, GOAL_P99)

# (data set, layers, hidden activation, output activation, loss), one job each.
KINDS: list[tuple[str, list[int], str, str, str]] = [
    ("article", [3, 5, 2], "sigmoid", "sigmoid", "half_sse"),
    ("figure2", [1, 4, 1], "sigmoid", "sigmoid", "half_sse"),
    ("circle", [2, 8, 1], "sigmoid", "sigmoid", "cross_entropy"),
    ("xor", [2, 4, 1], "tanh", "sigmoid", "half_sse"),
    ("gauss", [2, 6, 1], "relu", "sigmoid", "cross_entropy"),
    ("spiral", [2, 8, 8, 8, 8, 8, 8, 1], "sigmoid", "sigmoid", "half_sse"),
    ("plane", [2, 4, 1], "tanh", "linear", "mse"),
    ("xor", [2, 6, 2], "tanh", "softmax", "cross_entropy"),
]


def specs() -> list[dict[str, Any]]:
    """JOBS unpaced job specs: batches of 2 on the fixed six-row sets, of 10 on 400 rows."""
    out = []
    for i, (name, layers, hidden, output, loss) in enumerate(KINDS[:JOBS]):
        batch = 2 if name in ("article", "figure2") else 10
        out.append(
            spec(
                name,
                layers,
                batch,
                seed=i,
                activation=hidden,
                output=output,
                loss=loss,
                test_fraction=0.2,
            )
        )
    return out


def machine_busy() -> float:
    """CPU seconds the whole machine has spent busy since boot (Linux /proc/stat)."""
    fields = [int(f) for f in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle and iowait
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


def slices(server: Server, ids: list[str], start: float) -> list[Slice]:
    """At every SLICE boundary of the window: the jobs' iterations, the server's CPU and RSS."""
    out = []
    for k in range(round(SECONDS / SLICE) + 1):
        time.sleep(max(0.0, start + k * SLICE - time.time()))
        cpu, busy, rss = cpu_seconds(server.process.pid), machine_busy(), server.rss()
        out.append(Slice(time.time() - start, counters(server, ids), cpu, busy, rss))
    return out


def measure(tree: Tree) -> Run:
    """One window on `tree`'s server: the jobs, the clients; then every job deleted."""
    job_specs = specs()
    with serve(tree.path) as server:
        warm_up(server, job_specs)
        ids = create(server, job_specs)
        start = time.time() + WARMUP
        stop = start + SECONDS
        urls = [f"ws://{HOST}:{server.port}/api/jobs/{i}/stream" for i in ids]
        viewers = spawn("viewers", repr(start), repr(stop), str(FPS), "full", str(VIEWERS), *urls)
        health = spawn(
            "health", server.url("/api/health"), repr(start), repr(stop), str(HEALTH_INTERVAL)
        )
        try:
            marks = slices(server, ids, start)
            statuses = [server.get(f"/api/jobs/{i}")["status"] for i in ids]
            viewed, healthy = collect(viewers), collect(health)
        finally:
            for process in (viewers, health):
                if process.poll() is None:
                    process.kill()
                    process.wait()
            delete(server, ids)
    return Run(tree, job_specs, marks, viewed, healthy, statuses)


def main(argv: Sequence[str] | None = None) -> None:
    chosen: Options = options("python -m bench.load", __doc__, argv)
    load = load_average()
    runs = []
    for tree in chosen.trees:
        print(f"  {tree.name}: {JOBS} jobs, {VIEWERS} viewers, {SECONDS:.0f} s…", flush=True)
        runs.append(measure(tree))
    section = report(runs, SETUP, load)
    print(section, flush=True)
    if chosen.docs:
        write_section("load", section)


if __name__ == "__main__":
    main(sys.argv[1:])
