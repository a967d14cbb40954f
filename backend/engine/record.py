"""What one iteration did: the trace of its forward pass, backward pass and update."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.floating]


@dataclass(slots=True)
class StepRecord:
    """One iteration; arrays are reused buffers, valid until the next step (`copy()` keeps).

    Vectors are the article's columns, one per sample: inputs (n_0, batch), targets (n_L,
    batch) and, per layer i = 1..L, z, y, dy (∂ℓ/∂y), dz (∂ℓ/∂z) are (n_i, batch); grads
    (∂ℓ/∂W) and weights (after the update) are (n_i, 1 + n_{i−1}) with the bias in column 0.
    """

    epoch: int  # 0-based epoch this iteration belongs to
    batch: int  # 0-based batch within the epoch
    iteration: int  # 1-based count of weight updates since the start
    rows: NDArray[np.intp]  # (batch,) indices of the training rows in this batch
    inputs: Array  # (n_0, batch)
    targets: Array  # (n_L, batch)
    loss: float  # ℓ of this batch, from the forward pass before the update
    z: list[Array]
    y: list[Array]
    dy: list[Array]
    dz: list[Array]
    grads: list[Array]
    weights: list[Array]
    max_delta: float  # largest |ΔW| = α max |∂ℓ/∂W| of this update
    learning_rate: float
    status: str  # the trainer's status after this iteration

    def copy(self) -> StepRecord:
        """A deep copy whose arrays no later step overwrites."""

        def keep(arrays: list[Array]) -> list[Array]:
            return [a.copy() for a in arrays]

        return StepRecord(
            self.epoch,
            self.batch,
            self.iteration,
            self.rows.copy(),
            self.inputs.copy(),
            self.targets.copy(),
            self.loss,
            keep(self.z),
            keep(self.y),
            keep(self.dy),
            keep(self.dz),
            keep(self.grads),
            keep(self.weights),
            self.max_delta,
            self.learning_rate,
            self.status,
        )
