"""The runtime's schedule on a fake clock, without threads: turns, timers, wakes, forgetting."""

from __future__ import annotations

import threading
from collections.abc import Callable

from backend.jobs.workers import Workers


class Clock:
    """A clock that moves only when told to."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Fake:
    """A job that logs its turns and answers what `plan` says about when to run next."""

    def __init__(self, name: str, log: list[str], plan: Callable[[float], float | None]) -> None:
        self.name, self.log, self.plan = name, log, plan

    def work(self, now: float) -> float | None:
        self.log.append(self.name)
        return self.plan(now)


def test_ready_jobs_take_turns_round_robin() -> None:
    clock, log = Clock(), []
    workers = Workers(0, clock)
    jobs = [Fake(n, log, lambda now: now) for n in "abc"]  # always runnable again
    for job in jobs:
        workers.wake(job)
    for _ in range(3):
        assert workers.run_ready() == 3
    assert log == list("abc" * 3)


def test_a_job_with_nothing_to_do_is_dropped_until_woken() -> None:
    clock, log = Clock(), []
    workers = Workers(0, clock)
    job = Fake("a", log, lambda now: None)
    workers.wake(job)
    workers.wake(job)  # already ready: queued once
    assert workers.run_ready() == 1
    assert workers.run_ready() == 0
    workers.wake(job)
    assert workers.run_ready() == 1 and log == ["a", "a"]


def test_paced_jobs_wait_on_the_timer_heap_until_due() -> None:
    clock, log = Clock(), []
    workers = Workers(0, clock)
    late = Fake("late", log, lambda now: now + 2.0)
    soon = Fake("soon", log, lambda now: now + 1.0 if now < 1.0 else None)
    workers.wake(late)
    workers.wake(soon)
    assert workers.run_ready() == 2  # both ran once, now both wait
    assert workers.run_ready() == 0
    clock.now = 1.0
    assert workers.run_ready() == 1 and log[-1] == "soon"
    clock.now = 2.0
    assert workers.run_ready() == 1 and log[-1] == "late"


def test_a_wake_cancels_the_wait() -> None:
    """A new pace (or a step) runs at once, not after the old schedule's wait."""
    clock, log = Clock(), []
    workers = Workers(0, clock)
    answers: list[float | None] = [100.0, None]
    job = Fake("a", log, lambda now: answers.pop(0))
    workers.wake(job)
    workers.run_ready()  # waits for t = 100
    workers.wake(job)  # ...but is woken now
    assert workers.run_ready() == 1 and log == ["a", "a"]
    clock.now = 100.0  # the cancelled wait runs nothing
    assert workers.run_ready() == 0 and log == ["a", "a"]


def test_a_wake_during_a_turn_runs_the_job_again() -> None:
    clock, log = Clock(), []
    workers = Workers(0, clock)
    box: list[Fake] = []

    def woken_while_running(now: float) -> float | None:
        if len(log) == 1:
            workers.wake(box[0])  # e.g. a resume arrives while the quantum runs
        return None

    job = Fake("a", log, woken_while_running)
    box.append(job)
    workers.wake(job)
    assert workers.run_ready() == 1
    assert workers.run_ready() == 1 and log == ["a", "a"]


def test_forgotten_jobs_never_run_again() -> None:
    clock, log = Clock(), []
    workers = Workers(0, clock)
    ready = Fake("ready", log, lambda now: now)
    waiting = Fake("waiting", log, lambda now: now + 1.0)
    workers.wake(ready)
    workers.wake(waiting)
    workers.run_ready()
    workers.forget(ready)
    workers.forget(waiting)
    clock.now = 5.0
    assert workers.run_ready() == 0 and log == ["ready", "waiting"]


def test_threads_serve_the_schedule() -> None:
    """Real worker threads run every job; close() ends them."""
    done = threading.Event()
    log: list[str] = []

    def count(now: float) -> float | None:
        if len(log) >= 20:
            done.set()
            return None
        return now

    workers = Workers(2)
    for name in "ab":
        workers.wake(Fake(name, log, count))
    assert done.wait(timeout=30)
    workers.close()
    assert {"a", "b"} <= set(log)
