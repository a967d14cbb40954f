"""A real uvicorn server on 127.0.0.1, in a background thread, for tests that need real sockets.

    with live_server() as server:
        job = server.jobs.create(spec)
        websockets.sync.client.connect(server.ws_url(f"/api/jobs/{job.id}/stream"))

The app runs in this process, so tests can reach ``server.jobs`` (the JobManager) directly.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

import uvicorn
from fastapi import FastAPI

from backend.api.app import create_app
from backend.api.serving import config
from backend.config import Settings
from backend.jobs.manager import JobManager

STARTUP_TIMEOUT = 20.0


@dataclass(frozen=True)
class LiveServer:
    """A running server: its app and the port it listens on."""

    app: FastAPI
    port: int

    @property
    def jobs(self) -> JobManager:
        """The app's job manager (made by its lifespan)."""
        manager: JobManager = self.app.state.jobs
        return manager

    def url(self, path: str) -> str:
        """An http:// URL on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    def ws_url(self, path: str) -> str:
        """A ws:// URL on this server."""
        return f"ws://127.0.0.1:{self.port}{path}"


@contextlib.contextmanager
def live_server(app: FastAPI | None = None, max_waiting: int | None = None) -> Iterator[LiveServer]:
    """Serve `app` (a fresh create_app() by default) on a free port until the block ends.

    The server is configured as `python -m backend` configures it (backend/api/serving.py),
    with the app's settings (its timeouts); `max_waiting` bounds the connections waiting for
    a request (default: half the open-file limit).
    """
    app = create_app(Settings()) if app is None else app
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    settings: Settings = app.state.settings
    options = {"log_level": "warning", "timeout_graceful_shutdown": 5}
    server = uvicorn.Server(config(app, settings, max_waiting=max_waiting, **options))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    try:
        _wait_started(server, thread)
        yield LiveServer(app, sock.getsockname()[1])
    finally:
        server.should_exit = True
        thread.join(timeout=15)
        sock.close()


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the server stopped during start-up")
        if time.monotonic() > deadline:
            raise TimeoutError(f"the server did not start within {STARTUP_TIMEOUT} s")
        time.sleep(0.01)
