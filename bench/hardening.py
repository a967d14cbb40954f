"""Hardening: a flood of half-sent requests, and the largest bodies, against a server.

Each server is ``python -m backend`` from a source tree (``--tree DIR``, repeatable, with
``--label NAME``; default this repository), a child process on 127.0.0.1 with a fresh SQLite
file, its imports taken from that tree. On every server, one after another:

1. flood: the server may open 1,024 files (RLIMIT_NOFILE, set in the child before it starts);
   2,000 connections each send half a request head and wait. ``GET /api/health`` is sent every
   50 ms, each on a new connection with a 1 s timeout, from before the flood until 4 s past
   the default header timeout (10 s); the server's open file descriptors (/proc/<pid>/fd) are
   counted before, 2 s after the flood is open, and at the end.
2. bodies: ``POST /api/jobs`` with a 16 MiB inline data set (10,000 rows), then ``POST
   /predict`` with 10,000 × 300 inputs; health every 10 ms meanwhile, on new connections. Once
   with the SQLite store, once with jobs in memory only (``PLAYGROUND_DB=""``): the store's
   writing of the spec is apart from the parsing of the body.

Goals (issue 9): the flood never stops health, and health stays under 300 ms while a maximal
body is parsed. Results are printed as markdown and written to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import resource
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench._hardening_clients import HOST, Flood, Probes, health_once, post, probe
from bench._hardening_report import report
from bench.report import write_section

REPO = Path(__file__).resolve().parent.parent
FLOOD, FLOOD_FILES = 2_000, 1_024  # half-sent connections; the server's open-file limit
HEADER_TIMEOUT = 10.0  # seconds: the default bound the flood is held past
FLOOD_EVERY, BODY_EVERY = 0.05, 0.01  # seconds between two health probes
MAX_BODY = 16 * 1024 * 1024
ROWS, PREDICT_COLUMNS = 10_000, 300


@dataclass
class Tree:
    label: str
    path: Path
    commit: str


@dataclass
class Result:
    tree: Tree
    fds: dict[str, int] = field(default_factory=dict)  # before / open / after
    flood_open: int = 0
    flood_refused: int = 0
    flood_closed: int = 0
    held: Probes = field(default_factory=Probes)
    windows: tuple[float, float, float] = (0.0, 0.0, 0.0)  # flood open, timeout + 2 s, end
    bodies: dict[str, tuple[int, int, float, Probes]] = field(default_factory=dict)


def open_fds(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


@contextlib.contextmanager
def serve(
    tree: Path, files: int | None = None, stored: bool = True
) -> Iterator[tuple[subprocess.Popen[bytes], int]]:
    """``python -m backend`` from `tree` (at most `files` open files; jobs in memory only
    unless `stored`): (process, port)."""
    with tempfile.TemporaryDirectory(prefix="bench-hardening-") as scratch:
        database = f"{scratch}/jobs.db" if stored else ""
        env = dict(os.environ, PYTHONPATH=str(tree), PLAYGROUND_DB=database)
        for name in ("PLAYGROUND_TOKEN", "PLAYGROUND_ADMIN_KEY", "PLAYGROUND_PORT"):
            env.pop(name, None)
        origin = subprocess.run(
            [sys.executable, "-c", "import backend; print(backend.__file__)"],
            cwd=tree,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=True,
        ).stdout.strip()
        if not Path(origin).resolve().is_relative_to(tree.resolve()):
            raise RuntimeError(f"backend is imported from {origin}, not from {tree}")
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            port = sock.getsockname()[1]

        def limit() -> None:
            if files is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (files, files))

        command = [sys.executable, "-m", "backend", "--host", HOST, "--port", str(port)]
        with open(f"{scratch}/server.log", "wb") as log:
            process = subprocess.Popen(
                [*command, "--log-level", "warning"],
                cwd=tree,
                env=env,
                stdout=log,
                stderr=log,
                preexec_fn=limit,
            )
        try:
            deadline = time.monotonic() + 30
            while asyncio.run(health_once(port, 2.0)) is None:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(Path(f"{scratch}/server.log").read_text()[-2000:])
                time.sleep(0.1)
            yield process, port
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


async def flood(pid: int, port: int, out: Result) -> None:
    done, probes = asyncio.Event(), out.held
    prober = asyncio.create_task(probe(port, probes, done, FLOOD_EVERY, 1.0))
    await asyncio.sleep(1.0)
    out.fds["before"] = open_fds(pid)
    connections = Flood()
    try:
        await connections.open(port, FLOOD, timeout=2.0)
        opened = time.perf_counter()
        await asyncio.sleep(2.0)
        out.fds["open"] = open_fds(pid)
        end = opened + HEADER_TIMEOUT + 4.0
        await asyncio.sleep(max(0.0, end - time.perf_counter()))
        out.fds["after"] = open_fds(pid)
        out.flood_open, out.flood_refused = len(connections.writers), connections.refused
        out.flood_closed = len(connections.closed)
        out.windows = (opened, opened + HEADER_TIMEOUT + 2.0, end)
    finally:
        done.set()
        await prober
        await connections.close()


def rows(count: int, columns: int, digits: int, seed: int) -> str:
    """`count` rows of `columns` numbers in [0, 1) with `digits` decimals, as JSON text."""
    rng = random.Random(seed)
    row = "[" + ",".join([f"{{:.{digits}f}}"] * columns) + "]"
    return (
        "["
        + ",".join(row.format(*(rng.random() for _ in range(columns))) for _ in range(count))
        + "]"
    )


def inline_spec_body() -> tuple[bytes, int]:
    """The widest 10,000-row inline data set whose create body fits in 16 MiB: (body, columns)."""
    columns = (MAX_BODY - 200_000) // (ROWS * 9)  # "0.123456," per number
    while True:
        head = {"network": {"layers": [columns, 4, 1]}, "start": "paused"}
        text = json.dumps(head)[:-1] + ', "dataset": {"inputs": ' + rows(ROWS, columns, 6, 1)
        body = (text + ', "targets": ' + rows(ROWS, 1, 6, 2) + "}}").encode()
        if len(body) <= MAX_BODY:
            return body, columns
        columns -= 1


async def timed(port: int, path: str, body: bytes) -> tuple[int, int, float, Probes]:
    """POST `body` while health is probed: (status, bytes, seconds, the probes meanwhile)."""
    done, probes = asyncio.Event(), Probes()
    prober = asyncio.create_task(probe(port, probes, done, BODY_EVERY, 30.0))
    try:
        status, answer, seconds = await post(port, path, body, timeout=300.0)
    finally:
        done.set()
        await prober
    if status >= 300:
        raise RuntimeError(f"{path}: {status} {answer[:300]!r}")
    return status, len(body), seconds, probes


async def bodies(port: int, out: Result, spec: bytes, where: str) -> None:
    small = {
        "network": {"layers": [PREDICT_COLUMNS, 4, 1]},
        "start": "paused",
        "dataset": {"inputs": [[0.5] * PREDICT_COLUMNS] * 2, "targets": [[1.0]] * 2},
    }
    _, answer, _ = await post(port, "/api/jobs", json.dumps(small).encode(), 60.0)
    job = json.loads(answer)["id"]
    warm = json.dumps({"inputs": [[0.5] * PREDICT_COLUMNS]}).encode()
    await post(port, f"/api/jobs/{job}/predict", warm, 60.0)  # first-use costs, not measured
    out.bodies[f"create, {where}"] = await timed(port, "/api/jobs", spec)
    inputs = ('{"inputs": ' + rows(ROWS, PREDICT_COLUMNS, 2, 3) + "}").encode()
    out.bodies[f"predict, {where}"] = await timed(port, f"/api/jobs/{job}/predict", inputs)


def describe(path: Path, label: str | None) -> Tree:
    path = path.resolve()
    commit = (
        subprocess.run(
            ["git", "-C", str(path), "log", "-1", "--format=%h %s"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()[:90]
        or "not a git tree"
    )
    dirty = subprocess.run(
        ["git", "-C", str(path), "status", "--porcelain", "--untracked-files=no"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return Tree(label or path.name, path, commit + (" + uncommitted changes" if dirty else ""))


def measure(trees: list[Tree]) -> tuple[list[Result], int]:
    results = [Result(tree) for tree in trees]
    spec, columns = inline_spec_body()
    for r in results:
        print(f"-- {r.tree.label}: flood", flush=True)
        with serve(r.tree.path, files=FLOOD_FILES) as (process, port):
            asyncio.run(flood(process.pid, port, r))
        for stored, where in ((True, "SQLite store"), (False, "jobs in memory")):
            print(f"-- {r.tree.label}: bodies, {where}", flush=True)
            with serve(r.tree.path, stored=stored) as (_, port):
                asyncio.run(bodies(port, r, spec, where))
    return results, columns


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.hardening", description=__doc__)
    parser.add_argument("--tree", action="append", type=Path, help="a backend source tree")
    parser.add_argument("--label", action="append", default=[], help="its name, in order")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args([] if argv is None else argv)
    paths = args.tree or [REPO]
    labels = args.label + [None] * (len(paths) - len(args.label))
    trees = [describe(path, label) for path, label in zip(paths, labels, strict=True)]
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    results, columns = measure(trees)
    section = report(results, columns, load)
    print(section, flush=True)
    if not args.no_docs:
        write_section("hardening", section)


if __name__ == "__main__":
    main(sys.argv[1:])
