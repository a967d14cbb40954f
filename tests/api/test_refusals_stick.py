"""Hardening of the job's actions (issue 9, items 1, 5, 7, 8): a refused write is never half
applied, a new pace takes effect at once, nothing from before a reset follows it, and small
contract defects (null units, a deleted job's step, a stale restart message)."""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from backend.config import Settings
from backend.jobs.spec import JobSpec
from backend.jobs.store import Store
from tests.server import live_server

from .support import KeyedClient, app_client, create, error_at, wait_for

WAIT = 30.0


def set_room(store: Store, room: bool) -> None:
    """Fill the database as a full disk does (SQLite may grow no further), or give room back."""

    def limit(db: sqlite3.Connection) -> None:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {2**30 if room else pages}")

    store._submit(limit).result()


def full_disk_client(tmp_path: Path) -> KeyedClient:
    return app_client(settings=Settings(db_path=str(tmp_path / "p.db")))


def store_of(client: KeyedClient) -> Store:
    store: Store = client.app.state.jobs.store  # type: ignore[attr-defined]
    return store


def stepped(client: KeyedClient, iterations: int, **parts: Any) -> str:
    job: str = create(client, **parts)["id"]
    assert client.post(f"/api/jobs/{job}/step", json={"iterations": iterations}).status_code == 200
    return job


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/step", {"iterations": 10}),
        ("PATCH", "", {"learning_rate": 0.05, "speed": 3.0}),
        ("POST", "/resume", None),
        ("POST", "/stop", None),
    ],
)
def test_a_refused_write_leaves_the_job_as_last_stored(
    tmp_path: Path, method: str, path: str, body: dict[str, Any] | None
) -> None:
    """Full disk: the action answers 507 and the job is exactly as stored before it (weights,
    counters, α, speed, history), paused, saying it is not being saved; a retry after space
    returns does the action once."""
    with full_disk_client(tmp_path) as client:
        job = stepped(client, 1000, training={"epochs": 10_000})
        before = client.get(f"/api/jobs/{job}").json()
        weights = client.get(f"/api/jobs/{job}/weights").json()
        history = client.get(f"/api/jobs/{job}/history").json()
        set_room(store_of(client), False)
        answer = client.request(method, f"/api/jobs/{job}{path}", json=body)
        assert answer.status_code == 507, answer.text
        after = client.get(f"/api/jobs/{job}").json()
        assert after["saved"] is False and "not saved" in after["message"]
        assert {k: after[k] for k in ("status", "iteration", "epoch", "spec", "loss")} == {
            k: before[k] for k in ("status", "iteration", "epoch", "spec", "loss")
        }
        assert client.get(f"/api/jobs/{job}/weights").json() == weights
        assert client.get(f"/api/jobs/{job}/history").json() == history
        set_room(store_of(client), True)
        answer = client.request(method, f"/api/jobs/{job}{path}", json=body)
        assert answer.status_code == 200, answer.text
        assert answer.json()["saved"] is True
        if path == "/step":
            assert answer.json()["iteration"] == 1010  # once, not twice
    with full_disk_client(tmp_path) as client:  # and the stored state is that one
        stored = client.get(f"/api/jobs/{job}").json()["iteration"]
        expected = 1010 if path == "/step" else 1000
        assert stored >= expected if path == "/resume" else stored == expected


def test_a_job_training_on_a_full_disk_pauses_at_its_last_stored_state(tmp_path: Path) -> None:
    with full_disk_client(tmp_path) as client:
        job = create(client, training={"epochs": 1_000_000})["id"]
        client.post(f"/api/jobs/{job}/resume")
        wait_for(client, job, lambda v: v["iteration"] > 100)
        set_room(store_of(client), False)
        view = wait_for(client, job, lambda v: v["status"] == "paused", timeout=WAIT)
        assert view["saved"] is False and "not saved" in view["message"]
        assert f"iteration {view['iteration']}" in view["message"]
        trace = client.get(f"/api/jobs/{job}/trace").json()
        assert trace["iteration"] == view["iteration"]  # replayed: the live record is gone
    with full_disk_client(tmp_path) as client:
        assert client.get(f"/api/jobs/{job}").json()["iteration"] == view["iteration"]


@pytest.mark.parametrize("slow", [0.001, 1e-300])
def test_a_new_pace_takes_effect_at_once(slow: float) -> None:
    """Waiting 1000 s (or forever) for the next iteration: PATCH speed 1000 ends the wait."""
    with app_client() as client:
        job = create(client, start="running", speed=slow, training={"epochs": 100_000})["id"]
        wait_for(client, job, lambda v: v["iteration"] >= 1)  # now waiting for the second
        client.patch(f"/api/jobs/{job}", json={"speed": 1000.0})
        wait_for(client, job, lambda v: v["iteration"] > 20, timeout=WAIT)
        client.patch(f"/api/jobs/{job}", json={"speed": slow})
        client.post(f"/api/jobs/{job}/pause")
        client.post(f"/api/jobs/{job}/reset")
        client.patch(f"/api/jobs/{job}", json={"speed": None})
        client.post(f"/api/jobs/{job}/resume")  # unpaced now: trains at once
        wait_for(client, job, lambda v: v["iteration"] > 20, timeout=WAIT)


