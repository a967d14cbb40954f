"""A job as a state machine on the runtime, without HTTP, on a fake clock and no threads."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import numpy as np
import pytest

from backend.api.schemas.spec import default_spec
from backend.engine.network import Network
from backend.engine.trainer import Trainer
from backend.jobs.builder import build
from backend.jobs.errors import JobStateError
from backend.jobs.history import History, width_at
from backend.jobs.hub import Hub
from backend.jobs.job import Job, Status
from backend.jobs.limits import Limits
from backend.jobs.spec import JobSpec
from backend.jobs.workers import Workers

from .test_workers import Clock


@pytest.fixture
def loop() -> Iterator[asyncio.AbstractEventLoop]:
    loop = asyncio.new_event_loop()  # never run: a hub without viewers publishes nothing
    yield loop
    loop.close()


def spec(
    network: dict[str, Any] | None = None, test_fraction: float = 0.2, **training: Any
) -> JobSpec:
    """A 2-5-1 network on the circle data with a test split: 40 rows, batches of 4."""
    s = default_spec()
    s["dataset"] = {**s["dataset"], "name": "circle", "samples": 50, "test_fraction": test_fraction}
    s["network"] |= {"layers": [2, 5, 1]} | (network or {})
    s["training"] |= {"batch_size": 4, "epochs": 10_000} | training
    return JobSpec.from_dict(s)


def make(
    loop: asyncio.AbstractEventLoop, clock: Clock, engine: str = "numpy", **settings: Any
) -> tuple[Job, Workers]:
    """A paused job on workers without threads (run_ready() runs them) and a fake clock."""
    workers = Workers(0, clock)
    return Job("j", spec(**settings), Hub(loop), Limits(), workers, engine=engine), workers


def reference(s: JobSpec, iterations: int) -> tuple[Trainer, History]:
    """The same run by the engine's step() alone, its losses appended one by one."""
    network, dataset, config = build(s, Limits())
    trainer = Trainer(
        network, dataset.inputs, dataset.targets, config, dataset.test_inputs, dataset.test_targets
    )
    history = History()
    for _ in range(iterations):
        record = trainer.step()
        assert record is not None
        history.append(record.loss)
    return trainer, history


def test_a_paused_job_does_not_train(loop: asyncio.AbstractEventLoop) -> None:
    job, workers = make(loop, Clock())
    assert workers.run_ready() == 0 and job.trainer.iteration == 0 and job.status is Status.PAUSED


def test_an_unpaced_job_trains_in_quanta_as_the_engine_alone(
    loop: asyncio.AbstractEventLoop,
) -> None:
    job, workers = make(loop, Clock())
    job.resume()
    while job.trainer.iteration < 3000:
        assert workers.run_ready() == 1
    job.pause()
    trainer, history = reference(job.spec, job.trainer.iteration)
    assert np.array_equal(job.network.params, trainer.network.params)
    assert job.history.wire()["first"] == history.wire()["first"]
    assert job.history.wire()["mean"] == history.wire()["mean"]


@pytest.mark.parametrize("test_fraction", [0.2, 0.0])
def test_metric_points_fall_on_the_runs_own_clock(
    loop: asyncio.AbstractEventLoop, test_fraction: float
) -> None:
    """Epoch ends at least a bucket's width after the last point, however quanta fall; with
    or without test rows (a test loss in each point, and the `test` list, only with them)."""
    job, workers = make(loop, Clock(), test_fraction=test_fraction)
    job.resume()
    while job.trainer.iteration < 40_000:
        workers.run_ready()
    job.pause()
    per_epoch = len(job.trainer.slices)  # 40 (or 50) training rows in batches of 4
    expected, previous = History(), None  # kept as a history keeps them: thinned past 1024
    for n in range(per_epoch, job.trainer.iteration + 1, per_epoch):
        if previous is None or n >= previous + width_at(n):
            expected.add_point((n, 0.0, None, None, None))
            previous = n
    wire = job.history.wire()
    points = [p[0] for p in wire["metrics"]]
    assert points == [p[0] for p in expected.wire()["metrics"]] and job.history.width > per_epoch
    assert all(p[1] is not None and p[3] is not None for p in wire["metrics"])  # classes
    if test_fraction:
        assert [t[0] for t in wire["test"]] == points
        assert [t[1] for t in wire["test"]] == [p[2] for p in wire["metrics"]]
    else:
        assert wire["test"] == [] and all(p[2] is None for p in wire["metrics"])


