"""A job's complete loss history: one training loss per iteration, test losses where computed."""

from __future__ import annotations

from array import array
from typing import Any


class History:
    """ℓ after every iteration (8 bytes each) and (iteration, test ℓ) pairs as they are taken."""

    def __init__(self) -> None:
        self.loss = array("d")  # loss[i] is iteration i + 1's training loss
        self.test: list[tuple[int, float]] = []

    def __len__(self) -> int:
        return len(self.loss)

    def clear(self) -> None:
        """Forget everything (a reset)."""
        self.loss = array("d")
        self.test = []

    def since(self, start: int) -> list[float]:
        """Training losses of iterations start + 1 onwards."""
        return self.loss[start:].tolist()

    def tests_since(self, iteration: int) -> list[list[float]]:
        """[iteration, test loss] pairs after `iteration`."""
        return [[i, v] for i, v in self.test if i > iteration]

    def as_dict(self, every: int = 1) -> dict[str, Any]:
        """Every `every`-th iteration's loss, numbered from 1, and the test losses, complete."""
        # The worker may append (or a reset replace the lists) meanwhile: read each list once
        # and stop at `count`, so that iteration and loss always pair up.
        loss, test = self.loss, self.test
        count = len(loss)
        return {
            "every": every,
            "iterations": count,
            "iteration": list(range(1, count + 1, every)),
            "loss": loss[:count:every].tolist(),
            "test": [[i, v] for i, v in test if i <= count],
        }
