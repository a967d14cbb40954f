"""SQLite persistence of jobs: spec, status, weights, trainer state, history, keyframes, events."""

from __future__ import annotations

import json
import logging
import os
import queue
import sqlite3
import threading
from array import array
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .events import Event, RateChange, WeightEdit
from .keyframes import Keyframe
from .spec import JobSpec

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    id TEXT PRIMARY KEY,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    spec TEXT NOT NULL,
    status TEXT NOT NULL,
    message TEXT NOT NULL,
    initial BLOB NOT NULL,
    weights BLOB NOT NULL,
    trainer TEXT NOT NULL,
    test_loss REAL
);
CREATE TABLE IF NOT EXISTS keyframes (
    job_id TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    params BLOB NOT NULL,
    trainer TEXT NOT NULL,
    events INTEGER NOT NULL,
    PRIMARY KEY (job_id, iteration)
);
CREATE TABLE IF NOT EXISTS events (
    job_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    iteration INTEGER NOT NULL,
    learning_rate REAL NOT NULL,
    PRIMARY KEY (job_id, seq)
);
CREATE TABLE IF NOT EXISTS weight_edits (
    job_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    iteration INTEGER NOT NULL,
    layer INTEGER NOT NULL,
    row INTEGER NOT NULL,
    col INTEGER NOT NULL,
    value REAL NOT NULL,
    PRIMARY KEY (job_id, seq)
);
"""
# A run's events share one sequence: changes of α in `events` (the table the first releases
# wrote, read as it is), edits of a weight in `weight_edits` (created where it is missing).
EVENT_TABLES = ("events", "weight_edits")
# Columns added since the first release; a database written by it gains them at start-up.
ADDED_COLUMNS = {"key_hash": "TEXT", "history": "BLOB", "spacing": "INTEGER", "engine": "TEXT"}
# The first release kept every loss: read once into the bucketed history, then dropped.
LEGACY_TABLES = ("losses", "test_losses")


class StorageError(Exception):
    """A write the database refused (disk full, read-only, corrupt)."""


@dataclass
class JobRecord:
    """A job as a checkpoint writes it and as start-up reads it back: one record both ways.

    Written, `keyframes` and `events` hold only what is new (events numbered from
    `first_event`), `kept` the keyframe iterations to keep and `initial` is None once written;
    read, they hold everything stored.
    """

    id: str
    created_at: str
    updated_at: str
    spec: JobSpec
    status: str
    message: str
    weights: bytes  # the flat parameter buffer now
    trainer: dict[str, Any]  # Trainer.state() now
    test_loss: float | None
    history: bytes | None  # History.tobytes(); None only in a first-release database
    spacing: int  # the keyframes' spacing
    engine: str  # the engine the run trains with ("numpy" or "compiled"), fixed at creation
    initial: bytes | None = None  # the initial weights; written once, then None
    key_hash: str | None = None  # written once, with the initial weights
    keyframes: list[Keyframe] = field(default_factory=list)
    kept: list[int] = field(default_factory=list)  # keyframe iterations kept: others go
    events: list[Event] = field(default_factory=list)
    first_event: int = 0  # the sequence number of events[0]
    clear_history: bool = False  # a reset: drop the stored keyframes and events first
    legacy_losses: list[float] = field(default_factory=list)  # first release: every loss
    legacy_tests: list[tuple[int, float]] = field(default_factory=list)


class Store:
    """One SQLite file in WAL mode, written by one thread of its own, never the event loop's."""

    def __init__(self, path: str) -> None:
        self.path = path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)
            have = {row[1] for row in db.execute("PRAGMA table_info(jobs)")}
            for column, kind in ADDED_COLUMNS.items():
                if column not in have:
                    db.execute(f"ALTER TABLE jobs ADD COLUMN {column} {kind}")
        self._queue: queue.Queue[tuple[Callable[[sqlite3.Connection], None], Future[None]] | None]
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._write_loop, name="store-writer", daemon=True)
        self._thread.start()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash loses at most the last commits
        return db

    def save(self, checkpoint: JobRecord) -> Future[None]:
        """Queue a checkpoint; the future fails with StorageError if it cannot be written."""
        return self._submit(lambda db: _write(db, checkpoint))

    def delete(self, job_id: str) -> Future[None]:
        """Queue the removal of a job, its keyframes and events."""
        return self._submit(lambda db: _delete(db, job_id))

    def load(self) -> list[JobRecord]:
        """Every stored job with its keyframes and events, oldest first."""
        with self._connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT * FROM jobs ORDER BY created_at, id").fetchall()
            return [_read(db, row) for row in rows]

    def close(self) -> None:
        """Write what is queued, then stop the writer."""
        self._queue.put(None)
        self._thread.join(timeout=30)

    def _submit(self, work: Callable[[sqlite3.Connection], None]) -> Future[None]:
        done: Future[None] = Future()
        self._queue.put((work, done))
        return done

    def _write_loop(self) -> None:
        db = self._connect()
        try:
            while (item := self._queue.get()) is not None:
                work, done = item
                try:
                    with db:  # one transaction per write: all of a checkpoint or none of it
                        work(db)
                except sqlite3.Error as exc:
                    log.error("could not write to %s: %s", self.path, exc)
                    done.set_exception(StorageError(f"could not save to the database: {exc}"))
                else:
                    done.set_result(None)
        finally:
            db.close()


