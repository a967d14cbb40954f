"""The SQLite store: checkpoints round-trip with keyframes and events, thinned keyframes go,
a reset clears, a first-release database is read, and failures are loud."""

from __future__ import annotations

import sqlite3
from array import array
from pathlib import Path

import pytest

from backend.api.app import create_app
from backend.config import Settings
from backend.jobs.events import RateChange, WeightEdit
from backend.jobs.history import History
from backend.jobs.keyframes import Keyframe
from backend.jobs.spec import JobSpec, NetworkSpec
from backend.jobs.store import JobRecord, StorageError, Store
from tests.api.support import KeyedClient
from tests.jobs.test_history import version_1


def history(*losses: float) -> bytes:
    h = History()
    h.extend(losses)
    return h.tobytes()


SPEC = JobSpec(NetworkSpec((3, 5, 2)))


def keyframe(iteration: int) -> Keyframe:
    return Keyframe(iteration, bytes([iteration % 256]) * 8, {"iteration": iteration}, 0)


def checkpoint(job_id: str = "a", first: bool = True, **kw: object) -> JobRecord:
    """A small checkpoint; the first one of a job carries its initial weights and key hash."""
    fields: dict[str, object] = {
        "id": job_id,
        "created_at": "2026-01-01T00:00:00",
        "updated_at": "t",
        "spec": SPEC,
        "status": "running",
        "message": "",
        "weights": b"\1" * 8,
        "trainer": {"epoch": 1},
        "test_loss": None,
        "history": history(1.0, 2.0),
        "spacing": 64,
        "engine": "numpy",
        "initial": b"\0" * 8 if first else None,
        "key_hash": "h" if first else None,
        **kw,
    }
    return JobRecord(**fields)  # type: ignore[arg-type]


def as_bytes(losses: list[float]) -> bytes:
    return array("d", losses).tobytes()


def fill(store: Store) -> None:
    """Make the next write fail as on a full disk: SQLite may grow no further."""

    def shrink(db: sqlite3.Connection) -> None:
        pages = db.execute("PRAGMA page_count").fetchone()[0]
        db.execute(f"PRAGMA max_page_count = {pages}")

    store._submit(shrink).result()


