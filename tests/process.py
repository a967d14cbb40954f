"""`python -m backend` as a real process on 127.0.0.1, for start-up, restart and signal tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from tests.keyring import Keyring

STARTUP_TIMEOUT = 30.0


def free_port() -> int:
    """A TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerProcess:
    """A server subprocess with its own log and environment; start() waits for /api/health."""

    def __init__(
        self, workdir: Path, env: dict[str, str] | None = None, keyring: Keyring | None = None
    ) -> None:
        self.workdir, self.port = workdir, free_port()
        self.env = {**os.environ, "PLAYGROUND_DB": str(workdir / "playground.db"), **(env or {})}
        self.log_path = workdir / f"server-{self.port}.log"
        self.proc: subprocess.Popen[bytes] | None = None
        self.url = f"http://127.0.0.1:{self.port}"
        self.keyring = keyring or Keyring()  # pass the old one on: a restart keeps the jobs

    def command(self) -> list[str]:
        """The command line that starts the server."""
        return [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", str(self.port)]

    def start(self) -> ServerProcess:
        """Launch and wait until it answers, or fail with its log."""
        with self.log_path.open("ab") as log:
            self.proc = subprocess.Popen(
                self.command(),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=self.env,
            )
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                break
            try:
                if httpx.get(f"{self.url}/api/health", timeout=1.0).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.1)
        raise AssertionError(f"server did not start within {STARTUP_TIMEOUT} s:\n{self.log()}")

    def run_to_exit(self, timeout: float = STARTUP_TIMEOUT) -> subprocess.CompletedProcess[str]:
        """Launch a server expected to stop by itself: its exit code, stdout and stderr."""
        try:
            return subprocess.run(
                self.command(),
                capture_output=True,
                text=True,
                stdin=subprocess.DEVNULL,
                env=self.env,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"still running after {timeout} s: {exc.output!r}") from None

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """One HTTP request to the server, with the key of a job this object created."""
        headers = self.keyring.headers(path, kwargs.pop("headers", None))
        url = f"{self.url}{path}"
        response = httpx.request(method, url, timeout=30.0, headers=headers, **kwargs)
        self.keyring.remember(method, response)
        return response

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 30.0) -> int:
        """Send `sig` and wait for the exit code (a SIGKILL cannot be caught)."""
        assert self.proc is not None
        self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise AssertionError(f"server ignored signal {sig}:\n{self.log()}") from None

    def log(self) -> str:
        """What the server printed so far."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
