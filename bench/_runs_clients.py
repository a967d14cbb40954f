"""Clients for bench/runs.py, each run in its own process so that its CPU and memory are apart.

The viewers speak just enough of the WebSocket protocol (RFC 6455) to count a message's bytes
without keeping them: a 20 MB snapshot read by 100 viewers at once would otherwise cost the
client process 2 GB.

``python -m bench._runs_clients snapshots HOST PORT PATH COUNT START DEADLINE`` opens COUNT
viewers of PATH at once at wall-clock time START; each reads the first message (the snapshot)
and closes. It prints each viewer's bytes and the seconds from START until it had them.

``python -m bench._runs_clients stall HOST PORT PATH COUNT START STOP`` opens COUNT viewers at
START that never read a byte (a small receive buffer, so the kernel takes little of what the
server sends) and closes them at STOP.

``python -m bench._runs_clients health URL START STOP INTERVAL`` sends GET URL every INTERVAL
seconds over one kept-alive connection from START until STOP or SIGTERM, and prints each
request's start time and latency (null when it failed).

Each prints one JSON line and exits by itself by its deadline.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import signal
import socket
import struct
import sys
import time
from dataclasses import asdict, dataclass, field
from types import FrameType

import httpx

SNAPSHOT_PREFIX = b'{"type":"snapshot"'
STALL_RCVBUF = 4096  # bytes; the kernel doubles it
CHUNK = 1 << 20  # bytes read at a time while skipping a payload
HEALTH_TIMEOUT = 60.0  # seconds: a slow answer is measured, not dropped


async def open_viewer(
    host: str, port: int, path: str, rcvbuf: int | None = None
) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    """A connection with the opening handshake sent (its answer is left unread)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf is not None:  # before connect, so that the window is small from the start
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, port))
    reader, writer = await asyncio.open_connection(sock=sock, limit=CHUNK)
    key = base64.b64encode(os.urandom(16)).decode()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
    )
    writer.write(f"{request}\r\n".encode())
    await writer.drain()
    return reader, writer


async def first_message(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """Read the handshake's answer, then the first data message: (its bytes, its first bytes)."""
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
    size, prefix = 0, b""
    while True:
        b0, b1 = await reader.readexactly(2)
        length = b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack(">H", await reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack(">Q", await reader.readexactly(8))
        if b1 & 0x80:  # a server never masks, but skip a mask if one came
            await reader.readexactly(4)
        opcode = b0 & 0x0F
        if opcode == 0x8:
            raise ConnectionError("closed before the first message")
        if not prefix and opcode in (0x0, 0x1, 0x2):
            prefix = await reader.readexactly(min(length, len(SNAPSHOT_PREFIX)))
            length -= len(prefix)
            size += len(prefix)
        await skip(reader, length)
        if opcode in (0x0, 0x1, 0x2):  # data (continuation, text, binary); else control
            size += length
            if b0 & 0x80:  # FIN: the message is complete
                return size, prefix


async def skip(reader: asyncio.StreamReader, count: int) -> None:
    """Read and drop `count` bytes."""
    while count > 0:
        chunk = await reader.read(min(count, CHUNK))
        if not chunk:
            raise ConnectionError("closed in the middle of a message")
        count -= len(chunk)


async def snapshot_size(host: str, port: int, path: str) -> tuple[int, float]:
    """One viewer: the first message's bytes and the seconds from connecting until it arrived."""
    began = time.perf_counter()
    reader, writer = await open_viewer(host, port, path)
    try:
        size, prefix = await first_message(reader)
    finally:
        writer.close()
    if prefix != SNAPSHOT_PREFIX:
        raise ConnectionError(f"the first message is not a snapshot: {prefix!r}")
    return size, time.perf_counter() - began


@dataclass
class Snapshots:
    """Per viewer that got its snapshot: bytes and seconds from START; the others, counted."""

    bytes: list[int] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    failed: int = 0
    errors: list[str] = field(default_factory=list)


async def snapshots(
    host: str, port: int, path: str, count: int, start: float, deadline: float
) -> Snapshots:
    """COUNT viewers at once at START, each until its snapshot has arrived (or DEADLINE)."""
    out = Snapshots()

    async def one() -> None:
        try:
            reader, writer = await open_viewer(host, port, path)
            try:
                size, prefix = await first_message(reader)
            finally:
                writer.close()
            if prefix != SNAPSHOT_PREFIX:
                raise ConnectionError(f"not a snapshot: {prefix!r}")
            out.bytes.append(size)
            out.seconds.append(time.time() - start)
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError) as exc:
            out.failed += 1
            out.errors.append(repr(exc)[:200])

    await asyncio.sleep(max(0.0, start - time.time()))
    tasks = [asyncio.create_task(one()) for _ in range(count)]
    _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - time.time()))
    for task in pending:
        task.cancel()
    out.failed += len(pending)
    await asyncio.gather(*tasks, return_exceptions=True)
    return out


@dataclass
class Stalled:
    """How many never-reading viewers connected, and how many could not."""

    connected: int = 0
    failed: int = 0


async def stall(host: str, port: int, path: str, count: int, start: float, stop: float) -> Stalled:
    """COUNT viewers that connect at START, never read, and close at STOP."""
    out = Stalled()
    await asyncio.sleep(max(0.0, start - time.time()))
    writers = []
    for _ in range(count):
        try:
            _, writer = await open_viewer(host, port, path, rcvbuf=STALL_RCVBUF)
            writers.append(writer)
            out.connected += 1
        except OSError:
            out.failed += 1
    await asyncio.sleep(max(0.0, stop - time.time()))
    for writer in writers:
        writer.transport.abort()  # no close handshake: the server finds out by itself
    return out


@dataclass
class Health:
    """[wall-clock start, latency in seconds or None if it failed] per request."""

    samples: list[tuple[float, float | None]] = field(default_factory=list)


class _Ended(Exception):
    """SIGTERM: stop polling, even in the middle of a request (it is past the window)."""


def _end(_signum: int, _frame: FrameType | None) -> None:
    raise _Ended


def poll_health(url: str, start: float, stop: float, interval: float) -> Health:
    """GET `url` every `interval` s over one connection, from `start` until `stop` or SIGTERM."""
    out = Health()
    signal.signal(signal.SIGTERM, _end)
    with contextlib.suppress(_Ended), httpx.Client(timeout=HEALTH_TIMEOUT) as client:
        client.get(url)  # open the connection before the window
        tick = max(start, time.time())
        while True:
            time.sleep(max(0.0, tick - time.time()))
            began_wall, began = time.time(), time.perf_counter()
            if began_wall >= stop:
                break
            try:
                ok = client.get(url).status_code == 200
            except httpx.HTTPError:
                ok = False
            out.samples.append((began_wall, time.perf_counter() - began if ok else None))
            tick = max(tick + interval, time.time())  # no burst to catch up a late tick
    return out


def main() -> None:
    kind, *args = sys.argv[1:]
    out: object
    if kind == "snapshots":
        host, port, path, count, start, deadline = args
        out = asyncio.run(
            snapshots(host, int(port), path, int(count), float(start), float(deadline))
        )
    elif kind == "stall":
        host, port, path, count, start, stop = args
        out = asyncio.run(stall(host, int(port), path, int(count), float(start), float(stop)))
    elif kind == "health":
        url, start, stop, interval = args
        out = poll_health(url, float(start), float(stop), float(interval))
    else:
        raise SystemExit(f"unknown client kind {kind!r}: snapshots, stall or health")
    print(json.dumps(asdict(out)), flush=True)


if __name__ == "__main__":
    main()
