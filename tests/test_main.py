"""`python -m backend` starts a real server that answers /api/health."""

import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from backend import __version__

STARTUP_TIMEOUT = 20.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_python_m_backend_serves_health(tmp_path: Path) -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}/api/health"
    log_path = tmp_path / "server.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "backend", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        try:
            deadline = time.monotonic() + STARTUP_TIMEOUT
            response = None
            while time.monotonic() < deadline:
                if proc.poll() is not None:
                    break
                try:
                    response = httpx.get(url, timeout=1.0)
                    break
                except httpx.TransportError:
                    time.sleep(0.1)
            output = log_path.read_text(errors="replace")
            assert response is not None, (
                f"server did not answer within {STARTUP_TIMEOUT} s:\n{output}"
            )
            assert response.status_code == 200
            assert response.json() == {"status": "ok", "version": __version__}
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal.
    output = log_path.read_text(errors="replace")
    assert proc.returncode in (0, -signal.SIGTERM), output
    assert "Application shutdown complete" in output
