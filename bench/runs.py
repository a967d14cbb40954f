"""Long runs: snapshot size, memory per job, a crowd of viewers, stalled viewers, and replay.

Each server is ``python -m backend`` from a source tree (``--tree DIR``, repeatable; default
this repository), run as a child process on 127.0.0.1 with a fresh SQLite file; with several
trees every measurement runs on each in turn, so that they compare like with like on a busy
machine. On every server, one after another:

1. growth: a 3-5-2 job (the article's six rows, eight times over, minibatches of 2) stepped
   while paused to 10^4, 10^5 and 10^6 iterations, the server's RSS read after each; then a
   second such job stepped to 0, 10^4, 10^5 and 10^6 iterations, one viewer reading the
   stream's first message (the snapshot) at each.
2. stall: the first job runs on at 10,000 it/s; the RSS over 20 s without viewers, then over
   20 s with 10 viewers that connect and never read.
3. crowd: 100 viewers connect at once to the second job (paused at 10^6 iterations) and read
   their snapshots; the server's RSS is sampled every 20 ms and ``GET /api/health`` sent every
   15 ms.
4. replay, where ``GET /api/jobs/{id}/trace?iteration=N`` exists: 50 random N over the 3-5-2
   run, a 2-8-8-8-8-8-8-1 run on xor and a 784-128-10 run on 784 inline inputs.

Results are printed as markdown and written to docs/benchmarks.md between this benchmark's
markers. ``python -m bench.runs --tree DIR --label NAME ...`` names each tree's column.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import random
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bench._runs_clients import snapshot_size
from bench._runs_report import report
from bench._runs_results import Crowd, Growth, Replay, Stall, TreeResult
from bench._runs_server import HOST, Server, serve
from bench._runs_specs import article_spec, deep_spec, wide_spec
from bench.report import write_section

REPO = Path(__file__).resolve().parent.parent
LENGTHS = (10_000, 100_000, 1_000_000)  # iterations at which the growth is read
CROWD, CROWD_DEADLINE, HEALTH_INTERVAL, RSS_INTERVAL = 100, 120.0, 0.015, 0.02
STALLED, STALL_SECONDS, STALL_SPEED = 10, 20.0, 10_000.0
REPLAYS, REPLAY_BUDGET = 50, 90.0  # requests per network, seconds per network at most
DEEP_LENGTH, WIDE_LENGTH = 1_000_000, 10_000  # iterations of the other replayed runs
SETTLE = 0.5  # seconds after a request before the RSS is read


def snapshot_of(server: Server, job_id: str) -> tuple[int, float]:
    return asyncio.run(snapshot_size(HOST, server.port, f"/api/jobs/{job_id}/stream"))


def growth(server: Server, rows: dict[str, Any], most: int) -> tuple[Growth, str, str]:
    """RSS of one job at each length, then snapshots of another; (result, rss job, snapshot job)."""
    warm = server.create(article_spec(rows))["id"]  # first-use costs, outside the figures
    server.step_to(warm, 1_000, most)
    snapshot_of(server, warm)
    server.control(warm, "DELETE")
    time.sleep(SETTLE)
    out = Growth(baseline=server.rss())
    held = server.create(article_spec(rows))["id"]
    for length in (0, *LENGTHS):
        server.step_to(held, length, most)
        time.sleep(SETTLE)
        out.rss[length] = server.rss()
    viewed = server.create(article_spec(rows))["id"]
    for length in (0, *LENGTHS):
        server.step_to(viewed, length, most)
        out.snapshot[length] = snapshot_of(server, viewed)
    return out, held, viewed


def spawn(*args: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "bench._runs_clients", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True, cwd=REPO)


def collect(process: subprocess.Popen[str], timeout: float) -> Any:
    """A client's JSON line; the client is ended if it has not finished in time."""
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise RuntimeError("a client did not finish in time") from None
    return json.loads(out)


def crowd(server: Server, job_id: str) -> Crowd:
    """CROWD viewers at once on a long paused job: RSS, time to every snapshot, /api/health."""
    out = Crowd(viewers=CROWD, rss_before=server.rss())
    start = time.time() + 2.0  # both clients are up by then
    deadline = start + CROWD_DEADLINE
    health = spawn(
        "health", server.url("/api/health"), repr(start), repr(deadline), str(HEALTH_INTERVAL)
    )
    path = f"/api/jobs/{job_id}/stream"
    viewers = spawn(
        "snapshots", HOST, str(server.port), path, str(CROWD), repr(start), repr(deadline)
    )
    peak = out.rss_before
    while viewers.poll() is None and time.time() < deadline + 10:
        peak = max(peak, server.rss())
        time.sleep(RSS_INTERVAL)
    got = collect(viewers, 30)
    health.terminate()
    polled = collect(health, 30)
    out.rss_peak = max(peak, server.rss())
    time.sleep(2.0)  # the server closes the connections
    out.rss_after = server.rss()
    out.bytes, out.seconds, out.failed = got["bytes"], got["seconds"], got["failed"]
    out.errors = got["errors"][:3]
    done = start + (max(out.seconds) if out.seconds else CROWD_DEADLINE)
    window = [lat for t, lat in polled["samples"] if start <= t <= done]
    out.health = [lat for lat in window if lat is not None]
    out.health_failed = len(window) - len(out.health)
    return out


