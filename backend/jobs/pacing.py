"""A paced job's schedule: which iterations are due at a time, and when the next one is."""

from __future__ import annotations

import math

CATCH_UP = 0.1  # seconds: a job late by more (a busy machine) skips ahead instead of rushing
MIN_WAKE = 1 / 120  # seconds between two wakes at least: fast paces run a few iterations a wake


class Pace:
    """`speed` iterations a second on a fixed schedule: slot k is due at start + k / speed, so
    the time an iteration (and its wait for a worker) takes does not slow the pace."""

    def __init__(self, speed: float, now: float) -> None:
        if not (math.isfinite(speed) and speed > 0):
            raise ValueError(f"speed: must be a finite number > 0, got {speed}")
        self.speed = speed
        self.slot = now  # when the next iteration is due

    def due(self, now: float) -> int:
        """Iterations due at `now` (0: none yet), at most CATCH_UP seconds' worth (≥ 1)."""
        if now < self.slot:
            return 0
        late = min(now - self.slot, CATCH_UP)
        return 1 + int(late * self.speed)

    def ran(self, iterations: int, now: float) -> None:
        """`iterations` ran at `now`: the next slot follows them, no further back than CATCH_UP."""
        self.slot = max(self.slot + iterations / self.speed, now - CATCH_UP)

    def next_at(self, now: float) -> float:
        """When the job should be run again: the next slot, but not within MIN_WAKE of `now`."""
        return max(self.slot, now + MIN_WAKE) if self.slot > now else now
