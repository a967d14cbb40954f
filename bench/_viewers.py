"""Viewers for bench/stream.py, run in their own process so that their CPU is counted apart.

``python -m bench._viewers URL COUNT DETAIL START STOP`` opens COUNT WebSocket viewers of URL,
asks each for DETAIL frames at 30 fps, reads every message, and counts those that arrive
between the wall-clock times START and STOP; then prints one JSON line and exits.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time
from dataclasses import asdict, dataclass

from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

FRAME_PREFIX = b'{"type":"frame"'


@dataclass
class Counts:
    """What all viewers received inside the window, and the process's CPU time there."""

    connected: int = 0
    failed: int = 0
    messages: int = 0
    frames: int = 0
    bytes: int = 0
    cpu_seconds: float = 0.0


async def view(url: str, detail: str, window: tuple[float, float], counts: Counts) -> None:
    """One viewer: read until cancelled, counting (not parsing) what arrives in the window."""
    try:
        async with connect(url, max_size=None, compression=None, close_timeout=1) as ws:
            await ws.send(json.dumps({"type": "configure", "fps": 30, "detail": detail}))
            counts.connected += 1
            while True:
                data = await ws.recv(decode=False)
                if window[0] <= time.time() < window[1]:
                    counts.messages += 1
                    counts.bytes += len(data)
                    counts.frames += data.startswith(FRAME_PREFIX)
    except (OSError, ConnectionClosed):
        counts.failed += 1


async def run(url: str, count: int, detail: str, start: float, stop: float) -> Counts:
    """Every viewer for the window, then close them all."""
    counts = Counts()
    tasks = [asyncio.create_task(view(url, detail, (start, stop), counts)) for _ in range(count)]
    await asyncio.sleep(max(0.0, start - time.time()))
    cpu = time.process_time()
    await asyncio.sleep(max(0.0, stop - time.time()))
    counts.cpu_seconds = time.process_time() - cpu
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return counts


def main() -> None:
    url, count, detail, start, stop = sys.argv[1:6]
    counts = asyncio.run(run(url, int(count), detail, float(start), float(stop)))
    print(json.dumps(asdict(counts)), flush=True)


if __name__ == "__main__":
    main()
