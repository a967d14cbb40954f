"""`python -m backend` starts a real server that answers /api/health and stops on SIGTERM."""

import contextlib
import os
import signal
import subprocess
from pathlib import Path

import pytest

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


def unusable_paths(tmp_path: Path, stack: contextlib.ExitStack) -> dict[str, Path]:
    """Database paths the server cannot open, each for a different reason."""
    directory = tmp_path / "a-directory"
    directory.mkdir()
    a_file = tmp_path / "a-file"
    a_file.write_text("not a directory")
    paths = {"a directory": directory, "under a file": a_file / "sub" / "playground.db"}
    read_only = tmp_path / "read-only"
    read_only.mkdir()
    if os.geteuid() != 0:
        read_only.chmod(0o555)
        stack.callback(read_only.chmod, 0o755)
        paths["read-only"] = read_only / "new" / "playground.db"
    elif mounted_read_only(read_only):  # root writes where permissions say no: a ro mount
        stack.callback(subprocess.run, ["umount", str(read_only)], check=False)
        paths["read-only"] = read_only / "playground.db"
    return paths


def mounted_read_only(directory: Path) -> bool:
    """Mount a small read-only tmpfs on `directory`, if this machine lets us."""
    command = ["mount", "-t", "tmpfs", "-o", "ro,size=64k", "tmpfs", str(directory)]
    try:
        return subprocess.run(command, capture_output=True, timeout=10).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.parametrize("case", ["a directory", "under a file", "read-only"])
def test_a_database_it_cannot_open_ends_start_up_with_one_line(tmp_path: Path, case: str) -> None:
    """Exit non-zero before serving, with one line naming PLAYGROUND_DB, the path and why."""
    with contextlib.ExitStack() as stack:
        paths = unusable_paths(tmp_path, stack)
        if case not in paths:
            pytest.skip("running as root where nothing can be mounted read-only")
        path = paths[case]
        done = ServerProcess(tmp_path, env={"PLAYGROUND_DB": str(path)}).run_to_exit()
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"PLAYGROUND_DB={path}" in lines[0]
    assert "Traceback" not in done.stderr + done.stdout
    reason = lines[0].rsplit(": ", 1)[-1]
    assert reason.strip(), lines[0]
