"""Viewers that come and go every way a client can, and a census of what the server holds.

Used by tests/api/test_stream_hardening.py (counts of threads, tasks, viewers and objects,
in-process) and by bench/churn.py, which runs the clients in a process of their own so that
the server's memory is measured apart from theirs::

    python -m tests.api.churn PORT JOB_ID CYCLES
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gc
import json
import os
import socket
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FunctionType, ModuleType
from typing import Any

from starlette.websockets import WebSocket
from websockets.asyncio.client import connect as connect_async
from websockets.sync.client import connect as connect_sync

from backend.api.history_cursor import HistoryCursor
from backend.api.viewer import Viewer
from backend.jobs.hub import Subscription
from backend.jobs.job import Job
from tests.server import LiveServer

WAIT = 10.0  # the longest one expected message may take on a loaded machine
BURSTS, BURST = 6, 50  # of the connections, this many concurrent bursts of this many
WARM_UP = 40  # connections before the first census: thread pools, the allocator, caches
# What the server holds per viewer while it is connected.
PER_VIEWER = (Subscription, Viewer, HistoryCursor, WebSocket)


def clean(url: str, read: bool = True, frames: int = 0) -> None:
    """Connect, read the snapshot (and some frames) or nothing, and close cleanly."""
    # max_size=None: the snapshot carries the whole loss history, past 1 MiB after a while.
    with connect_sync(url, open_timeout=WAIT, close_timeout=2, max_size=None) as ws:
        if read:
            assert json.loads(ws.recv(timeout=WAIT))["type"] == "snapshot"
        seen = 0
        while seen < frames:
            seen += json.loads(ws.recv(timeout=WAIT))["type"] == "frame"


def dropped(port: int, job_id: str) -> None:
    """Open the WebSocket by hand and drop the TCP connection: no close frame at all."""
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET /api/jobs/{job_id}/stream HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(request.encode())
        assert sock.recv(4096).startswith(b"HTTP/1.1 101")
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    # SO_LINGER with a zero timeout: close() sends a RST, as a crashed client would.


async def burst(url: str, count: int) -> None:
    """`count` viewers at once: each reads its snapshot, half wait for a frame, all close."""

    async def one(i: int) -> None:
        async with connect_async(url, open_timeout=WAIT, close_timeout=2, max_size=None) as ws:
            assert json.loads(await ws.recv())["type"] == "snapshot"
            while i % 2 and json.loads(await ws.recv())["type"] != "frame":
                pass

    await asyncio.wait_for(asyncio.gather(*(one(i) for i in range(count))), timeout=60)


def ways(port: int, job_id: str) -> list[Callable[[], None]]:
    """The four ways one viewer comes and goes, taken in turn."""
    url = f"ws://127.0.0.1:{port}/api/jobs/{job_id}/stream"
    return [
        lambda: clean(url),
        lambda: clean(url, read=False),
        lambda: dropped(port, job_id),
        lambda: clean(url, frames=2),
    ]


def warm_up(port: int, job_id: str) -> None:
    """A few connections of every way and one burst, before anything is counted."""
    each = ways(port, job_id)
    for i in range(WARM_UP):
        each[i % len(each)]()
    asyncio.run(burst(f"ws://127.0.0.1:{port}/api/jobs/{job_id}/stream", BURST))


def churn(port: int, job_id: str, cycles: int) -> None:
    """`cycles` connections in all: one at a time in every way, with BURSTS bursts among them."""
    each, url = ways(port, job_id), f"ws://127.0.0.1:{port}/api/jobs/{job_id}/stream"
    sequential = cycles - BURSTS * BURST
    for i in range(sequential):
        each[i % len(each)]()
        if i % (sequential // BURSTS) == 0 and i // (sequential // BURSTS) < BURSTS:
            asyncio.run(burst(url, BURST))


def census(server: LiveServer, job: Job | None = None) -> dict[str, int]:
    """Threads of this process, tasks on the server's loop, viewers, objects and memory.

    `objects` leaves out what the job's keyframes and history hold: they grow and shrink
    with the run (a few hundred objects as the keyframes fill up and are thinned), not with
    who watches it.
    """
    gc.collect()

    async def tasks() -> int:
        return len(asyncio.all_tasks()) - 1  # not this one

    with job.lock if job is not None else contextlib.nullcontext():  # the run stands still
        objects = gc.get_objects()
        kept = owned(job.run.keyframes, job.history) if job is not None else 0
    return {
        # The loop's default executor (asyncio.to_thread: snapshots) starts its threads as
        # they are first needed, up to its own bound: a busier moment adds one, not a leak.
        "threads": sum(not t.name.startswith("asyncio_") for t in threading.enumerate()),
        "tasks": asyncio.run_coroutine_threadsafe(tasks(), server.jobs.loop).result(timeout=WAIT),
        "subscriptions": server.jobs.viewers(),
        "viewer objects": sum(type(o) in PER_VIEWER for o in objects),  # not __class__
        "objects": len(objects) - kept,
        "rss": rss(),
    }


def owned(*roots: object) -> int:
    """Objects the garbage collector tracks that `roots` hold: reachable from them without
    passing through a class, a module or a function (which everything shares)."""
    seen: set[int] = set()
    count, stack = 0, list(roots)
    while stack:
        obj = stack.pop()
        if id(obj) in seen or isinstance(obj, type | ModuleType | FunctionType):
            continue
        seen.add(id(obj))
        count += gc.is_tracked(obj)
        stack.extend(gc.get_referents(obj))
    return count


def settled(
    server: LiveServer, before: dict[str, int], timeout: float, job: Job | None = None
) -> dict[str, int]:
    """The census once the server holds no viewer, and no more threads, tasks and viewer
    objects than `before` (closed connections wind down on their own time); or, after
    `timeout` seconds, the last census taken."""
    deadline = time.monotonic() + timeout
    while True:
        now = census(server, job)
        done = now["subscriptions"] == 0 and all(
            now[k] <= before[k] for k in ("threads", "tasks", "viewer objects")
        )
        if done or time.monotonic() > deadline:
            return now
        time.sleep(0.2)


def rss() -> int:
    """Resident memory of this process, bytes (Linux /proc; 0 where there is none)."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def main(argv: list[str]) -> dict[str, Any]:
    """The clients' side for bench/churn.py: warm up, say so, wait for a line, churn."""
    port, job_id, cycles = int(argv[0]), argv[1], int(argv[2])
    warm_up(port, job_id)
    print("warm", flush=True)
    sys.stdin.readline()  # the server's census is taken meanwhile
    began = time.monotonic()
    churn(port, job_id, cycles)
    return {"seconds": time.monotonic() - began}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])), flush=True)