def _write(db: sqlite3.Connection, cp: JobRecord) -> None:
    if cp.clear_history:
        for table in ("keyframes", *EVENT_TABLES):
            db.execute(f"DELETE FROM {table} WHERE job_id = ?", (cp.id,))
    state = {
        "updated_at": cp.updated_at,
        "spec": cp.spec.json,
        "status": cp.status,
        "message": cp.message,
        "weights": cp.weights,
        "trainer": json.dumps(cp.trainer),
        "test_loss": cp.test_loss,
        "history": cp.history,
        "spacing": cp.spacing,
        "engine": cp.engine,
    }
    if cp.initial is not None:
        state |= {"id": cp.id, "created_at": cp.created_at, "initial": cp.initial}
        state["key_hash"] = cp.key_hash
        names = ", ".join(state)
        marks = ", ".join("?" * len(state))
        db.execute(f"INSERT OR REPLACE INTO jobs ({names}) VALUES ({marks})", tuple(state.values()))
    else:
        sets = ", ".join(f"{name} = ?" for name in state)
        db.execute(f"UPDATE jobs SET {sets} WHERE id = ?", (*state.values(), cp.id))
    db.execute(
        "DELETE FROM keyframes WHERE job_id = ? AND iteration NOT IN "
        "(SELECT value FROM json_each(?))",
        (cp.id, json.dumps(cp.kept)),
    )
    db.executemany(
        "INSERT OR REPLACE INTO keyframes VALUES (?, ?, ?, ?, ?)",
        [(cp.id, k.iteration, k.params, json.dumps(k.trainer), k.events) for k in cp.keyframes],
    )
    rates, edits = [], []
    for k, e in enumerate(cp.events, start=cp.first_event):  # one sequence for both kinds
        if isinstance(e, RateChange):
            rates.append((cp.id, k, e.iteration, e.learning_rate))
        else:
            edits.append((cp.id, k, e.iteration, e.layer, e.row, e.column, e.value))
    db.executemany("INSERT OR REPLACE INTO events VALUES (?, ?, ?, ?)", rates)
    db.executemany("INSERT OR REPLACE INTO weight_edits VALUES (?, ?, ?, ?, ?, ?, ?)", edits)
    for table in _legacy_tables(db):  # the history now holds them
        db.execute(f"DELETE FROM {table} WHERE job_id = ?", (cp.id,))


def _delete(db: sqlite3.Connection, job_id: str) -> None:
    db.execute("DELETE FROM jobs WHERE id = ?", (job_id,))
    for table in ("keyframes", *EVENT_TABLES, *_legacy_tables(db)):
        db.execute(f"DELETE FROM {table} WHERE job_id = ?", (job_id,))