def stall(server: Server, job_id: str) -> Stall:
    """The job runs paced: RSS over a window without viewers, then one with stalled viewers."""
    server.control(job_id, "PATCH", body={"speed": STALL_SPEED})
    server.control(job_id, "POST", "resume")
    out = Stall(viewers=STALLED, seconds=STALL_SECONDS)
    try:
        time.sleep(2.0)
        a = server.rss()
        time.sleep(STALL_SECONDS)
        out.quiet = server.rss() - a
        start = time.time() + 1.5
        stop = start + STALL_SECONDS
        path = f"/api/jobs/{job_id}/stream"
        client = spawn("stall", HOST, str(server.port), path, str(STALLED), repr(start), repr(stop))
        time.sleep(max(0.0, start - 0.1 - time.time()))
        b, out.iteration = server.rss(), server.get(f"/api/jobs/{job_id}")["iteration"]
        last = peak = b
        while time.time() < stop - 0.3:
            last = server.rss()
            peak = max(peak, last)
            time.sleep(0.25)
        out.stalled, out.peak = last - b, peak - b
        out.connected = collect(client, STALL_SECONDS + 30)["connected"]
        time.sleep(3.0)
        out.after_close = server.rss() - b
    finally:
        server.control(job_id, "POST", "pause")
    return out


def replays(server: Server, job_id: str, name: str, layers: list[int], iterations: int) -> Replay:
    """REPLAYS requests for random iterations in 1..iterations, within REPLAY_BUDGET seconds."""
    out = Replay(network=name, layers=layers, iterations=iterations)
    rng = random.Random(iterations)
    deadline = time.monotonic() + REPLAY_BUDGET
    for _ in range(REPLAYS):
        if time.monotonic() > deadline:
            break
        wanted = rng.randint(1, iterations)
        began = time.perf_counter()
        answer = server.http.get(
            server.url(f"/api/jobs/{job_id}/trace?iteration={wanted}"), timeout=60.0
        )
        body = answer.content
        out.seconds.append(time.perf_counter() - began)
        out.bytes = max(out.bytes, len(body))
        if answer.status_code != 200 or json.loads(body)["iteration"] != wanted:
            out.wrong += 1
    return out


def replay_supported(server: Server, job_id: str) -> bool:
    """Whether /trace takes `iteration` (before it, the parameter is ignored)."""
    answer = server.http.get(server.url(f"/api/jobs/{job_id}/trace?iteration=1"), timeout=60)
    return answer.status_code == 200 and answer.json().get("iteration") == 1


def replay(server: Server, job_id: str, most: int) -> list[Replay]:
    """Replays over the 3-5-2 run, then over a deep and a wide network's runs."""
    out = [replays(server, job_id, "3-5-2, article rows × 8", [3, 5, 2], LENGTHS[-1])]
    for name, make, length in (
        ("2-8-8-8-8-8-8-1, xor", deep_spec, DEEP_LENGTH),
        ("784-128-10, inline", wide_spec, WIDE_LENGTH),
    ):
        spec = make(length)
        job = server.create(spec)["id"]
        server.step_to(job, length, most)
        out.append(replays(server, job, name, spec["network"]["layers"], length))
        server.control(job, "DELETE")
    return out


@dataclass
class Tree:
    """One source tree to serve, with its label."""

    path: Path
    label: str
    commit: str = ""
    results: list[Any] = field(default_factory=list)


def describe(path: Path, label: str | None) -> Tree:
    commit = subprocess.run(
        ["git", "-C", str(path), "log", "-1", "--format=%h %s"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "-C", str(path), "status", "--porcelain", "backend"],
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout.strip()
    if dirty:
        commit += " (with uncommitted changes in backend/)"
    return Tree(path, label or commit.split(" ", 1)[0] or "?", commit)


def measure(trees: list[Tree]) -> list[TreeResult]:
    """Every phase on every tree's server, tree after tree within a phase."""
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(serve(tree.path)) for tree in trees]
        results = [TreeResult(t.label, t.commit) for t in trees]
        rows = servers[0].get("/api/datasets/article")
        most = [s.get("/api/options")["limits"]["max_step_iterations"] for s in servers]
        jobs: list[tuple[str, str]] = []
        for tree, server, result, step in zip(trees, servers, results, most, strict=True):
            print(f"  {tree.label}: growth…", flush=True)
            result.growth, held, viewed = growth(server, rows, step)
            jobs.append((held, viewed))
        # The stalled viewers come before the crowd: RSS that the crowd's gigabytes leave behind
        # (freed but kept by the allocator) would absorb what they cost.
        for tree, server, result, (held, _) in zip(trees, servers, results, jobs, strict=True):
            print(f"  {tree.label}: {STALLED} stalled viewers…", flush=True)
            result.stall = stall(server, held)
        for tree, server, result, (_, viewed) in zip(trees, servers, results, jobs, strict=True):
            print(f"  {tree.label}: {CROWD} viewers at once…", flush=True)
            result.crowd = crowd(server, viewed)
        for z in zip(trees, servers, results, jobs, most, strict=True):
            tree, server, result, (_, viewed), step = z
            if replay_supported(server, viewed):
                print(f"  {tree.label}: replay…", flush=True)
                result.replay = replay(server, viewed, step)
    return results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.runs", description=__doc__)
    parser.add_argument("--tree", action="append", type=Path, help="a backend source tree")
    parser.add_argument("--label", action="append", default=[], help="its name, in order")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args([] if argv is None else argv)
    paths = args.tree or [REPO]
    labels = args.label + [None] * (len(paths) - len(args.label))
    trees = [describe(path, label) for path, label in zip(paths, labels, strict=True)]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    results = measure(trees)
    section = report(results, load)
    print(section, flush=True)
    if not args.no_docs:
        write_section("runs", section)


if __name__ == "__main__":
    main(sys.argv[1:])
