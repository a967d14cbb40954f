"""How many iterations fill a worker's quantum: measured per job, as iterations differ a lot."""

from __future__ import annotations

QUANTUM = 0.004  # seconds of training a job gets before the next runnable job's turn
MAX_CHUNK = 1 << 16  # iterations one quantum runs at most (the losses buffer's length)


class Quantum:
    """The iterations a job runs per turn: QUANTUM over the measured time of one iteration."""

    def __init__(self, seconds: float = QUANTUM) -> None:
        if not seconds > 0:
            raise ValueError(f"quantum: must be > 0 seconds, got {seconds}")
        self.seconds = seconds
        self.per_iteration = 0.0  # seconds, smoothed; 0 before the first measurement

    def size(self) -> int:
        """Iterations for the next quantum, 1..MAX_CHUNK (one, until an iteration is timed)."""
        if self.per_iteration <= 0:
            return 1
        return max(1, min(MAX_CHUNK, int(self.seconds / self.per_iteration)))

    def observe(self, iterations: int, seconds: float) -> None:
        """`iterations` took `seconds`: move the estimate halfway towards it."""
        if iterations > 0 and seconds > 0:
            measured = seconds / iterations
            self.per_iteration = (
                measured if self.per_iteration <= 0 else (self.per_iteration + measured) / 2
            )
