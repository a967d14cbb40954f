"""Jobs survive a restart of a real server process: after kill -9, and after SIGTERM."""

from __future__ import annotations

import contextlib
import json
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

from .process import ServerProcess

pytestmark = pytest.mark.timeout(180)


def job_spec(**training: Any) -> dict[str, Any]:
    """A 3-5-2 job on the article's data, paused at the start."""
    return {
        "network": {"layers": [3, 5, 2]},
        "training": {"epochs": 100_000, "shuffle": True, "seed": 3, **training},
        "start": "paused",
    }


def create(server: ServerProcess, spec: dict[str, Any]) -> str:
    """POST /api/jobs, returning the id."""
    response = server.request("POST", "/api/jobs", json=spec)
    assert response.status_code == 201, response.text
    job_id: str = response.json()["id"]
    return job_id


def view(server: ServerProcess, job_id: str) -> dict[str, Any]:
    """GET /api/jobs/{id}."""
    response = server.request("GET", f"/api/jobs/{job_id}")
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def wait_for(condition: Any, timeout: float = 30.0) -> None:
    """Poll until condition() holds."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def stored_iteration(db: Path, job_id: str) -> int:
    """The iteration of the job's last checkpoint in the server's database, read-only."""
    with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10)) as conn:
        row = conn.execute("SELECT trainer FROM jobs WHERE id = ?", (job_id,)).fetchone()
    return int(json.loads(row[0])["iteration"]) if row else 0


def test_kill_9_keeps_every_job_and_running_ones_come_back_paused(tmp_path: Path) -> None:
    """After SIGKILL: a running job is back paused at its last checkpoint or a later one and
    can resume; a finished job keeps its final weights and history; a paused one is unchanged."""
    server = ServerProcess(tmp_path).start()
    finished = create(server, job_spec(epochs=50, shuffle=False))
    server.request("POST", f"/api/jobs/{finished}/resume")
    wait_for(lambda: view(server, finished)["status"] == "finished")
    final = server.request("GET", f"/api/jobs/{finished}/weights").json()
    history = server.request("GET", f"/api/jobs/{finished}/history").json()
    paused = create(server, job_spec())
    server.request("POST", f"/api/jobs/{paused}/step", json={"iterations": 7})
    running = create(server, {**job_spec(), "start": "running", "speed": 2000})
    checkpoints: set[int] = set()

    def two_checkpoints() -> bool:  # taken while it runs, one at least CHECKPOINT_SECONDS later
        checkpoints.add(stored_iteration(tmp_path / "playground.db", running))
        return len(checkpoints - {0}) >= 2

    wait_for(two_checkpoints)
    seen = view(server, running)["iteration"]
    assert seen > 0
    sampled = sorted({1, 2, seen // 7, seen // 3, seen // 2, seen - 1} - {0})
    live = {
        n: server.request("GET", f"/api/jobs/{running}/trace?iteration={n}").json() for n in sampled
    }
    seen = view(server, running)["iteration"]  # it trained on meanwhile
    server.stop(signal.SIGKILL)

    again = ServerProcess(tmp_path, {}, server.keyring).start()
    try:
        jobs = {j["id"]: j for j in again.request("GET", "/api/jobs").json()}
        assert set(jobs) == {finished, paused, running}
        assert jobs[finished]["status"] == "finished"
        assert again.request("GET", f"/api/jobs/{finished}/weights").json() == final
        assert again.request("GET", f"/api/jobs/{finished}/history").json() == history
        assert (jobs[paused]["status"], jobs[paused]["iteration"]) == ("paused", 7)
        back = jobs[running]
        assert back["status"] == "paused" and "restarted" in back["message"]
        assert max(checkpoints) <= back["iteration"] <= seen  # the last one stored, or later
        losses = again.request("GET", f"/api/jobs/{running}/history").json()
        assert losses["iterations"] == back["iteration"]  # the history up to it, complete
        for n in (n for n in sampled if n <= back["iteration"]):  # replayed as it was trained
            assert (
                again.request("GET", f"/api/jobs/{running}/trace?iteration={n}").json() == live[n]
            )
        last = again.request("GET", f"/api/jobs/{running}/trace").json()
        assert last["iteration"] == back["iteration"]  # the last one too, though not live
        assert again.request("POST", f"/api/jobs/{running}/resume").status_code == 200
        wait_for(lambda: view(again, running)["iteration"] > back["iteration"])
    finally:
        again.stop()


def test_sigterm_checkpoints_every_job_before_exit(tmp_path: Path) -> None:
    """SIGTERM: the final checkpoint holds at least what was seen before it, history complete."""
    server = ServerProcess(tmp_path).start()
    running = create(server, {**job_spec(), "start": "running", "speed": 500})
    wait_for(lambda: view(server, running)["iteration"] > 50)
    seen = view(server, running)["iteration"]
    code = server.stop(signal.SIGTERM)
    assert code in (0, -signal.SIGTERM), server.log()

    again = ServerProcess(tmp_path, keyring=server.keyring).start()
    try:
        back = view(again, running)
        assert back["status"] == "paused" and back["iteration"] >= seen
        losses = again.request("GET", f"/api/jobs/{running}/history").json()
        assert losses["iterations"] == back["iteration"]
    finally:
        again.stop()


def test_a_restored_job_continues_exactly_as_one_never_stopped(tmp_path: Path) -> None:
    """7 steps, a restart, 5 more steps: the same weights as 12 steps in one go (shuffled run)."""
    server = ServerProcess(tmp_path).start()
    interrupted = create(server, job_spec())
    server.request("POST", f"/api/jobs/{interrupted}/step", json={"iterations": 7})
    server.stop(signal.SIGKILL)  # the step's result was stored when the step answered
    again = ServerProcess(tmp_path, keyring=server.keyring).start()
    try:
        again.request("POST", f"/api/jobs/{interrupted}/step", json={"iterations": 5})
        whole = create(again, job_spec())
        again.request("POST", f"/api/jobs/{whole}/step", json={"iterations": 12})
        weights = [
            again.request("GET", f"/api/jobs/{j}/weights").json() for j in (interrupted, whole)
        ]
        assert weights[0] == weights[1]
        histories = [
            again.request("GET", f"/api/jobs/{j}/history").json() for j in (interrupted, whole)
        ]
        assert histories[0] == histories[1]
    finally:
        again.stop()
