"""`python -m backend` starts a real server that answers /api/health and stops on SIGTERM."""

import signal
from pathlib import Path

from backend import __version__

from .process import ServerProcess


def test_python_m_backend_serves_health(tmp_path: Path) -> None:
    """The server answers /api/health, and SIGTERM shuts it down cleanly."""
    server = ServerProcess(tmp_path).start()
    try:
        response = server.request("GET", "/api/health")
        assert response.status_code == 200
        assert response.json() == {"status": "ok", "version": __version__}
    finally:
        code = server.stop(signal.SIGTERM)
    # uvicorn shuts down gracefully on SIGTERM, then re-raises the signal.
    assert code in (0, -signal.SIGTERM), server.log()
    assert "Application shutdown complete" in server.log()
