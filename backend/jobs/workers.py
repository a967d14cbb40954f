"""The job runtime: a few worker threads take runnable jobs in turn and run each a quantum.

Jobs own no threads. A job that can train (running, or a step under way) is *ready*: a worker
takes the oldest ready job, calls its `work()` — one quantum of iterations, in the compiled
kernel outside the GIL, then the frame, the losses and a checkpoint if due — and puts it back
at the end of the line (round robin), on the timer heap if it is paced and its next iteration
is not due yet, or nowhere if it has nothing to do until an action wakes it::

    action (resume, step, PATCH speed) ─► wake(job) ─► ready ─► a worker: job.work(now)
                                                        ▲           │ returns when it runs next
                                    timers (paced) ─────┘◄──────────┘  now: ready again
                                                                       later: timers; None: idle

The schedule is driven by a clock (`time.monotonic` by default), so tests run it on a fake
one, without threads, through `run_ready()`.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import Protocol

log = logging.getLogger(__name__)

MAX_WAIT = 3600.0  # seconds a worker waits at most before it looks at the timers again


class Workable(Protocol):
    """What the runtime needs of a job."""

    def work(self, now: float) -> float | None:
        """Run a quantum; when to run again (≤ now: at once), or None: when woken."""
        ...


class Workers:
    """`count` threads (default: the machine's cores) sharing one schedule of jobs."""

    def __init__(
        self, count: int | None = None, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.count = (os.cpu_count() or 1) if count is None else count
        if self.count < 0:
            raise ValueError(f"workers: must be ≥ 0, got {self.count}")
        self.clock = clock
        self._cond = threading.Condition()
        self._ready: deque[Workable] = deque()
        self._timers: list[tuple[float, int, Workable]] = []
        self._timer: dict[Workable, int] = {}  # the valid timer entry of each waiting job
        self._running: set[Workable] = set()
        self._again: set[Workable] = set()  # woken while a worker ran them
        self._seq = itertools.count()
        self._closed = False
        self._threads = [
            threading.Thread(target=self._serve, name=f"worker-{i}", daemon=True)
            for i in range(self.count)
        ]
        for thread in self._threads:
            thread.start()

    # ---------------------------------------------------------------- any thread

    def wake(self, job: Workable) -> None:
        """The job may have work now (or a new pace): run it at the next turn."""
        with self._cond:
            if job in self._running:
                self._again.add(job)
            elif job not in self._ready:
                self._timer.pop(job, None)  # its heap entry is now stale
                self._ready.append(job)
                self._cond.notify()

    def forget(self, job: Workable) -> None:
        """Never run the job again (it is deleted); a quantum under way finishes."""
        with self._cond:
            self._timer.pop(job, None)
            self._again.discard(job)
            if job in self._ready:
                self._ready.remove(job)

    def close(self) -> None:
        """Stop the workers once their current quanta end."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(timeout=10)

    @property
    def ready(self) -> int:
        """Jobs waiting for a worker now."""
        return len(self._ready)

    # ---------------------------------------------------------------- the workers

    def run_ready(self) -> int:
        """Run every job ready at the clock's time once, in this thread (tests); how many ran."""
        ran = 0
        with self._cond:
            self._due(self.clock())
            line = len(self._ready)
        for _ in range(line):
            job = self._take(block=False)
            if job is None:
                break
            self._turn(job)
            ran += 1
        return ran

    def _serve(self) -> None:
        while (job := self._take(block=True)) is not None:
            self._turn(job)

    def _turn(self, job: Workable) -> None:
        try:
            when = job.work(self.clock())
        except Exception:  # Job.work handles its own failures; this is a last line
            log.exception("a job's quantum raised")
            when = None
        self._put_back(job, when)

    def _take(self, block: bool) -> Workable | None:
        with self._cond:
            while not self._closed:
                self._due(self.clock())
                if self._ready:
                    job = self._ready.popleft()
                    self._running.add(job)
                    return job
                if not block:
                    return None
                timeout = self._timers[0][0] - self.clock() if self._timers else None
                # A pace of 1e-300 it/s puts the next slot past what a wait can take.
                self._cond.wait(None if timeout is None else min(timeout, MAX_WAIT))
            return None

    def _due(self, now: float) -> None:
        """Timers due by `now` → ready (the caller holds the condition)."""
        timers = self._timers
        while timers and timers[0][0] <= now:
            _, seq, job = heapq.heappop(timers)
            if self._timer.get(job) == seq:
                del self._timer[job]
                self._ready.append(job)

    def _put_back(self, job: Workable, when: float | None) -> None:
        with self._cond:
            self._running.discard(job)
            if job in self._again:
                self._again.discard(job)
                when = self.clock()
            if when is None:
                return
            if when <= self.clock():
                self._ready.append(job)
            else:
                seq = next(self._seq)
                self._timer[job] = seq
                heapq.heappush(self._timers, (when, seq, job))
            self._cond.notify()
