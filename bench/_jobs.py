"""Jobs on a server seen only from outside: their specs, and creating, counting and deleting them.

Everything goes through the HTTP API (docs/protocol.md), so that the benchmarks built on this
run unchanged against any version of the backend. The server's CPU time is read from
/proc/<pid>/stat (Linux).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

from bench._runs_server import Server

# Issue 10's two networks: case → (data set, layers, batch size). The 2-8-8-8-8-8-8-1 net
# trains on 500 rows of "circle", as bench/plain_loop.py's baseline trains on 500 rows.
CASES: dict[str, tuple[str, list[int], int]] = {
    "3-5-2": ("article", [3, 5, 2], 2),
    "2-8-8-8-8-8-8-1": ("circle", [2, 8, 8, 8, 8, 8, 8, 1], 10),
}
FIXED_ROWS = {"article": 6, "figure2": 6}  # the fixed sets' rows; the others have `samples`
SAMPLES = 500
ITERATION_BUDGET = 900_000_000  # a job's epochs × iterations per epoch, under max_iterations
MAX_EPOCHS = 1_000_000_000
WARM_ITERATIONS = 2_000  # a paused step of each kind of job before anything is measured


def epochs(dataset: str, samples: int, test_fraction: float, batch: int) -> int:
    """As many epochs as the iteration budget allows: no run ends while it is measured."""
    rows = FIXED_ROWS.get(dataset, samples - int(samples * test_fraction))
    per_epoch = -(-max(1, rows) // batch)  # ⌈rows / batch⌉ iterations (Figure 2)
    return min(MAX_EPOCHS, ITERATION_BUDGET // per_epoch)


def spec(
    dataset: str,
    layers: list[int],
    batch: int,
    *,
    seed: int = 0,
    start: str = "running",
    activation: str = "sigmoid",
    output: str = "sigmoid",
    loss: str = "half_sse",
    test_fraction: float = 0.0,
) -> dict[str, Any]:
    """An unpaced mini-batch job spec (speed null), α 0.5 as the baseline uses."""
    fraction = 0.0 if dataset in FIXED_ROWS else test_fraction
    return {
        "network": {"layers": layers, "activation": activation, "output_activation": output},
        "training": {
            "loss": loss,
            "mode": "minibatch",
            "batch_size": batch,
            "learning_rate": 0.5,
            "epochs": epochs(dataset, SAMPLES, fraction, batch),
            "seed": seed,
        },
        "dataset": {"name": dataset, "samples": SAMPLES, "test_fraction": fraction},
        "start": start,
        "speed": None,
    }


def case_spec(case: str, seed: int = 0, start: str = "running") -> dict[str, Any]:
    """The spec of one of issue 10's cases: sigmoid, ½ Σ (y − t)² (eq. 5), no held-out rows."""
    dataset, layers, batch = CASES[case]
    return spec(dataset, layers, batch, seed=seed, start=start)


def create(server: Server, specs: list[dict[str, Any]]) -> list[str]:
    """POST /api/jobs for each spec; the new jobs' ids (their keys kept by `server`)."""
    return [server.create(s)["id"] for s in specs]


def delete(server: Server, ids: list[str]) -> None:
    """DELETE every job of `ids`, with its key."""
    for job_id in ids:
        server.control(job_id, "DELETE")


def counters(server: Server, ids: list[str]) -> list[tuple[int, float]]:
    """Each job's iteration and the moment it was read (perf_counter, the request's middle)."""
    out = []
    for job_id in ids:
        began = time.perf_counter()
        iteration = int(server.get(f"/api/jobs/{job_id}")["iteration"])
        out.append((iteration, (began + time.perf_counter()) / 2))
    return out


def rates(first: list[tuple[int, float]], last: list[tuple[int, float]]) -> list[float]:
    """Each job's iterations per second between two readings of `counters`."""
    return [(b - a) / (tb - ta) for (a, ta), (b, tb) in zip(first, last, strict=True)]


def step(server: Server, job_id: str, iterations: int) -> dict[str, Any]:
    """POST /api/jobs/{id}/step with {"iterations": n} on a paused job; its view after."""
    view = server.control(job_id, "POST", "step", {"iterations": iterations}, timeout=600.0)
    if view["status"] != "paused":
        raise RuntimeError(f"the job is {view['status']} after a step: {view['message']}")
    return view


def warm_up(server: Server, specs: list[dict[str, Any]]) -> None:
    """A paused step of each spec's kind, then deleted: first-use costs (compiling) go here."""
    for s in specs:
        (job_id,) = create(server, [{**s, "start": "paused"}])
        step(server, job_id, WARM_ITERATIONS)
        delete(server, [job_id])


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process has used, every thread included, seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def limit(server: Server, name: str) -> int:
    """One of the server's limits from GET /api/options (e.g. max_step_iterations)."""
    return int(server.get("/api/options")["limits"][name])
