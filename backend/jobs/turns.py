"""Turns at training: at most a few job threads iterate at once, taking turns in FIFO order.

Every job trains in its own thread, and all of them share one GIL with the event loop. With
many jobs running, the loop waits for the GIL behind every runnable job thread: each socket
write releases it, and getting it back can take a switch interval per competing thread. With
20 unpaced jobs and 200 viewers (bench/load.py), `/api/health` took 16 ms at the median and
over 100 ms at p99. A thread that waits for its turn here blocks on a lock of its own and
does not compete for the GIL, so the loop competes with one or two threads at most; and the
jobs get their turns round-robin, a quantum (a few ms of iterations) each.

A job thread uses one :class:`Turn`::

    turn = Turn(turns)
    while training:
        turn.take()              # outside the job's lock: waiting here must not block readers
        with job.lock:
            iterate()
        if paced and the next iteration is not due yet:
            turn.give_up()       # before any wait: a sleeping thread keeps no turn
            wait()
        else:
            turn.end_if_due()    # the quantum is used up: to the back of the queue
    turn.give_up()
"""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Final

DEFAULT_QUANTUM: Final = 0.002  # seconds of iterations per turn


class Turns:
    """A FIFO-fair semaphore: `slots` holders at once; a release hands over to the oldest waiter.

    Unlike ``threading.Semaphore``, a thread that releases and at once acquires again goes
    behind the threads already waiting, so no job is starved by a busier one.
    """

    def __init__(self, slots: int = 1, quantum: float = DEFAULT_QUANTUM) -> None:
        if slots < 1:
            raise ValueError(f"slots must be at least 1, got {slots}")
        if quantum <= 0:
            raise ValueError(f"quantum must be > 0, got {quantum}")
        self.slots, self.quantum = slots, quantum
        self._free = slots
        self._waiting: deque[threading.Lock] = deque()
        self._mutex = threading.Lock()

    def acquire(self) -> None:
        """Wait for a slot: at once if one is free and nobody waits, else after the waiters."""
        with self._mutex:
            if self._free and not self._waiting:
                self._free -= 1
                return
            gate = threading.Lock()
            gate.acquire()
            self._waiting.append(gate)
        gate.acquire()  # released by the release() that hands this thread its slot

    def release(self) -> None:
        """Give a slot back: to the oldest waiter if there is one."""
        with self._mutex:
            if self._waiting:
                self._waiting.popleft().release()
            elif self._free < self.slots:
                self._free += 1
            else:
                raise RuntimeError("release() without a matching acquire()")

    @property
    def waiting(self) -> int:
        """Threads waiting for a slot now."""
        return len(self._waiting)


class Turn:
    """One thread's use of :class:`Turns`: whether it holds a slot, and until when."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns
        self.held = False
        self.until = 0.0  # monotonic time at which the quantum ends

    def take(self) -> None:
        """Hold a slot (waiting for one if need be); a no-op while one is held."""
        if not self.held:
            self.turns.acquire()
            self.held = True
            self.until = time.monotonic() + self.turns.quantum

    def end_if_due(self) -> None:
        """Give the slot up if the quantum is used up (the next take() queues again)."""
        if self.held and time.monotonic() >= self.until:
            self.give_up()

    def give_up(self) -> None:
        """Give the slot up now, if one is held (before any wait, and when the thread ends)."""
        if self.held:
            self.held = False
            self.turns.release()