def test_nothing_from_before_a_reset_reaches_a_viewer_after_it() -> None:
    """A viewer at 1 fps holds a frame most of the time; a reset drops it: after the reset's
    history chunk only the new run's messages come (5 tries)."""
    with live_server() as server:
        job = server.jobs.create(
            JobSpec.from_dict({
                "network": {"layers": [3, 5, 2], "activation": "sigmoid",
                            "output_activation": "sigmoid", "weights": None},
                "training": {"loss": "half_sse", "mode": "minibatch", "batch_size": 2,
                             "learning_rate": 0.5, "epochs": 10**7, "tolerance": 0.0,
                             "shuffle": False, "seed": 0},
                "dataset": {"name": "article", "samples": 200, "noise": 0.0,
                            "test_fraction": 0.0, "features": None},
                "start": "paused", "speed": None,
            })
        )  # fmt: skip
        url = server.ws_url(f"/api/jobs/{job.id}/stream")
        with connect(url, max_size=None) as fast, connect(url, max_size=None) as slow:
            fast.send(json.dumps({"type": "configure", "fps": 60}))  # frames go out often
            slow.send(json.dumps({"type": "configure", "fps": 1}))
            for _ in range(5):
                server.jobs.resume(job.id)
                seen = read_until(slow, lambda m: m["type"] == "frame" and m["iteration"] > 0)
                job.reset()
                seen = read_until(slow, is_reset_status)
                reset_at = max(i for i, m in enumerate(seen) if m.get("reset"))
                assert not [m for m in seen[reset_at:] if m["type"] == "frame"]
        job.stop()


def is_reset_status(message: dict[str, Any]) -> bool:
    """The reset's own status: paused at 0 (the resume's, also at 0, may follow a frame)."""
    job = message.get("job") or {}
    return message["type"] == "status" and (job["status"], job["iteration"]) == ("paused", 0)


def read_until(ws: Any, wanted: Any) -> list[dict[str, Any]]:
    seen: list[dict[str, Any]] = []
    while not seen or not wanted(seen[-1]):
        seen.append(json.loads(ws.recv(timeout=WAIT)))
    return seen


def test_a_step_whose_job_is_deleted_meanwhile_answers_404() -> None:
    with live_server() as server:
        created = httpx.post(
            server.url("/api/jobs"),
            json={"network": {"layers": [3, 64, 64, 2]}, "start": "paused",
                  "training": {"epochs": 10**6}},
        ).json()  # fmt: skip
        headers = {"X-Job-Key": created["key"]}
        answers: list[httpx.Response] = []
        stepping = threading.Thread(
            target=lambda: answers.append(
                httpx.post(
                    server.url(f"/api/jobs/{created['id']}/step"),
                    json={"iterations": 100_000},
                    headers=headers,
                    timeout=WAIT,
                )
            )
        )
        stepping.start()
        job = server.jobs.get(created["id"])
        while job.trainer.iteration == 0 and stepping.is_alive():
            stepping.join(0.01)
        deleted = httpx.delete(server.url(f"/api/jobs/{created['id']}"), headers=headers)
        stepping.join(WAIT)
        assert deleted.status_code == 204
        assert answers[0].status_code == 404, answers[0].text
        assert "deleted" in answers[0].json()["detail"]


@pytest.mark.parametrize("field", ["epochs", "iterations"])
def test_a_step_unit_given_as_null_is_refused(field: str) -> None:
    other = "iterations" if field == "epochs" else "epochs"
    with app_client() as client:
        job = create(client)["id"]
        answer = client.post(f"/api/jobs/{job}/step", json={other: 3, field: None})
        assert "null is not accepted" in error_at(answer, ["body", field])
        assert client.get(f"/api/jobs/{job}").json()["iteration"] == 0


def test_a_resumed_job_no_longer_says_the_server_restarted(tmp_path: Path) -> None:
    settings = Settings(db_path=str(tmp_path / "p.db"))
    with app_client(settings=settings) as client:
        job = create(client, start="running", training={"epochs": 10**6})["id"]
        wait_for(client, job, lambda v: v["iteration"] > 0)
        keys = dict(client.keyring.keys)
    with app_client(settings=settings) as client:
        client.keyring.keys.update(keys)
        view = client.get(f"/api/jobs/{job}").json()
        assert view["status"] == "paused" and "restarted" in view["message"]
        assert client.post(f"/api/jobs/{job}/resume").json()["message"] == ""