def _legacy_tables(db: sqlite3.Connection) -> list[str]:
    names = ", ".join(f"'{t}'" for t in LEGACY_TABLES)
    query = f"SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ({names})"
    return [row[0] for row in db.execute(query)]


def _read(db: sqlite3.Connection, row: sqlite3.Row) -> JobRecord:
    job_id = row["id"]
    keyframes = db.execute(
        "SELECT iteration, params, trainer, events FROM keyframes WHERE job_id = ? "
        "ORDER BY iteration",
        (job_id,),
    ).fetchall()
    stored = JobRecord(
        id=job_id,
        created_at=row["created_at"],
        updated_at=row["updated_at"],
        spec=JobSpec.from_dict(json.loads(row["spec"])),
        status=row["status"],
        message=row["message"],
        weights=row["weights"],
        trainer=json.loads(row["trainer"]),
        test_loss=row["test_loss"],
        history=row["history"],
        spacing=row["spacing"] or 0,
        engine=row["engine"] or "numpy",  # jobs stored before the compiled engine
        initial=row["initial"],
        key_hash=row["key_hash"],
        keyframes=[Keyframe(i, p, json.loads(t), e) for i, p, t, e in keyframes],
        events=_events(db, job_id),
    )
    if stored.history is None:
        _read_legacy(db, stored)
    return stored


def _events(db: sqlite3.Connection, job_id: str) -> list[Event]:
    """The run's changes of α and edits of a weight, in the order they were made."""
    rates = db.execute(
        "SELECT seq, iteration, learning_rate FROM events WHERE job_id = ?", (job_id,)
    ).fetchall()
    edits = db.execute(
        "SELECT seq, iteration, layer, row, col, value FROM weight_edits WHERE job_id = ?",
        (job_id,),
    ).fetchall()
    numbered: list[tuple[int, Event]] = [(k, RateChange(i, v)) for k, i, v in rates]
    numbered += [(k, WeightEdit(i, a, b, c, v)) for k, i, a, b, c, v in edits]
    return [event for _, event in sorted(numbered, key=lambda pair: pair[0])]


def _read_legacy(db: sqlite3.Connection, stored: JobRecord) -> None:
    """A first-release job's every loss and test loss, to be bucketed by the job."""
    tables = _legacy_tables(db)
    if "losses" in tables:
        chunks = db.execute(
            "SELECT start, data FROM losses WHERE job_id = ? ORDER BY start", (stored.id,)
        ).fetchall()
        stored.legacy_losses = _joined(chunks).tolist()
    if "test_losses" in tables:
        tests = db.execute(
            "SELECT iteration, value FROM test_losses WHERE job_id = ? ORDER BY iteration",
            (stored.id,),
        ).fetchall()
        stored.legacy_tests = [(i, v) for i, v in tests]


def _joined(chunks: list[tuple[int, bytes]]) -> array[float]:
    """The losses from chunks sorted by start: after a failed write a chunk may be written
    again from an earlier start, overlapping later ones; only the new part of each counts."""
    losses = array("d")
    for start, data in chunks:
        have = len(losses)
        if start > have:  # a gap: keep only the contiguous beginning
            break
        losses.frombytes(data[(have - start) * 8 :])
    return losses


def open_problem(path: str) -> str | None:
    """Why a database at `path` cannot be opened for writing (a short reason), or None."""
    target = Path(path)
    if target.is_dir():
        return "it is a directory, not a file"
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() and not os.access(target.parent, os.W_OK):
            return f"no file can be created in {target.parent} (read-only)"
        db = sqlite3.connect(path, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("BEGIN IMMEDIATE")  # takes the write lock: refused when read-only
            db.rollback()
        finally:
            db.close()
    except (FileExistsError, NotADirectoryError) as exc:
        return f"cannot create the directory {exc.filename}: a part of that path is a file"
    except OSError as exc:
        return f"{exc.strerror or exc}: {exc.filename}" if exc.filename else str(exc)
    except sqlite3.Error as exc:
        return str(exc)
    return None
