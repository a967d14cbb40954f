"""The clients of bench/big_network.py, each in a process of its own so that its CPU is apart.

``python -m bench._big_viewer HOST PORT PATH SECONDS`` connects, asks for what the page asks
for (30 fps, full detail), reads the snapshot and prints ``snapshot BYTES``, then reads every
message for SECONDS more, counting the frames and their bytes without keeping them, and
prints one JSON line: {"snapshot": bytes, "frames": count, "frame_bytes": [..], "seconds": s}.

``python -m bench._big_viewer health URL INTERVAL SECONDS`` sends GET URL every INTERVAL
seconds over one connection, prints ``ready`` once the connection is open, and at SIGTERM (or
after SECONDS) prints {"samples": [[wall-clock start, latency or null], ...]}.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import struct
import sys
import time
from types import FrameType

import httpx

from bench._runs_clients import CHUNK, HEALTH_TIMEOUT, open_viewer

FRAME_PREFIX = b'{"type":"frame"'
CONFIGURE = {"type": "configure", "fps": 30, "detail": "full"}  # the page's, in explain mode


def masked(text: str) -> bytes:
    """A client text frame (RFC 6455: masked, FIN set), for a short message."""
    payload, mask = text.encode(), os.urandom(4)
    data = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x81, 0x80 | len(payload)]) + mask + data


async def message(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """The next data message: (its bytes, its first bytes); control frames are skipped."""
    size, prefix = 0, b""
    while True:
        b0, b1 = await reader.readexactly(2)
        length = b1 & 0x7F
        if length == 126:
            (length,) = struct.unpack(">H", await reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack(">Q", await reader.readexactly(8))
        opcode = b0 & 0x0F
        if opcode == 0x8:
            raise ConnectionError("the server closed the stream")
        if opcode in (0x0, 0x1, 0x2) and not prefix:
            prefix = await reader.readexactly(min(length, len(FRAME_PREFIX)))
            length -= len(prefix)
            size += len(prefix)
        while length > 0:
            chunk = await reader.read(min(length, CHUNK))
            if not chunk:
                raise ConnectionError("closed in the middle of a message")
            length -= len(chunk)
            if opcode in (0x0, 0x1, 0x2):
                size += len(chunk)
        if opcode in (0x0, 0x1, 0x2) and b0 & 0x80:
            return size, prefix


async def watch(host: str, port: int, path: str, seconds: float) -> dict[str, object]:
    reader, writer = await open_viewer(host, port, path)
    head = await reader.readuntil(b"\r\n\r\n")
    if not head.startswith(b"HTTP/1.1 101"):
        raise ConnectionError(head.split(b"\r\n", 1)[0].decode(errors="replace"))
    writer.write(masked(json.dumps(CONFIGURE)))
    await writer.drain()
    snapshot, _ = await message(reader)
    print(f"snapshot {snapshot}", flush=True)
    frames: list[int] = []
    began = time.perf_counter()
    deadline = began + seconds
    try:
        while time.perf_counter() < deadline:
            left = deadline - time.perf_counter()
            try:
                size, prefix = await asyncio.wait_for(message(reader), timeout=max(0.01, left))
            except TimeoutError:
                break
            if prefix == FRAME_PREFIX:
                frames.append(size)
    finally:
        writer.transport.abort()
    return {
        "snapshot": snapshot,
        "frames": len(frames),
        "frame_bytes": frames,
        "seconds": time.perf_counter() - began,
    }


class _Ended(Exception):
    """SIGTERM: stop polling."""


def _end(_signum: int, _frame: FrameType | None) -> None:
    raise _Ended


def health(url: str, interval: float, seconds: float) -> dict[str, object]:
    samples: list[tuple[float, float | None]] = []
    signal.signal(signal.SIGTERM, _end)
    with contextlib.suppress(_Ended), httpx.Client(timeout=HEALTH_TIMEOUT) as client:
        client.get(url)
        print("ready", flush=True)
        tick = time.time()
        stop = tick + seconds
        while tick < stop:
            time.sleep(max(0.0, tick - time.time()))
            began_wall, began = time.time(), time.perf_counter()
            try:
                ok = client.get(url).status_code == 200
            except httpx.HTTPError:
                ok = False
            samples.append((began_wall, time.perf_counter() - began if ok else None))
            tick = max(tick + interval, time.time())  # no burst to catch up a late tick
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    return {"samples": samples}


def main() -> None:
    if sys.argv[1] == "health":
        url, interval, seconds = sys.argv[2:]
        out = health(url, float(interval), float(seconds))
    else:
        host, port, path, seconds = sys.argv[1:]
        out = asyncio.run(watch(host, int(port), path, float(seconds)))
    print(json.dumps(out), flush=True)


if __name__ == "__main__":
    main()
