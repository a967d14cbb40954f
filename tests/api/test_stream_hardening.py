"""The stream under bad input and churn, against a real uvicorn server on 127.0.0.1.

tests/api/test_stream.py checks one bad message of each kind; here come sizes from just over
4 KiB up to uvicorn's own 16 MiB limit, bursts of bad messages, odd job ids, and 1,000
connections opened and closed every way a client can (clean close, close before reading,
a dropped TCP connection, concurrent bursts) while a job trains, after which the server must
hold no more threads, event-loop tasks, hub subscriptions or memory than before.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import gc
import json
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.websockets import WebSocket
from websockets.asyncio.client import connect as connect_async
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as connect_sync

from backend.api.history_cursor import HistoryCursor
from backend.api.messages import MAX_CLIENT_BYTES, ErrorMessage
from backend.api.stream import CLOSE_NOT_FOUND
from backend.api.viewer import Viewer
from backend.jobs.hub import Subscription
from tests.api.test_stream import WAIT, is_frame, make_spec, receive, sync, until, watch
from tests.server import LiveServer, live_server

CYCLES = 1000  # connections opened and closed in the churn test, in all
BURSTS, BURST = 6, 50  # of them, this many concurrent bursts of this many
SETTLE = 10.0  # seconds the server may take to let go of what closed connections held
OBJECT_GROWTH_BOUND = 500  # objects the garbage collector tracks
RSS_GROWTH_BOUND = 128 * 1024 * 1024  # bytes: generous, the figure is printed
# What the server holds per viewer while it is connected.
PER_VIEWER = (Subscription, Viewer, HistoryCursor, WebSocket)


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with live_server() as live:
        yield live


@contextlib.contextmanager
def watching(server: LiveServer) -> Iterator[tuple[Any, ClientConnection]]:
    """A paused job and a viewer of it, past its snapshot."""
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        assert receive(ws)["type"] == "snapshot"
        yield job, ws


def still_up(ws: ClientConnection, job: Any) -> None:
    """The viewer still answers a ping and still gets frames."""
    assert sync(ws)[-1] == {"type": "pong"}
    target = job.trainer.iteration + 2
    job.step(iterations=2).result(timeout=WAIT)
    until(ws, lambda m: is_frame(m) and m["iteration"] == target)


# ---------------------------------------------------------------- bad messages


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        ("", "Invalid JSON"),
        ("null", "object"),
        ("42", "object"),
        ('"ping"', "object"),
        ("[" * 2000 + "]" * 2000, ""),  # deep nesting, within the size bound
        ('{"type": "ping"} trailing', "Invalid JSON"),
        ('{"type": "configure", "type": "ping"}', ""),  # a duplicate key: the last one wins
        ('{"type": "configure", "fps": 1e999}', "fps"),
        ('{"type": "configure", "fps": NaN}', ""),
        ('{"type": "configure", "fps": true}', "fps"),
        ('{"type": "configure", "detail": null, "fps": null, "x": 1}', "x"),
        ("é" * (MAX_CLIENT_BYTES // 2 + 1), "too long"),  # under 4096 characters, over the bytes
        ("x" * (64 * 1024), "too long"),
        ("x" * (1024 * 1024), "too long"),
        (b"\x00" * (64 * 1024), "binary"),
        (b"\xff" * (1024 * 1024), "binary"),
        (b"", "binary"),
    ],
    ids=lambda v: repr(v[:24]) if isinstance(v, str | bytes) else str(v),
)
def test_a_bad_message_of_any_size_gets_an_error_and_the_stream_stays_up(
    server: LiveServer, sent: str | bytes, says: str
) -> None:
    with watching(server) as (job, ws):
        ws.send(sent)
        message = receive(ws)
        if message["type"] == "error":
            assert says in ErrorMessage.model_validate(message).message
        else:  # a message that turned out valid (the duplicate key) is answered as such
            assert says == "" and message == {"type": "pong"}
        still_up(ws, job)


def test_a_message_of_exactly_the_bound_is_accepted(server: LiveServer) -> None:
    with watching(server) as (job, ws):
        ping = '{"type": "ping"}'
        ws.send(ping + " " * (MAX_CLIENT_BYTES - len(ping)))  # whitespace: still valid JSON
        assert receive(ws) == {"type": "pong"}
        ws.send(ping + " " * (MAX_CLIENT_BYTES - len(ping) + 1))
        assert "too long" in receive(ws)["message"]
        still_up(ws, job)


def test_a_burst_of_bad_messages_gets_one_error_each_and_the_stream_stays_up(
    server: LiveServer,
) -> None:
    kinds: list[str | bytes] = ["{", b"\x01", "x" * 5000, '{"type": "dance"}', "[]"]
    with watching(server) as (job, ws):
        for i in range(500):
            ws.send(kinds[i % len(kinds)])
        replies = sync(ws)
        assert [m["type"] for m in replies] == ["error"] * 500 + ["pong"]
        still_up(ws, job)


def test_a_message_over_uvicorns_limit_closes_with_1009(server: LiveServer) -> None:
    with pytest.raises(ConnectionClosed) as closed, watching(server) as (job, ws):
        ws.send(b"\x00" * (16 * 1024 * 1024 + 1))  # may fail already: the server closes
        until(ws, lambda m: False)
    # The close frame (1009, message too big) may be lost when the server drops the TCP
    # connection while the client is still sending: either way this connection is closed.
    assert closed.value.rcvd is None or closed.value.rcvd.code == 1009
    wait_for(lambda: not job.hub.subscriptions)
    with watch(server, job.id) as again:  # the server serves on
        assert receive(again)["type"] == "snapshot"


# ---------------------------------------------------------------- unknown jobs


@pytest.mark.parametrize(
    "job_id",
    ["x", "a" * 2000, "%00", "%2e%2e", "%F0%9F%99%82", "%20", "null", "%3Cscript%3E"],
)
def test_an_unknown_job_id_of_any_shape_is_closed_4404(server: LiveServer, job_id: str) -> None:
    with watch(server, job_id) as ws:
        message = receive(ws)
        assert message["type"] == "error" and message["message"].startswith("no job with id")
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_NOT_FOUND


@pytest.mark.parametrize(
    "path", ["/api/jobs/..%2f..%2fetc/stream", "/api/jobs/a/b/stream", "/api/nothing", "/stream"]
)
def test_a_websocket_to_a_path_that_is_no_stream_is_refused_in_the_handshake(
    server: LiveServer, path: str
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect_sync(server.ws_url(path), open_timeout=WAIT)
    assert refused.value.response.status_code == 403


def test_a_deleted_job_is_closed_4404(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    server.jobs.delete(job.id)
    with watch(server, job.id) as ws:
        assert "no job with id" in receive(ws)["message"]
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_NOT_FOUND


# ---------------------------------------------------------------- churn


@pytest.mark.timeout(600)
def test_a_thousand_connections_leave_nothing_behind(server: LiveServer) -> None:
    job = server.jobs.create(make_spec(epochs=100_000, speed=2000.0))  # frames keep flowing
    server.jobs.resume(job.id)
    url = server.ws_url(f"/api/jobs/{job.id}/stream")
    ways: list[Callable[[], None]] = [
        lambda: clean(url),
        lambda: clean(url, read=False),
        lambda: dropped(server.port, job.id),
        lambda: clean(url, frames=2),
    ]
    for i in range(40):  # warm up: the thread pools, the allocator, caches
        ways[i % len(ways)]()
    asyncio.run(burst(url, BURST))
    assert settled(server, job)
    census(server)  # its own first call makes objects too
    before = census(server)
    began = time.monotonic()
    sequential = CYCLES - BURSTS * BURST
    for i in range(sequential):
        ways[i % len(ways)]()
        if i % (sequential // BURSTS) == 0 and i // (sequential // BURSTS) < BURSTS:
            asyncio.run(burst(url, BURST))
    elapsed = time.monotonic() - began
    assert settled(server, job)
    after = census(server)
    print(
        f"\n{CYCLES} connections in {elapsed:.1f} s; before → after: "
        + ", ".join(f"{k} {before[k]:,} → {after[k]:,}" for k in before)
    )
    assert job.status == "running"
    assert after["threads"] <= before["threads"]
    assert after["tasks"] <= before["tasks"]
    assert after["subscriptions"] == 0
    assert after["viewer objects"] <= before["viewer objects"]
    # A leak of one object per connection would show as 1,000 more; the interpreter's caches
    # and the job's growing history account for a few.
    assert after["objects"] - before["objects"] < OBJECT_GROWTH_BOUND
    # Resident memory also counts the clients (this process) and what the allocator keeps for
    # later (its arenas are per thread, and every sync client has one): a loose bound.
    assert after["rss"] - before["rss"] < RSS_GROWTH_BOUND
    job.stop()


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


def settled(server: LiveServer, job: Any) -> bool:
    """Wait until the job has no viewer and the threads the clients started have ended."""
    deadline = time.monotonic() + SETTLE
    while time.monotonic() < deadline:
        if not job.hub.subscriptions and server.jobs.viewers() == 0:
            time.sleep(1.0)  # the last sockets and executor work wind down
            return True
        time.sleep(0.05)
    return False


def census(server: LiveServer) -> dict[str, int]:
    """Threads of this process, tasks on the server's loop, viewers, objects and memory."""
    gc.collect()

    async def tasks() -> int:
        return len(asyncio.all_tasks()) - 1  # not this one

    loop = server.jobs.loop
    objects = gc.get_objects()
    return {
        "threads": threading.active_count(),
        "tasks": asyncio.run_coroutine_threadsafe(tasks(), loop).result(timeout=WAIT),
        "subscriptions": server.jobs.viewers(),
        "viewer objects": sum(type(o) in PER_VIEWER for o in objects),  # not __class__
        "objects": len(objects),
        "rss": rss(),
    }


def rss() -> int:
    """Resident memory of this process (server and clients), bytes (Linux /proc)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def wait_for(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
