"""One viewer on the largest network: the training rate, the server's health latency, and the
size of everything a viewer or a client of the bulk reads is sent.

Each server is ``python -m backend`` from a source tree (``--tree DIR``, repeatable; default
this repository), a child process on 127.0.0.1 with a fresh SQLite file; the trees are
measured one after the other in the same run. On each:

1. a 3-1024-1024-900-2 job (1,977,998 weights and biases, the most a job may have) on the
   article's six rows in minibatches of 2 trains as fast as it can;
2. quiet: WINDOW seconds without a viewer: iterations a second (from the job's view) and
   ``GET /api/health`` every 20 ms over one connection, from another process;
3. viewed: one viewer (its own process) asks what the page asks for, 30 fps at full detail,
   and reads every message; after its snapshot, the same WINDOW seconds are measured;
   2 and 3 are taken ROUNDS times in turn (rates: the mean of the rounds);
4. sizes: with the job still training and no viewer, one after another: a viewer's snapshot,
   ``GET /weights``, ``/trace`` and ``/export``, and ``/weights?format=f32`` and
   ``/trace?format=f32`` where the server answers them; the body's bytes, the seconds it
   took and the slowest health answer meanwhile.

The goal (issue 9): with one viewer the job keeps at least half its rate, health p99 < 100 ms.
``python -m bench.big_network --tree DIR --label NAME ...`` names each tree's column.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import select
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from bench._big_report import report
from bench._runs_clients import snapshot_size
from bench._runs_server import HOST, Server, serve
from bench.report import write_section

REPO = Path(__file__).resolve().parent.parent
LAYERS = [3, 1024, 1024, 900, 2]
WARMUP, WINDOW, HEALTH_INTERVAL = 3.0, 10.0, 0.02  # seconds
ROUNDS = 2  # of a quiet window and a viewed one, in turn
SNAPSHOT_TIMEOUT = 120.0  # seconds for the viewer's first message, at most
READS = ("/weights", "/trace", "/export", "/weights?format=f32", "/trace?format=f32")


def spawn(module: str, *args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", module, *args]
    return subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)


def health(server: Server, seconds: float) -> subprocess.Popen[str]:
    """GET /api/health every 20 ms for `seconds` (or until SIGTERM), from a process that is
    polling when this returns."""
    url = server.url("/api/health")
    poller = spawn("bench._big_viewer", "health", url, str(HEALTH_INTERVAL), str(seconds))
    assert poller.stdout is not None
    ready, _, _ = select.select([poller.stdout], [], [], SNAPSHOT_TIMEOUT)
    if not ready or poller.stdout.readline().strip() != "ready":
        poller.kill()
        raise RuntimeError("the health poller did not start")
    return poller


def latencies(poller: subprocess.Popen[str], stop: bool = False) -> list[float | None]:
    """The poller's latencies in seconds (None: failed), once it has ended."""
    if stop:
        poller.terminate()
    out, _ = poller.communicate(timeout=120)
    return [latency for _, latency in json.loads(out)["samples"]]


def rate(server: Server, job: str, seconds: float) -> tuple[float, list[float | None]]:
    """Iterations a second over `seconds`, and the health latencies meanwhile."""
    poller = health(server, seconds + 1)
    first, began = server.get(f"/api/jobs/{job}", timeout=60)["iteration"], time.monotonic()
    time.sleep(seconds)
    last, ended = server.get(f"/api/jobs/{job}", timeout=60)["iteration"], time.monotonic()
    return (last - first) / (ended - began), latencies(poller)


def viewed(server: Server, job: str) -> dict[str, Any]:
    """The rate and health with one viewer, the viewer's frames and its snapshot's bytes."""
    path = f"/api/jobs/{job}/stream"
    viewer = spawn("bench._big_viewer", HOST, str(server.port), path, str(WINDOW + 2))
    assert viewer.stdout is not None
    ready, _, _ = select.select([viewer.stdout], [], [], SNAPSHOT_TIMEOUT)
    if not ready or not viewer.stdout.readline().startswith("snapshot"):
        viewer.kill()
        raise RuntimeError("the viewer got no snapshot in time")
    time.sleep(0.5)
    it_s, lat = rate(server, job, WINDOW)
    out, _ = viewer.communicate(timeout=120)
    return {"rate": it_s, "health": lat, **json.loads(out)}


def sizes(server: Server, job: str) -> dict[str, dict[str, Any]]:
    """Per read: its body's bytes, seconds, and the slowest health answer meanwhile."""
    out: dict[str, dict[str, Any]] = {}
    for name in ("snapshot", *READS):
        poller = health(server, 600)
        time.sleep(0.2)
        began = time.perf_counter()
        if name == "snapshot":
            size, _ = asyncio.run(snapshot_size(HOST, server.port, f"/api/jobs/{job}/stream"))
            status = 200
        else:
            answer = server.http.get(server.url(f"/api/jobs/{job}{name}"), timeout=300)
            size, status = len(answer.content), answer.status_code
            if "format=" in name and "octet-stream" not in answer.headers["content-type"]:
                status = 0  # a server without the binary form answers JSON: not the same read
        seconds = time.perf_counter() - began
        time.sleep(0.3)
        lat = [x for x in latencies(poller, stop=True) if x is not None]
        out[name] = {"status": status, "bytes": size, "seconds": seconds, "health_max": max(lat)}
    return out


def measure(tree: Path) -> dict[str, Any]:
    with serve(tree) as server:
        spec = {"network": {"layers": LAYERS}, "training": {"epochs": 100_000}, "start": "paused"}
        job = server.create(spec)["id"]
        server.control(job, "POST", "resume")
        time.sleep(WARMUP)
        quiet: dict[str, Any] = {"rate": [], "health": []}
        one: dict[str, Any] = {"rate": [], "health": [], "frames": 0, "frame_bytes": []}
        one["seconds"] = 0.0
        for _ in range(ROUNDS):  # in turn, so that a change in the machine's load hits both
            it_s, lat = rate(server, job, WINDOW)
            quiet["rate"].append(it_s)
            quiet["health"] += lat
            print(f"  quiet: {it_s:.1f} it/s", flush=True)
            seen = viewed(server, job)
            for key in ("health", "frames", "frame_bytes", "seconds"):
                one[key] += seen[key]
            one["rate"].append(seen["rate"])
            one["snapshot"] = seen["snapshot"]
            print(f"  viewed: {seen['rate']:.1f} it/s, {seen['frames']} frames", flush=True)
        reads = sizes(server, job)
    return {"commit": commit(tree), "quiet": quiet, "viewed": one, "reads": reads}


def commit(tree: Path) -> str:
    """The tree's commit, `hash subject`."""
    out = subprocess.run(
        ["git", "-C", str(tree), "log", "-1", "--format=%h %s"],
        capture_output=True, text=True, check=True, timeout=30,
    )  # fmt: skip
    return out.stdout.strip()[:100]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--tree", action="append", type=Path, help="a source tree to serve")
    parser.add_argument("--label", action="append", help="the column name of each tree")
    args = parser.parse_args([] if argv is None and __name__ != "__main__" else argv)
    trees = args.tree or [REPO]
    labels = args.label or [tree.name for tree in trees]
    if len(labels) != len(trees):
        raise SystemExit("give one --label per --tree")
    results = {}
    for label, tree in zip(labels, trees, strict=True):
        print(f"== {label}: {tree}", flush=True)
        results[label] = measure(tree)
    section = report(results, LAYERS, WINDOW)
    print(section)
    write_section("big_network", section)


if __name__ == "__main__":
    main()