def test_what_a_run_stores_does_not_depend_on_how_its_quanta_fall(
    loop: asyncio.AbstractEventLoop,
) -> None:
    """Resumed (quanta the clock sizes) or stepped in uneven steps: the same history, metric
    points included, bit for bit, and the same metrics at the end."""
    resumed, workers = make(loop, Clock())
    resumed.resume()
    while resumed.trainer.iteration < 5000:
        workers.run_ready()
    resumed.pause()
    stepped, others = make(loop, Clock())
    sizes = iter([1, 2, 3, 7, 10, 64, 999, 1, 5])
    while stepped.trainer.iteration < resumed.trainer.iteration:
        left = resumed.trainer.iteration - stepped.trainer.iteration
        done = stepped.step(iterations=min(left, next(sizes, left)))
        while not done.done():
            others.run_ready()
    assert stepped.history.tobytes() == resumed.history.tobytes()
    assert stepped.view()["metrics"] == resumed.view()["metrics"]


def test_a_paced_job_runs_on_schedule(loop: asyncio.AbstractEventLoop) -> None:
    clock = Clock()
    job, workers = make(loop, clock)
    job.configure({"speed": 10.0})
    job.resume()
    for tick in range(1, 101):  # 10 s in steps of 0.1 s
        drain(workers)
        clock.now = tick * 0.1
    assert 99 <= job.trainer.iteration <= 101
    job.configure({"speed": 1000.0})  # takes effect at once
    drain(workers)
    clock.now += 0.05
    drain(workers)
    assert 140 <= job.trainer.iteration <= 160


def drain(workers: Workers) -> None:
    """Run until no job is due at the clock's time (a paced job runs what is due, then waits)."""
    while workers.run_ready():
        pass


def test_a_step_runs_exactly_and_then_is_done(loop: asyncio.AbstractEventLoop) -> None:
    job, workers = make(loop, Clock())
    done = job.step(iterations=1234)
    with pytest.raises(JobStateError, match="another step"):
        job.step(iterations=1)
    while not done.done():
        workers.run_ready()
    assert job.trainer.iteration == 1234 and job.status is Status.PAUSED
    done = job.step(epochs=2)  # to the end of the epoch after next
    while not done.done():
        workers.run_ready()
    assert job.trainer.iteration == (123 + 2) * 10 and job.trainer.next_batch == 0


def test_the_run_ends_with_its_status(loop: asyncio.AbstractEventLoop) -> None:
    job, workers = make(loop, Clock(), epochs=7)
    job.resume()
    for _ in range(100):
        workers.run_ready()
    assert job.status is Status.FINISHED and job.trainer.iteration == 70
    assert job.message == "finished 7 epochs" and workers.run_ready() == 0


def test_a_diverging_run_says_where(loop: asyncio.AbstractEventLoop) -> None:
    job, workers = make(
        loop, Clock(), network={"output_activation": "linear"}, learning_rate=1e6, loss="mse"
    )
    job.resume()
    for _ in range(50):
        workers.run_ready()
    assert job.status is Status.DIVERGED and "lower the learning rate" in job.message


def test_keyframes_let_replay_recompute_any_iteration(loop: asyncio.AbstractEventLoop) -> None:
    job, workers = make(loop, Clock())
    job.configure({"learning_rate": 0.3})
    done = job.step(iterations=500)
    while not done.done():
        workers.run_ready()
    job.configure({"learning_rate": 0.9})
    done = job.step(iterations=500)
    while not done.done():
        workers.run_ready()
    traced = job.trace(777)
    assert traced is not None and traced["iteration"] == 777
    assert job.losses(700, 800) == job.losses(700, 800)  # replayed twice, the same
    assert job.losses(1000, 1000)[0] == job.trainer.last_loss
    assert [k.iteration for k in job.run.keyframes][:3] == [0, 64, 128]


def test_reset_goes_back_to_the_start(loop: asyncio.AbstractEventLoop) -> None:
    job, workers = make(loop, Clock())
    first = Network.views(job.network, job.network.params.copy())
    done = job.step(iterations=100)
    while not done.done():
        workers.run_ready()
    job.reset()
    assert job.trainer.iteration == 0 and len(job.history) == 0 and job.record is None
    assert all(np.array_equal(a, b) for a, b in zip(first, job.network.weights, strict=True))


def test_close_ends_a_step_and_the_job(loop: asyncio.AbstractEventLoop) -> None:
    job, workers = make(loop, Clock())
    done = job.step(iterations=10**5)
    job.close(save=False)
    assert done.exception() is not None and workers.run_ready() == 0
