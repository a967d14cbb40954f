"""L1 and L2 regularisation: a penalty λR on the weights (never the biases) added to ℓ.

The objective becomes ℓ + λR, with R = ½ Σ w² (L2) or R = Σ |w| (L1) over every weight of
every W^i but its bias column 0; the article's update W := W − α ∂ℓ/∂W becomes
W := W − α (∂ℓ/∂W + λ ∂R/∂W), where ∂R/∂w = w (L2) or sign(w) (L1, 0 at w = 0) and ∂R/∂b = 0.
The loss ℓ a run reports stays the data loss: λR is reported beside it.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import NDArray

from .network import Network

Array = NDArray[np.floating]

REGULARIZATIONS = {
    "none": "no penalty: the objective is the loss ℓ alone",
    "l1": "L1: ℓ + λ Σ |w| over the weights (not the biases); pushes weights to exactly 0",
    "l2": "L2: ℓ + λ ½ Σ w² over the weights (not the biases); shrinks every weight by αλw",
}
MAX_REGULARIZATION_RATE = 10.0  # λ: beyond this the penalty swamps any loss the sets give


def weight_mask(network: Network) -> NDArray[np.float64]:
    """1.0 where the flat buffer (params,) holds a weight, 0.0 at a bias (column 0 of each W^i)."""
    mask = np.ones(len(network.params))
    for view in network.views(mask):
        view[:, 0] = 0.0
    return mask


def check_regularization(kind: str, rate: float) -> tuple[str, float]:
    """(kind, λ) when kind is a known one and λ a finite number in [0, the bound]."""
    if kind not in REGULARIZATIONS:
        raise ValueError(f"regularization: expected one of {list(REGULARIZATIONS)}, got {kind!r}")
    if not (math.isfinite(rate) and 0.0 <= rate <= MAX_REGULARIZATION_RATE):
        raise ValueError(
            f"regularization_rate: must be a number from 0 to {MAX_REGULARIZATION_RATE}, got {rate}"
        )
    return kind, float(rate)


class Penalty:
    """λR of one network's weights and its gradient λ ∂R/∂W, over the flat buffer (params,)."""

    def __init__(self, network: Network, kind: str = "none", rate: float = 0.0) -> None:
        self.kind, self.rate = check_regularization(kind, rate)
        self.mask = weight_mask(network)

    @property
    def active(self) -> bool:
        """True when the objective has a penalty: a kind other than "none"."""
        return self.kind != "none"

    def value(self, params: Array) -> float:
        """λR at `params` (params,): λ ½ Σ w² or λ Σ |w| over the weights; 0.0 for "none"."""
        if not self.active:
            return 0.0
        w = params * self.mask  # the biases count as 0
        total = 0.5 * float(np.dot(w, w)) if self.kind == "l2" else float(np.abs(w).sum())
        return self.rate * total

    def gradient(self, params: Array, out: Array) -> None:
        """λ ∂R/∂W into `out` (params,): λw (L2) or λ sign(w) (L1) at a weight, 0 at a bias."""
        if self.kind == "l2":
            np.multiply(params, self.rate, out=out)
        elif self.kind == "l1":
            np.sign(params, out=out)  # ∂|w|/∂w, taken as 0 at w = 0
            out *= self.rate
        else:
            out[:] = 0.0
            return
        out *= self.mask
