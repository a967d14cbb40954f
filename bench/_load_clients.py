"""Clients for bench/load.py and bench/stream.py, each kind in its own process so that their CPU
is counted apart.

``python -m bench._load_clients viewers START STOP FPS DETAIL COUNT URL...`` opens COUNT
WebSocket viewers spread round-robin over the URLs (one per job), asks each for FPS frames a
second at DETAIL ("full" or "summary"), reads every message and counts what arrives between the
wall-clock times START and STOP.

``python -m bench._load_clients health URL START STOP INTERVAL`` sends GET URL every INTERVAL
seconds over one kept-alive connection and records each answer's latency between START and
STOP.

Each prints one JSON line and exits by itself shortly after STOP.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass, field

import httpx
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

FRAME_PREFIX = b'{"type":"frame"'
CONNECT_SPREAD = 0.02  # seconds between two viewers' connections: no thundering herd
GRACE = 5.0  # seconds past STOP after which a client gives up waiting


@dataclass
class Viewers:
    """What the viewers received inside the window, and the process's CPU time there."""

    connected: int = 0
    failed: int = 0
    closed_early: int = 0  # connections that ended inside the window
    messages: int = 0
    frames: int = 0
    bytes: int = 0
    cpu_seconds: float = 0.0
    frames_per_viewer: list[int] = field(default_factory=list)


async def view(
    url: str, ask: dict[str, object], window: tuple[float, float], counts: Viewers, i: int
) -> None:
    """One viewer: read until cancelled, counting (not parsing) what arrives in the window."""
    frames = 0
    try:
        async with connect(url, max_size=None, compression=None, close_timeout=1) as ws:
            await ws.send(json.dumps({"type": "configure", **ask}))
            counts.connected += 1
            while True:
                data = await ws.recv(decode=False)
                if window[0] <= time.time() < window[1]:
                    counts.messages += 1
                    counts.bytes += len(data)
                    is_frame = data.startswith(FRAME_PREFIX)
                    counts.frames += is_frame
                    frames += is_frame
    except (OSError, ConnectionClosed, TimeoutError):
        if window[0] <= time.time() < window[1]:
            counts.closed_early += 1
        else:
            counts.failed += 1
    finally:
        counts.frames_per_viewer[i] = frames


async def run_viewers(
    urls: list[str], count: int, fps: float, detail: str, start: float, stop: float
) -> Viewers:
    """Every viewer for the window, then close them all."""
    counts = Viewers(frames_per_viewer=[0] * count)
    tasks = []
    for i in range(count):
        url = urls[i % len(urls)]
        ask = {"fps": fps, "detail": detail}
        tasks.append(asyncio.create_task(view(url, ask, (start, stop), counts, i)))
        await asyncio.sleep(CONNECT_SPREAD)
    await asyncio.sleep(max(0.0, start - time.time()))
    cpu = time.process_time()
    await asyncio.sleep(max(0.0, stop - time.time()))
    counts.cpu_seconds = time.process_time() - cpu
    for task in tasks:
        task.cancel()
    await asyncio.wait_for(asyncio.gather(*tasks, return_exceptions=True), timeout=GRACE)
    return counts


@dataclass
class Health:
    """Latencies of the answers inside the window, seconds, and the requests that failed."""

    latencies: list[float] = field(default_factory=list)
    failed: int = 0
    late: int = 0  # requests that could not start on their tick (the previous one ran over)


def poll_health(url: str, start: float, stop: float, interval: float) -> Health:
    """GET `url` every `interval` s over one connection; record the window's latencies."""
    result = Health()
    with httpx.Client(timeout=GRACE) as client:
        client.get(url)  # open the connection before the window
        tick = max(start, time.time())
        while True:
            time.sleep(max(0.0, tick - time.time()))
            began_wall, began = time.time(), time.perf_counter()
            if began_wall >= stop:
                return result
            try:
                ok = client.get(url).status_code == 200
            except httpx.HTTPError:
                ok = False
            latency = time.perf_counter() - began
            if began_wall >= start:
                if ok:
                    result.latencies.append(latency)
                else:
                    result.failed += 1
            tick += interval
            if tick < time.time():  # no catching up with a burst: the next tick from now
                result.late += 1
                tick = time.time()


def main() -> None:
    kind, *args = sys.argv[1:]
    if kind == "viewers":
        start, stop, fps, detail, count, *urls = args
        out: object = asyncio.run(
            run_viewers(urls, int(count), float(fps), detail, float(start), float(stop))
        )
    elif kind == "health":
        url, start, stop, interval = args
        out = poll_health(url, float(start), float(stop), float(interval))
    else:
        raise SystemExit(f"unknown client kind {kind!r}: viewers or health")
    print(json.dumps(asdict(out)), flush=True)  # type: ignore[call-overload]


if __name__ == "__main__":
    main()
