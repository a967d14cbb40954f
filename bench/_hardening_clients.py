"""Raw HTTP/1.1 clients for bench/hardening.py: health probes, a flood of half-sent heads, a
big POST. All on one asyncio loop that does almost no work itself, on 127.0.0.1 only."""

from __future__ import annotations

import asyncio
import contextlib
import time
from dataclasses import dataclass, field

HOST = "127.0.0.1"
HALF_HEAD = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # the blank line never comes


@dataclass
class Probes:
    """Health answers: (perf_counter() when each began, latency in seconds), and failures."""

    answers: list[tuple[float, float]] = field(default_factory=list)
    failures: list[float] = field(default_factory=list)  # when each failed probe began

    def between(self, start: float, end: float) -> list[float]:
        """Latencies of probes that began in [start, end)."""
        return [latency for at, latency in self.answers if start <= at < end]

    def failed_between(self, start: float, end: float) -> int:
        return sum(start <= at < end for at in self.failures)


async def read_answer(reader: asyncio.StreamReader) -> tuple[int, bytes]:
    """One response: its status and body (Content-Length framed, as uvicorn sends JSON)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value)
    return status, await reader.readexactly(length)


async def health_once(port: int, timeout: float) -> float | None:
    """Latency of GET /api/health on a new connection, None when it fails or takes too long."""
    started = time.perf_counter()
    writer: asyncio.StreamWriter | None = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection(HOST, port)
            writer.write(HALF_HEAD + b"Connection: close\r\n\r\n")
            status, _ = await read_answer(reader)
        return time.perf_counter() - started if status == 200 else None
    except (OSError, TimeoutError, asyncio.IncompleteReadError, ValueError, IndexError):
        return None
    finally:
        if writer is not None:
            writer.close()


async def probe(port: int, probes: Probes, until: asyncio.Event, every: float, timeout: float):
    """Probe health every `every` seconds (one at a time) until `until` is set."""
    while not until.is_set():
        at = time.perf_counter()
        latency = await health_once(port, timeout)
        if latency is None:
            probes.failures.append(at)
        else:
            probes.answers.append((at, latency))
        await asyncio.sleep(every)


@dataclass
class Flood:
    """Connections that sent half a request head and wait; each is watched for its close."""

    writers: list[asyncio.StreamWriter] = field(default_factory=list)
    watchers: list[asyncio.Task[None]] = field(default_factory=list)
    closed: list[float] = field(default_factory=list)  # when the server closed each one
    refused: int = 0  # connections that could not be opened (or not within the timeout)

    async def open(self, port: int, count: int, timeout: float) -> None:
        for _ in range(count):
            try:
                async with asyncio.timeout(timeout):
                    reader, writer = await asyncio.open_connection(HOST, port)
            except (OSError, TimeoutError):
                self.refused += 1
                continue
            writer.write(HALF_HEAD)
            self.writers.append(writer)
            self.watchers.append(asyncio.create_task(self.watch(reader)))

    async def watch(self, reader: asyncio.StreamReader) -> None:
        with contextlib.suppress(OSError):
            while await reader.read(65536):
                pass
        self.closed.append(time.perf_counter())

    async def close(self) -> None:
        for writer in self.writers:
            writer.close()
        for watcher in self.watchers:
            watcher.cancel()
        await asyncio.gather(*self.watchers, return_exceptions=True)


async def post(port: int, path: str, body: bytes, timeout: float) -> tuple[int, bytes, float]:
    """POST a JSON body on its own connection: status, response body, seconds taken."""
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection(HOST, port)
    try:
        async with asyncio.timeout(timeout):
            head = (
                f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            )
            writer.write(head.encode() + body)
            await writer.drain()
            status, answer = await read_answer(reader)
        return status, answer, time.perf_counter() - started
    finally:
        writer.close()
