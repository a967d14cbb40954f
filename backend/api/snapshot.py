"""The stream's first message: the job, its weights, data, loss history and last trace; a
wide network's weights and trace cut as its frames are (sampling.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from backend.engine.datasets import Dataset
from backend.jobs.frame import encode
from backend.jobs.hub import HistoryState
from backend.jobs.job import Job
from backend.jobs.sampling import weights_message
from backend.jobs.spec import JobSpec

from .history_cursor import HistoryCursor

MAX_POINTS = 50_000  # values (rows × columns over both splits) above which points are left out


def snapshot(job: Job, taken: Callable[[], object]) -> tuple[str, HistoryCursor]:
    """The snapshot's text and a history cursor just past it; blocking, so run it in a thread.

    `taken` is called at the snapshot's moment, under the job's lock: the job publishes frames
    and statuses under that lock too, so whatever it published before is older than the snapshot.
    """
    with job.reading():  # one consistent moment: the worker waits between iterations
        view, weights = job.view(), weights_message(job.weight_arrays())
        history = HistoryState.of(job.history)
        live = job.trace() if job.record is not None else None
        taken()
    # A restored or finished job has no live record: its last iteration is replayed, outside
    # the lock (training goes on meanwhile; the replay is of iteration view["iteration"]).
    trace = live if live is not None or not view["iteration"] else job.trace(view["iteration"])
    message = {
        "type": "snapshot",
        "job": view,
        "weights": weights.pop("layers"),
        **weights,  # `neurons` and `sizes` when the network is cut
        "dataset": dataset_summary(job.dataset, job.spec),
        "history": history.wire,
        "trace": trace,
    }
    return encode(message), HistoryCursor(history)


def dataset_summary(data: Dataset, spec: JobSpec) -> dict[str, Any]:
    """Name, kind, column names and row counts; the points too when they are few enough."""
    columns = data.inputs.shape[1] + data.targets.shape[1]
    values = (len(data.inputs) + len(data.test_inputs)) * columns
    summary: dict[str, Any] = {
        "name": spec.dataset.name or spec.dataset.kind,
        "kind": data.kind,
        "feature_names": list(data.feature_names),
        "target_names": list(data.target_names),
        "rows": len(data.inputs),
        "test_rows": len(data.test_inputs),
        "points": values <= MAX_POINTS,
    }
    if summary["points"]:
        summary |= {
            "inputs": data.inputs,
            "targets": data.targets,
            "test_inputs": data.test_inputs,
            "test_targets": data.test_targets,
        }
    return summary
