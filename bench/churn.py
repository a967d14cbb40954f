"""Churn: what 1,000 viewers that come and go leave behind in the server, memory included.

The server (a real uvicorn on 127.0.0.1, in this process) serves one job that trains at 2,000
iterations a second, so frames keep flowing. The clients run in another process
(``python -m tests.api.churn``), the same ones as tests/api/test_stream_hardening.py: clean
closes, closes before reading, dropped TCP connections, viewers that wait for frames, and
concurrent bursts of 50. After a warm-up, a census of the server (threads, event-loop tasks,
viewers, objects, resident memory) is taken before and after the churn; the test checks the
counts, this benchmark reports the memory, which the test cannot: there the clients shared the
server's process, and a fresh clone's run once measured 129 MiB of growth with flat objects.
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import sys
import threading
from importlib.metadata import version
from pathlib import Path
from typing import Any

from bench.report import write_section
from bench.stream import cpu_model
from tests.api.churn import census, rss, settled
from tests.api.test_stream import make_spec
from tests.server import LiveServer, live_server

CYCLES = 1000
SETTLE = 30.0  # seconds the server may take to let go of what closed connections held
OBJECT_GOAL = 500  # objects: a leak of one per connection would show as 1,000
RSS_GOAL = 16 * 1024 * 1024  # bytes: flat (the test allowed 128 MiB, with its clients)
MiB = 1024 * 1024


def measure(server: LiveServer) -> dict[str, Any]:
    """Warm up, census, churn (sampling RSS), census once settled; the figures."""
    job = server.jobs.create(make_spec(epochs=100_000, speed=2000.0))
    server.jobs.resume(job.id)
    clients = subprocess.Popen(
        [sys.executable, "-m", "tests.api.churn", str(server.port), job.id, str(CYCLES)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert clients.stdin is not None and clients.stdout is not None
    assert clients.stdout.readline().strip() == "warm"
    census(server, job)  # its own first call makes objects too
    before = settled(server, census(server, job), SETTLE, job)
    peak, done = [before["rss"]], threading.Event()

    def sample() -> None:
        while not done.wait(0.5):
            peak[0] = max(peak[0], rss())

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    clients.stdin.write("\n")
    clients.stdin.flush()
    out, _ = clients.communicate(timeout=900)
    done.set()
    sampler.join()
    after = settled(server, before, SETTLE, job)
    job.stop()
    server.jobs.delete(job.id)
    peak[0] = max(peak[0], after["rss"])
    return {"before": before, "after": after, "peak": peak[0], **json.loads(out)}


def report(result: dict[str, Any], load: str) -> str:
    """The markdown section for docs/benchmarks.md."""
    before, after = result["before"], result["after"]
    objects = after["objects"] - before["objects"]
    growth = after["rss"] - before["rss"]
    met = {True: "met", False: "not met"}
    rows = [
        (
            "threads",
            f"{before['threads']} → {after['threads']}",
            "no more: " + met[after["threads"] <= before["threads"]],
        ),
        (
            "event-loop tasks",
            f"{before['tasks']} → {after['tasks']}",
            "no more: " + met[after["tasks"] <= before["tasks"]],
        ),
        (
            "viewers / viewer objects",
            f"{after['subscriptions']} / {after['viewer objects']}",
            "0: " + met[after["subscriptions"] == after["viewer objects"] == 0],
        ),
        (
            "objects (the job's keyframes and history left out)",
            f"{before['objects']:,} → {after['objects']:,} ({objects:+,})",
            f"< +{OBJECT_GOAL}: {met[objects < OBJECT_GOAL]}",
        ),
        (
            "server RSS",
            f"{before['rss'] / MiB:.1f} → {after['rss'] / MiB:.1f} MiB "
            f"({growth / MiB:+.1f}; {growth / CYCLES / 1024:+.1f} KiB a connection), "
            f"highest {result['peak'] / MiB:.1f}",
            f"growth < {RSS_GOAL // MiB} MiB: {met[growth < RSS_GOAL]}",
        ),
    ]
    lines = [
        "## Churn: 1,000 viewers that come and go",
        "",
        f"Run {datetime.date.today().isoformat()}: Python {platform.python_version()}, "
        f"uvicorn {version('uvicorn')}, websockets {version('websockets')}, CPU {cpu_model()} "
        f"({os.cpu_count()} logical CPUs), load average {load} at the start.",
        "",
        f"{CYCLES:,} WebSocket viewers of one job (3-5-2 on the article's data, paced at 2,000 "
        "it/s) connect and leave, in turn: a clean close after the snapshot, a close before "
        "reading anything, a dropped TCP connection (RST, no close frame), a clean close after "
        "two frames; 300 of them in six concurrent bursts of 50. The server is a real uvicorn "
        "on 127.0.0.1 in this process; the clients run in a process of their own, so the RSS "
        f"below is the server's alone. The churn took {result['seconds']:.1f} s. The census "
        "is taken after a warm-up of 40 connections and a burst, and again once the server "
        f"holds no viewer and no more threads and tasks than before (it may take {SETTLE:.0f} "
        "s). tests/api/test_stream_hardening.py checks the same counts on every `make test`; "
        "the memory figure is measured here only.",
        "",
        "| measure | before → after | goal |",
        "|---|---|---|",
        *(f"| {name} | {value} | {goal} |" for name, value, goal in rows),
    ]
    return "\n".join(lines)


def main(docs: bool = True) -> None:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if os.name == "posix" else "?"
    with live_server() as server:
        result = measure(server)
    section = report(result, load)
    print(section, flush=True)
    if docs:
        write_section("churn", section)


if __name__ == "__main__":
    main()
