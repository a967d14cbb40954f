"""A server process for bench/runs.py: ``python -m backend`` from a given source tree.

The server runs as a child process on 127.0.0.1 with its own SQLite file, its imports taken
from that tree (checked before it starts), so that two versions of the backend can be measured
side by side with the same Python. The handle speaks both the API before and after job keys:
it sends ``X-Job-Key`` for a job whose create answer held a ``key``.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"
STARTUP_TIMEOUT = 30.0
STOP_TIMEOUT = 20.0
STEP_TIMEOUT = 300.0  # one POST /step of up to 100,000 iterations
MAX_STEPS = 100  # POST /step calls to reach one target iteration, at most


@dataclass
class Server:
    """A running server process and an HTTP client for it."""

    tree: Path
    process: subprocess.Popen[bytes]
    port: int
    http: httpx.Client
    keys: dict[str, str] = field(default_factory=dict)  # job id → its key, when it has one

    def url(self, path: str) -> str:
        return f"http://{HOST}:{self.port}{path}"

    def rss(self) -> int:
        """The server process's resident memory, bytes (VmRSS of /proc/<pid>/status)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
        raise RuntimeError("no VmRSS in /proc/<pid>/status")

    def get(self, path: str, timeout: float = 30.0) -> Any:
        answer = self.http.get(self.url(path), timeout=timeout)
        answer.raise_for_status()
        return answer.json()

    def create(self, spec: dict[str, Any]) -> dict[str, Any]:
        """POST /api/jobs; keeps the answer's key for later control requests."""
        answer = self.http.post(self.url("/api/jobs"), json=spec, timeout=60.0)
        answer.raise_for_status()
        view: dict[str, Any] = answer.json()
        if "key" in view:
            self.keys[view["id"]] = view["key"]
        return view

    def control(
        self, job_id: str, method: str, action: str = "", body: object = None, timeout: float = 30
    ) -> dict[str, Any]:
        """A control request on one job (`action` after its path), with its key if it has one."""
        headers = {"X-Job-Key": self.keys[job_id]} if job_id in self.keys else {}
        path = f"/api/jobs/{job_id}" + (f"/{action}" if action else "")
        answer = self.http.request(
            method, self.url(path), json=body, headers=headers, timeout=timeout
        )
        answer.raise_for_status()
        return answer.json() if answer.content else {}

    def step_to(self, job_id: str, target: int, most: int) -> int:
        """Step a paused job, at most `most` iterations a call, until `target`; its iteration."""
        iteration = self.get(f"/api/jobs/{job_id}")["iteration"]
        for _ in range(MAX_STEPS):
            if iteration >= target:
                break
            body = {"iterations": min(most, target - iteration)}
            view = self.control(job_id, "POST", "step", body, timeout=STEP_TIMEOUT)
            stuck = view["iteration"] == iteration or view["status"] != "paused"
            iteration = view["iteration"]
            if stuck and iteration < target:
                raise RuntimeError(f"the job stopped at {iteration}: {view['message']}")
        return int(iteration)


def imported_from(tree: Path, env: dict[str, str]) -> Path:
    """Where `import backend` comes from with this tree as cwd and PYTHONPATH."""
    out = subprocess.run(
        [sys.executable, "-c", "import backend; print(backend.__file__)"],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return Path(out.stdout.strip()).resolve()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        port: int = sock.getsockname()[1]
        return port


@contextlib.contextmanager
def serve(tree: Path) -> Iterator[Server]:
    """``python -m backend`` from `tree` with a fresh database, until the block ends."""
    tree = tree.resolve()
    with tempfile.TemporaryDirectory(prefix="bench-runs-") as scratch:
        env = dict(os.environ, PYTHONPATH=str(tree), PLAYGROUND_DB=f"{scratch}/jobs.db")
        for name in ("PLAYGROUND_TOKEN", "PLAYGROUND_ADMIN_KEY", "PLAYGROUND_PORT"):
            env.pop(name, None)
        origin = imported_from(tree, env)
        if not origin.is_relative_to(tree):
            raise RuntimeError(f"backend is imported from {origin}, not from {tree}")
        port = free_port()
        command = [sys.executable, "-m", "backend", "--host", HOST, "--port", str(port)]
        with open(f"{scratch}/server.log", "wb") as log:
            process = subprocess.Popen(
                [*command, "--log-level", "warning"], cwd=tree, env=env, stdout=log, stderr=log
            )
            try:
                with httpx.Client() as http:
                    server = Server(tree, process, port, http)
                    _wait_started(server)
                    yield server
            finally:
                _stop(process)
                if process.returncode not in (0, -15):
                    sys.stderr.write(Path(f"{scratch}/server.log").read_text()[-4000:])


def _wait_started(server: Server) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError("the server exited during start-up")
        with contextlib.suppress(httpx.HTTPError):
            if server.http.get(server.url("/api/health"), timeout=2.0).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError("the server did not start in time")


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM (the server checkpoints and exits), SIGKILL if it does not in time."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=STOP_TIMEOUT)
