"""What a frame shows of a wide network: the first neurons of each layer and the first samples
of a batch, at most what the page draws (MAX_SHOWN neurons a layer).

A 3-1024-1024-900-2 network has 2M weights: its full frame is ~46 MB of JSON, thousands of
times what a diagram of 64 neurons a layer can use. A cut keeps, for each layer i, neurons
0 .. k_i − 1 (k_i = min(n_i, MAX_SHOWN)) and, of a batch of B samples, columns 0 .. s − 1
(s = min(B, MAX_SAMPLES)): rows of the (n_i, batch) arrays and of W^i, ∂ℓ/∂W^i, and of those
the bias column 0 and the columns 1 .. k_{i−1} of the previous layer's shown neurons. The
first ones, not a spread: the same neurons in every frame, and a drawn neuron's position is
its index. A network within the caps is never cut: its frames stay exactly as they were.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

MAX_SHOWN = 64  # neurons per layer: the most the page's diagram draws
MAX_SAMPLES = 64  # columns of a batch in a full frame

Array = NDArray[Any]


@dataclass(frozen=True, slots=True)
class Cut:
    """The part of a network (and of a batch) a message carries."""

    sizes: tuple[int, ...]  # n_0 .. n_L of the network
    shown: tuple[int, ...]  # k_0 .. k_L: the first k_i neurons of layer i are shown
    samples: int | None  # the first `samples` columns of a batch; None: not cut by samples

    @classmethod
    def of(cls, sizes: list[int], batch: int | None = None) -> Cut | None:
        """The cut of a network of `sizes` (and a batch of `batch` columns); None: no cut."""
        shown = tuple(min(n, MAX_SHOWN) for n in sizes)
        samples = None if batch is None else min(batch, MAX_SAMPLES)
        if shown == tuple(sizes) and samples == batch:
            return None
        return cls(tuple(sizes), shown, samples)

    def units(self, array: Array, layer: int) -> Array:
        """Layer `layer`'s (n_i, batch) array, cut to (k_i, s) (a view)."""
        return array[: self.shown[layer], : self.samples]

    def matrix(self, w: Array, layer: int) -> Array:
        """W^i or ∂ℓ/∂W^i, (n_i, 1 + n_{i−1}), cut to (k_i, 1 + k_{i−1}) (a view)."""
        return w[: self.shown[layer], : 1 + self.shown[layer - 1]]

    def weights(self, weights: list[Array]) -> list[Array]:
        """W^1..W^L cut."""
        return [self.matrix(w, i) for i, w in enumerate(weights, start=1)]

    def wire(self) -> dict[str, Any]:
        """What the message carries: `neurons` (indices shown per layer 0..L), `sizes` and,
        for a batch, `samples` (the batch's columns shown)."""
        out: dict[str, Any] = {
            "neurons": [list(range(k)) for k in self.shown],
            "sizes": list(self.sizes),
        }
        if self.samples is not None:
            out["samples"] = list(range(self.samples))
        return out


def sizes_of(weights: list[Array]) -> list[int]:
    """n_0 .. n_L of W^1..W^L, each (n_i, 1 + n_{i−1})."""
    return [weights[0].shape[1] - 1, *(w.shape[0] for w in weights)]


def weights_message(weights: list[Array]) -> dict[str, Any]:
    """GET /weights' default body: {"layers": W^1..W^L}, cut (with `neurons`, `sizes`) when
    a layer is wider than MAX_SHOWN."""
    cut = Cut.of(sizes_of(weights))
    if cut is None:
        return {"layers": weights}
    return {"layers": [np.array(w) for w in cut.weights(weights)], **cut.wire()}
