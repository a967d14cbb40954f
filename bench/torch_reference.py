"""PyTorch twins of engine networks, and the data sets, for the engine-vs-PyTorch benchmark.

A twin has the engine network's layers and initial weights (W^i's column 0 becomes the bias of a
``torch.nn.Linear``, the rest its weight), the same activation modules, the loss
½ Σ (y − t)² (the engine's ``half_sse``) and plain ``torch.optim.SGD`` at the same learning rate,
and it walks the same consecutive batches in the same order (no shuffling).
"""

from __future__ import annotations

import numpy as np
import torch
from numpy.typing import NDArray

from backend.engine.network import Network

Array = NDArray[np.floating]

MODULES = {"sigmoid": torch.nn.Sigmoid, "tanh": torch.nn.Tanh, "relu": torch.nn.ReLU}
DTYPES = {"float64": torch.float64, "float32": torch.float32}


def dataset(name: str, seed: int = 0) -> tuple[Array, Array]:
    """Fixed, seeded inputs (rows, n_0) and targets (rows, n_L) for one benchmark case."""
    rng = np.random.default_rng(seed)
    if name == "3-5-2":
        return rng.uniform(0.0, 1.0, (6, 3)), rng.uniform(0.0, 1.0, (6, 2))
    if name == "2-8-8-8-8-8-8-1":
        x = rng.uniform(-1.0, 1.0, (500, 2))
        return x, (np.sum(x * x, axis=1, keepdims=True) < 0.5).astype(np.float64)
    if name == "784-128-10":
        x = rng.uniform(0.0, 1.0, (10_000, 784))
        return x, np.eye(10)[rng.integers(0, 10, 10_000)]
    raise ValueError(f"unknown case {name!r}")


def build(network: Network, dtype: str) -> torch.nn.Sequential:
    """A ``torch.nn.Sequential`` of Linear + activation modules holding `network`'s weights."""
    modules: list[torch.nn.Module] = []
    last = len(network.weights) - 1
    for i, w in enumerate(network.weights):
        n_out, m = w.shape
        linear = torch.nn.Linear(m - 1, n_out, dtype=DTYPES[dtype])
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(np.array(w[:, 1:], dtype=np.float64)))
            linear.bias.copy_(torch.from_numpy(np.array(w[:, 0], dtype=np.float64)))
        name = network.output_activation if i == last else network.activation
        modules += [linear, MODULES[name]()]
    return torch.nn.Sequential(*modules)


class TorchTrainer:
    """The usual PyTorch loop: zero_grad, forward, ½ Σ (y − t)², backward, SGD step, loss.item()."""

    def __init__(
        self,
        network: Network,
        inputs: Array,
        targets: Array,
        batch_size: int,
        learning_rate: float,
        dtype: str = "float64",
    ) -> None:
        self.model = build(network, dtype)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=learning_rate)
        x = torch.tensor(inputs, dtype=DTYPES[dtype])
        t = torch.tensor(targets, dtype=DTYPES[dtype])
        starts = range(0, len(x), batch_size)
        # Each batch a contiguous tensor made once, as the engine's trainer does with its blocks.
        self.blocks = [
            (x[a : a + batch_size].clone(), t[a : a + batch_size].clone()) for a in starts
        ]
        self.next = 0

    def step(self) -> float:
        """One iteration on the next batch; returns the batch's loss before the update."""
        x, t = self.blocks[self.next]
        self.next = (self.next + 1) % len(self.blocks)
        self.optimizer.zero_grad()
        loss = 0.5 * ((self.model(x) - t) ** 2).sum()
        loss.backward()
        self.optimizer.step()
        return loss.item()

    def weights(self) -> list[Array]:
        """The current weights in the engine's form: (n_i, 1 + n_{i−1}), bias in column 0."""
        linears = [m for m in self.model if isinstance(m, torch.nn.Linear)]
        return [
            np.hstack([m.bias.detach().numpy()[:, None], m.weight.detach().numpy()])
            for m in linears
        ]
