"""A job's status: one enum for the whole service, and which statuses end a run."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """Where a job stands; the three the engine reports end a run, as do failed and stopped."""

    PAUSED = "paused"
    RUNNING = "running"
    FINISHED = "finished"  # every epoch ran
    CONVERGED = "converged"  # max |ΔW| < τ
    DIVERGED = "diverged"  # the loss or a weight is no longer a finite number
    FAILED = "failed"  # a bug in the service: the job keeps its last state
    STOPPED = "stopped"  # stopped for good; reset starts over

    @property
    def ended(self) -> bool:
        """True for the statuses after which nothing trains until a reset."""
        return self in ENDED


ENDED = frozenset(
    {Status.FINISHED, Status.CONVERGED, Status.DIVERGED, Status.FAILED, Status.STOPPED}
)
STATUSES = tuple(s.value for s in Status)