def test_checkpoints_round_trip_with_keyframes_events_and_history(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    first = [RateChange(3, 0.1), WeightEdit(3, 1, 0, 2, -0.5)]
    store.save(checkpoint(keyframes=[keyframe(0)], kept=[0], events=first)).result()
    later = checkpoint(
        first=False,
        status="finished",
        message="done",
        history=history(1.0, 2.0, 3.0),
        keyframes=[keyframe(64), keyframe(128)],
        kept=[0, 64, 128],
        events=[WeightEdit(70, 0, 4, 0, 1e6), RateChange(70, 0.2)],
        first_event=2,
        spacing=64,
    )
    store.save(later).result()
    store.close()
    (job,) = Store(str(tmp_path / "s.db")).load()
    assert (job.id, job.status, job.message, job.spec) == ("a", "finished", "done", SPEC)
    assert (job.key_hash, job.initial, job.weights, job.spacing) == ("h", b"\0" * 8, b"\1" * 8, 64)
    assert [k.iteration for k in job.keyframes] == [0, 64, 128]
    assert job.keyframes[1] == keyframe(64)
    assert job.events == [*first, WeightEdit(70, 0, 4, 0, 1e6), RateChange(70, 0.2)]  # in order
    assert job.history is not None and History.frombytes(job.history).iterations == 3


def test_keyframes_that_are_no_longer_kept_are_deleted(tmp_path: Path) -> None:
    store = Store(str(tmp_path / "s.db"))
    frames = [keyframe(i) for i in (0, 64, 128, 192)]
    store.save(checkpoint(keyframes=frames, kept=[0, 64, 128, 192])).result()
    store.save(checkpoint(first=False, spacing=128, kept=[0, 128])).result()
    (job,) = store.load()
    assert [k.iteration for k in job.keyframes] == [0, 128] and job.spacing == 128


def test_clear_history_and_delete(tmp_path: Path) -> None:
    """A reset drops the stored keyframes and events; a deletion drops the job."""
    store = Store(str(tmp_path / "s.db"))
    events = [RateChange(9, 1.0), WeightEdit(9, 0, 0, 0, 2.0)]
    store.save(checkpoint(keyframes=[keyframe(0), keyframe(64)], kept=[0, 64], events=events))
    store.save(checkpoint(job_id="b")).result()
    fresh = Keyframe(0, b"\7" * 8, {}, 0)
    store.save(checkpoint(first=False, keyframes=[fresh], kept=[0], clear_history=True)).result()
    store.save(checkpoint(job_id="b", events=events)).result()
    store.delete("b").result()
    (job,) = store.load()
    assert job.keyframes == [fresh] and job.events == []
    with sqlite3.connect(tmp_path / "s.db") as db:  # b's events went with it
        assert db.execute("SELECT count(*) FROM weight_edits").fetchone() == (0,)


def test_a_refused_write_is_a_storage_error_and_keeps_what_was_stored(tmp_path: Path) -> None:
    """Disk full: the future fails with a clear StorageError; earlier data is intact."""
    store = Store(str(tmp_path / "s.db"))
    store.save(checkpoint(keyframes=[keyframe(0)], kept=[0])).result()
    fill(store)
    big = checkpoint(job_id="b", keyframes=[Keyframe(0, b"\0" * 800_000, {}, 0)], kept=[0])
    with pytest.raises(StorageError, match=r"could not save to the database: .*full"):
        store.save(big).result()
    (job,) = store.load()
    assert job.id == "a" and job.keyframes == [keyframe(0)]


def test_a_first_release_database_is_read_and_its_losses_bucketed(tmp_path: Path) -> None:
    """The first release kept every loss in chunks: they come back, and the job replays."""
    path = str(tmp_path / "old.db")
    with KeyedClient(create_app(Settings(db_path=path))) as client:
        job = client.post("/api/jobs", json={"network": {"layers": [3, 5, 2]}, "start": "paused"})
        job_id = job.json()["id"]
        client.post(f"/api/jobs/{job_id}/step", json={"iterations": 100})
        live = client.get(f"/api/jobs/{job_id}/trace?iteration=40").json()
        losses = client.get(f"/api/jobs/{job_id}/history?from=1&to=100").json()["loss"]
    with sqlite3.connect(path) as db:  # as the first release left it
        db.execute("UPDATE jobs SET history = NULL, spacing = NULL")
        db.execute("DELETE FROM keyframes")
        db.execute("CREATE TABLE losses (job_id TEXT, start INTEGER, data BLOB)")
        db.execute("CREATE TABLE test_losses (job_id TEXT, iteration INTEGER, value REAL)")
        db.execute(
            "INSERT INTO losses VALUES (?, 0, ?)", (job_id, array("d", losses[:60]).tobytes())
        )
        db.execute(
            "INSERT INTO losses VALUES (?, 50, ?)", (job_id, array("d", losses[50:]).tobytes())
        )
    with KeyedClient(create_app(Settings(db_path=path))) as client:
        history = client.get(f"/api/jobs/{job_id}/history").json()
        assert history["iterations"] == 100 and history["first"] == losses
        assert client.get(f"/api/jobs/{job_id}/trace?iteration=40").json() == live


def test_full_disk_answers_507_and_loses_nothing(tmp_path: Path) -> None:
    """Through the API: creating a job on a full disk is a 507; the stored job survives."""
    spec = {"network": {"layers": [3, 5, 2]}, "start": "paused"}
    with KeyedClient(create_app(Settings(db_path=str(tmp_path / "p.db")))) as client:
        first = client.post("/api/jobs", json=spec).json()["id"]
        fill(client.app.state.jobs.store)  # type: ignore[attr-defined]
        wide = {**spec, "network": {"layers": [3, 1000, 1000, 2]}}
        response = client.post("/api/jobs", json=wide)
        assert response.status_code == 507
        assert "could not save" in response.json()["detail"]
        assert [j["id"] for j in client.get("/api/jobs").json()] == [first]
    with KeyedClient(create_app(Settings(db_path=str(tmp_path / "p.db")))) as client:
        assert [j["id"] for j in client.get("/api/jobs").json()] == [first]


def test_a_failed_checkpoint_shows_in_the_job_message(tmp_path: Path) -> None:
    """A refused periodic write is not silent: the action answers 507 and the message says so."""
    spec = {"network": {"layers": [3, 5, 2]}, "start": "paused"}
    with KeyedClient(create_app(Settings(db_path=str(tmp_path / "p.db")))) as client:
        job = client.post("/api/jobs", json=spec).json()["id"]
        client.post(f"/api/jobs/{job}/step", json={"iterations": 3})
        fill(client.app.state.jobs.store)  # type: ignore[attr-defined]
        response = client.post(f"/api/jobs/{job}/step", json={"iterations": 20_000})
        assert response.status_code == 507, response.text
        assert "could not save" in client.get(f"/api/jobs/{job}").json()["message"]


def test_a_database_from_before_weight_edits_and_metrics_loads(tmp_path: Path) -> None:
    """No weight_edits table and a version-1 history (test points only): the job comes back,
    its changes of α replay, its test points are metric points, and edits are stored from then."""
    path = str(tmp_path / "before.db")
    spec = {
        "network": {"layers": [2, 3, 1]},
        "dataset": {"name": "xor", "samples": 40, "test_fraction": 0.25},
        "training": {"batch_size": 5, "epochs": 1000},
        "start": "paused",
    }
    with KeyedClient(create_app(Settings(db_path=path))) as client:
        job_id = client.post("/api/jobs", json=spec).json()["id"]
        client.post(f"/api/jobs/{job_id}/step", json={"iterations": 30})
        client.patch(f"/api/jobs/{job_id}", json={"learning_rate": 0.1})
        client.post(f"/api/jobs/{job_id}/step", json={"iterations": 30})
        live = client.get(f"/api/jobs/{job_id}/trace?iteration=50").json()
        now = client.get(f"/api/jobs/{job_id}/history").json()
        keys = client.keyring.keys
    tests = [(int(i), float(v)) for i, v in now["test"]]
    with sqlite3.connect(path) as db:  # as the release before this one left it
        db.execute("DROP TABLE weight_edits")
        db.execute("UPDATE jobs SET history = ?", (version_1(now["first"], tests),))
    with KeyedClient(create_app(Settings(db_path=path))) as client:
        client.keyring.keys.update(keys)
        history = client.get(f"/api/jobs/{job_id}/history").json()
        assert history["first"] == now["first"] and history["test"] == now["test"]
        assert history["metrics"] == [[i, None, v, None, None] for i, v in tests]
        assert client.get(f"/api/jobs/{job_id}/trace?iteration=50").json() == live
        edit = {"layer": 0, "row": 1, "column": 2, "value": 0.75}
        assert client.patch(f"/api/jobs/{job_id}/weights", json=edit).status_code == 200
    (job,) = Store(path).load()
    assert job.events == [RateChange(30, 0.1), WeightEdit(60, 0, 1, 2, 0.75)]
