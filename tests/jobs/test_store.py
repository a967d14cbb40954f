"""The SQLite store: checkpoints round-trip, history is appended in chunks, failures are loud."""

from __future__ import annotations

import sqlite3
from array import array
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from backend.api.app import create_app
from backend.config import Settings
from backend.jobs.store import Checkpoint, StorageError, Store


def checkpoint(
    job_id: str = "a", start: int = 0, losses: list[float] | None = None, **kw: object
) -> Checkpoint:
    """A small checkpoint with the given new losses."""
    fields: dict[str, object] = {
        "id": job_id,
        "created_at": "2026-01-01T00:00:00",
        "updated_at": "t",
        "spec": {"x": 1},
        "status": "running",
        "message": "",
        "initial": b"\0" * 8,
        "weights": b"\1" * 8,
        "trainer": {"epoch": 1},
        "test_loss": None,
        "losses_start": start,
        "losses": array("d", losses or []).tobytes(),
        **kw,
    }
    return Checkpoint(**fields)  # type: ignore[arg-type]


def fill(store: Store) -> None:
    """Make the next write fail as on a full disk: SQLite may grow no further."""

    def shrink(db: sqlite3.Connection) -> None:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")

    store._submit(shrink).result()


def test_checkpoints_round_trip_with_history_in_chunks(tmp_path: Path) -> None:
    """Three checkpoints of one job read back as the last state and the concatenated losses."""
    store = Store(str(tmp_path / "s.db"))
    store.save(checkpoint(losses=[1.0, 2.0], tests=[(2, 0.5)])).result()
    store.save(checkpoint(start=2, losses=[3.0], status="paused", initial=None)).result()
    store.save(checkpoint(start=3, status="finished", message="done", initial=None)).result()
    store.close()
    (job,) = Store(str(tmp_path / "s.db")).load()
    assert (job.id, job.status, job.message, job.spec) == ("a", "finished", "done", {"x": 1})
    assert array("d", job.losses).tolist() == [1.0, 2.0, 3.0]
    assert job.tests == [(2, 0.5)] and job.weights == b"\1" * 8 and job.initial == b"\0" * 8


def test_clear_history_and_delete(tmp_path: Path) -> None:
    """A reset drops the stored history; a deletion drops the job."""
    store = Store(str(tmp_path / "s.db"))
    store.save(checkpoint(losses=[1.0, 2.0], tests=[(1, 0.1)])).result()
    store.save(checkpoint(job_id="b")).result()
    store.save(checkpoint(losses=[9.0], clear_history=True)).result()
    store.delete("b").result()
    (job,) = store.load()
    assert array("d", job.losses).tolist() == [9.0] and job.tests == []


def test_a_refused_write_is_a_storage_error_and_keeps_what_was_stored(tmp_path: Path) -> None:
    """Disk full: the future fails with a clear StorageError; earlier data is intact."""
    store = Store(str(tmp_path / "s.db"))
    store.save(checkpoint(losses=[1.0])).result()
    fill(store)
    big = checkpoint(job_id="b", losses=[0.5] * 100_000)
    with pytest.raises(StorageError, match=r"could not save to the database: .*full"):
        store.save(big).result()
    (job,) = store.load()
    assert job.id == "a" and array("d", job.losses).tolist() == [1.0]


def test_full_disk_answers_507_and_loses_nothing(tmp_path: Path) -> None:
    """Through the API: creating a job on a full disk is a 507; the stored job survives."""
    spec = {"network": {"layers": [3, 5, 2]}, "start": "paused"}
    with TestClient(create_app(Settings(db_path=str(tmp_path / "p.db")))) as client:
        first = client.post("/api/jobs", json=spec).json()["id"]
        fill(client.app.state.jobs.store)  # type: ignore[attr-defined]
        wide = {**spec, "network": {"layers": [3, 1000, 1000, 2]}}
        response = client.post("/api/jobs", json=wide)
        assert response.status_code == 507
        assert "could not save" in response.json()["detail"]
        assert [j["id"] for j in client.get("/api/jobs").json()] == [first]
    with TestClient(create_app(Settings(db_path=str(tmp_path / "p.db")))) as client:
        assert [j["id"] for j in client.get("/api/jobs").json()] == [first]


def test_a_failed_checkpoint_shows_in_the_job_message(tmp_path: Path) -> None:
    """A refused periodic write is not silent: the action answers 507 and the message says so."""
    spec = {"network": {"layers": [3, 5, 2]}, "start": "paused"}
    with TestClient(create_app(Settings(db_path=str(tmp_path / "p.db")))) as client:
        job = client.post("/api/jobs", json=spec).json()["id"]
        client.post(f"/api/jobs/{job}/step", json={"iterations": 3})
        fill(client.app.state.jobs.store)  # type: ignore[attr-defined]
        response = client.post(f"/api/jobs/{job}/step", json={"iterations": 20_000})
        assert response.status_code == 507, response.text
        assert "could not save" in client.get(f"/api/jobs/{job}").json()["message"]


def test_a_chunk_written_again_from_an_earlier_start_is_not_doubled(tmp_path: Path) -> None:
    """After a failed write the next checkpoint repeats the lost losses: overlap counts once."""
    store = Store(str(tmp_path / "s.db"))
    store.save(checkpoint(losses=[1.0, 2.0])).result()
    store.save(checkpoint(start=4, losses=[5.0], initial=None)).result()  # a gap: [2:4] lost
    (job,) = store.load()
    assert array("d", job.losses).tolist() == [1.0, 2.0]
    store.save(checkpoint(start=2, losses=[3.0, 4.0, 5.0, 6.0], initial=None)).result()
    (job,) = store.load()
    assert array("d", job.losses).tolist() == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
