"""SQLite persistence of jobs: spec, status, counters, weight checkpoints, loss history."""

from __future__ import annotations

import json
import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
CREATE TABLE IF NOT EXISTS losses (
    job_id TEXT NOT NULL,
    start INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (job_id, start)
);
CREATE TABLE IF NOT EXISTS test_losses (
    job_id TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    value REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS test_losses_job ON test_losses (job_id, iteration);
"""


class StorageError(Exception):
    """A write the database refused (disk full, read-only, corrupt)."""


@dataclass
class Checkpoint:
    """One job's state to write; `losses` holds float64 bytes of iterations losses_start + 1 on."""

    id: str
    created_at: str
    updated_at: str
    spec: dict[str, Any]
    status: str
    message: str
    initial: bytes | None  # the initial weights, written once: None after the first save
    weights: bytes
    trainer: dict[str, Any]
    test_loss: float | None
    losses_start: int = 0
    losses: bytes = b""
    tests: list[tuple[int, float]] = field(default_factory=list)
    clear_history: bool = False  # a reset: drop the stored history first


@dataclass
class StoredJob:
    """A job as read back at start-up, its history complete."""

    id: str
    created_at: str
    updated_at: str
    spec: dict[str, Any]
    status: str
    message: str
    initial: bytes
    weights: bytes
    trainer: dict[str, Any]
    test_loss: float | None
    losses: bytes
    tests: list[tuple[int, float]]


class Store:
    """One SQLite file in WAL mode, written by one thread of its own, never the event loop's."""

    def __init__(self, path: str) -> None:
        self.path = path
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)
        self._queue: queue.Queue[tuple[Callable[[sqlite3.Connection], None], Future[None]] | None]
        self._queue = queue.Queue()
        self._thread = threading.Thread(target=self._write_loop, name="store-writer", daemon=True)
        self._thread.start()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=10, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=NORMAL")  # WAL: a crash loses at most the last commits
        return db

    def save(self, checkpoint: Checkpoint) -> Future[None]:
        """Queue a checkpoint; the future fails with StorageError if it cannot be written."""
        return self._submit(lambda db: _write(db, checkpoint))

    def delete(self, job_id: str) -> Future[None]:
        """Queue the removal of a job and its history."""
        return self._submit(lambda db: _delete(db, job_id))

    def load(self) -> list[StoredJob]:
        """Every stored job with its complete history, oldest first."""
        with self._connect() as db:
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


def _write(db: sqlite3.Connection, cp: Checkpoint) -> None:
    if cp.clear_history:
        db.execute("DELETE FROM losses WHERE job_id = ?", (cp.id,))
        db.execute("DELETE FROM test_losses WHERE job_id = ?", (cp.id,))
    state = (
        cp.updated_at,
        json.dumps(cp.spec),
        cp.status,
        cp.message,
        cp.weights,
        json.dumps(cp.trainer),
        cp.test_loss,
    )
    if cp.initial is not None:
        db.execute(
            "INSERT OR REPLACE INTO jobs (id, created_at, initial, updated_at, spec, status, "
            "message, weights, trainer, test_loss) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (cp.id, cp.created_at, cp.initial, *state),
        )
    else:
        db.execute(
            "UPDATE jobs SET updated_at = ?, spec = ?, status = ?, message = ?, weights = ?, "
            "trainer = ?, test_loss = ? WHERE id = ?",
            (*state, cp.id),
        )
    if cp.losses:
        db.execute(
            "INSERT OR REPLACE INTO losses VALUES (?, ?, ?)", (cp.id, cp.losses_start, cp.losses)
        )
    db.executemany("INSERT INTO test_losses VALUES (?, ?, ?)", [(cp.id, i, v) for i, v in cp.tests])


def _delete(db: sqlite3.Connection, job_id: str) -> None:
    for table, column in (("jobs", "id"), ("losses", "job_id"), ("test_losses", "job_id")):
        db.execute(f"DELETE FROM {table} WHERE {column} = ?", (job_id,))


def _read(db: sqlite3.Connection, row: tuple[Any, ...]) -> StoredJob:
    job_id = row[0]
    chunks = db.execute(
        "SELECT start, data FROM losses WHERE job_id = ? ORDER BY start", (job_id,)
    ).fetchall()
    tests = db.execute(
        "SELECT iteration, value FROM test_losses WHERE job_id = ? ORDER BY iteration", (job_id,)
    ).fetchall()
    return StoredJob(
        id=job_id,
        created_at=row[1],
        updated_at=row[2],
        spec=json.loads(row[3]),
        status=row[4],
        message=row[5],
        initial=row[6],
        weights=row[7],
        trainer=json.loads(row[8]),
        test_loss=row[9],
        losses=_joined(chunks),
        tests=[(i, v) for i, v in tests],
    )


def _joined(chunks: list[tuple[int, bytes]]) -> bytes:
    """The losses from chunks sorted by start: after a failed write a chunk may be written
    again from an earlier start, overlapping later ones; only the new part of each counts."""
    losses = bytearray()
    for start, data in chunks:
        have = len(losses) // 8
        if start > have:  # a gap: keep only the contiguous beginning
            break
        losses += data[(have - start) * 8 :]
    return bytes(losses)
