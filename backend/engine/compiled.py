"""The compiled engine's Python side: its buffers, calling the kernel, the trace as views, choice.

The kernel (kernel.py) needs numba; this module imports without it, so that `available()` can
say whether the compiled engine is there and `choose()` can pick the NumPy engine when not.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import itertools
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
from numpy.typing import NDArray

from .jit import ACTIVATION_CODES, F64, REGULARIZATION_CODES, RUNNING, STATUS_NAMES, loss_code
from .network import Network
from .regularization import check_regularization, weight_mask
from .workspace import Trace

if TYPE_CHECKING:  # trainer.py imports this module
    from .trainer import TrainingConfig

# Where the NumPy engine (BLAS) is faster, as bench/engine.py measured it, one thread on a 2-core
# AMD EPYC: NumPy costs ~8 µs plus ~4.5 µs a layer in call overhead, then little per multiply-add;
# the kernel ~5 ns a weight plus ~1 ns a weight and row. So the kernel wins on small networks
# and batches: up to 4,000 weights, and weights × batch rows up to 10,000 a layer.
MAX_WEIGHTS = 4_000
WORK_PER_LAYER = 10_000

Array = NDArray[np.floating]
ENGINES = ("numpy", "compiled")  # workspace.py's NumPy passes (the reference), or kernel.py's


def available() -> bool:
    """True when the compiled engine can run: numba imports and can cache the kernel."""
    return unavailable() is None


@functools.cache
def unavailable() -> str | None:
    """Why the compiled engine cannot run here, or None: numba missing, or no cache it can use."""
    try:
        importlib.import_module(f"{__package__}.kernel")
    except ImportError as exc:
        return f"numba is not installed ({exc})"
    except RuntimeError as exc:  # numba's "no locator available": no writable cache directory
        return f"numba cannot cache the kernel ({exc}); set NUMBA_CACHE_DIR to a writable directory"
    return None


def choose(preferred: str, sizes: Sequence[int], batch_rows: int, dtype: str = "float64") -> str:
    """The engine to run: "compiled" unless `preferred` is "numpy", numba is missing, the network
    is not float64, or it is big enough (weights, weights × batch rows) for BLAS to win."""
    if preferred == "numpy" or dtype != "float64" or not available():
        return "numpy"
    weights = sum((1 + m) * n for m, n in itertools.pairwise(sizes))
    layers = len(sizes) - 1
    small = weights <= MAX_WEIGHTS and weights * batch_rows <= WORK_PER_LAYER * layers
    return "compiled" if small else "numpy"


def check_engine(engine: str, network: Network) -> str:
    """`engine` if this network can train on it, else a ValueError naming `engine`."""
    if engine not in ENGINES:
        raise ValueError(f"engine: expected one of {list(ENGINES)}, got {engine!r}")
    if engine == "compiled" and (reason := unavailable()) is not None:
        raise ValueError(f"engine: 'compiled' is unavailable: {reason}")
    if engine == "compiled" and network.dtype != np.float64:
        raise ValueError(f"engine: 'compiled' trains float64 networks only, not {network.dtype}")
    return engine


@functools.cache
def kernel() -> Callable[..., int]:
    """kernel.train, numba imported with it; its disk cache emptied if a kernel source changed.

    numba checks only the stamp of kernel.py itself, yet `train` has the functions of the other
    kernel modules inlined: their sources' digest, kept beside the cache, covers them.
    """
    from . import jit, kernel, kernel_activations, kernel_losses, losses

    modules = (jit, kernel, kernel_activations, kernel_losses, losses)
    digest = hashlib.sha256(b"".join(Path(m.__file__ or "").read_bytes() for m in modules))
    cache = getattr(kernel.train, "_cache", None)
    try:
        stamp = Path(cache._cache_path) / "kernel.sources"  # type: ignore[union-attr]
        if not stamp.exists() or stamp.read_text() != digest.hexdigest():
            cache.flush()  # type: ignore[union-attr]
            stamp.write_text(digest.hexdigest())
    except (AttributeError, OSError):  # no cache, or not writable: numba compiles in memory
        pass
    return kernel.train


def warm() -> float:
    """Compile the kernel, or load it from numba's cache; the seconds that took."""
    started = time.perf_counter()
    network = Network((2, 2, 1))
    x, t = np.zeros((2, 2)), np.zeros((2, 1))
    from .trainer import TrainingConfig

    config = TrainingConfig(epochs=1)
    passes = CompiledPasses(network, config, x, t, [(0, 2)], np.zeros_like(network.params))
    passes.run((0, 0, 0.5), np.empty(1))
    return time.perf_counter() - started


class Outcome(NamedTuple):
    """What one run of the kernel did, and where the run now stands."""

    ran: int  # iterations
    next_batch: int
    epoch: int  # completed epochs
    status: str
    max_delta: float  # of the last iteration


class CompiledPasses:
    """The kernel's buffers for one network and data set; `run()` trains, `trace()` shows."""

    def __init__(
        self,
        network: Network,
        config: TrainingConfig,
        inputs: Array,
        targets: Array,
        slices: Sequence[tuple[int, int]],
        grads: Array,
    ) -> None:
        if network.dtype != np.float64:  # the kernel updates the network's own params
            raise ValueError(f"engine: 'compiled' trains float64 networks, not {network.dtype}")
        self.train = kernel()  # numba is imported here, not when the engine package is
        sizes = np.array(network.sizes, np.int64)
        codes = [ACTIVATION_CODES[f.name] for f in network.activations]
        self.net = (
            np.asarray(network.params, np.float64),  # the network's own buffers, float64 already
            np.asarray(grads, np.float64),
            np.cumsum([0] + [n * m for n, m in network.shapes], dtype=np.int64),  # W^i's offsets
            sizes,
            np.array(codes, np.int64),
            loss_code(config.loss, network.output_activation),
        )
        self.x = np.ascontiguousarray(inputs, np.float64)
        self.t = np.ascontiguousarray(targets, np.float64)
        self.starts = np.array([a for a, _ in slices] + [slices[-1][1]], np.int64)
        self.order = np.arange(len(inputs), dtype=np.int64)
        self.settings = (config.epochs, config.shuffle, config.tolerance)
        kind, rate = check_regularization(config.regularization, config.regularization_rate)
        # The penalty's mask (1.0 at a weight, 0.0 at a bias), its kind's code and λ.
        self.penalty = (weight_mask(network), REGULARIZATION_CODES[kind], rate)
        rows = max(b - a for a, b in slices)
        # Layer i's (n_i, b) trace block starts at u_at[i − 1], room for the longest batch.
        self.u_at = np.cumsum([0] + [n * rows for n in network.sizes[1:]], dtype=np.int64)
        units = int(self.u_at[-1])
        self.buffers = tuple(np.zeros(units) for _ in range(4))  # z, y, ∂ℓ/∂y, ∂ℓ/∂z
        self.xin, self.tin = np.zeros(sizes[0] * rows), np.zeros(sizes[-1] * rows)
        self.state = np.zeros(3, np.int64)  # next batch, completed epochs, status
        self.last = np.zeros(1)  # max |ΔW| of the last iteration
        self.views: dict[int, Trace] = {}

    def arrange(self, order: NDArray[np.intp]) -> None:
        """This epoch's `order` of the rows (rows,), which the batches take in turn."""
        self.order = np.ascontiguousarray(order, np.int64)

    def run(self, where: tuple[int, int, float], out: F64) -> Outcome:
        """Up to len(out) iterations from where = (next batch, completed epochs, α), each one's
        ℓ into `out`; they stop early at the run's end, and at an epoch's end when shuffling."""
        next_batch, epoch, alpha = where
        epochs, shuffle, tolerance = self.settings
        self.state[:] = (next_batch, epoch, RUNNING)
        data = (self.x, self.t, self.order, self.starts)
        z, y, dy, dz = self.buffers
        trace = (z, y, dy, dz, self.xin, self.tin)
        settings = (epochs, shuffle, alpha, tolerance, len(out))
        ran = int(
            self.train(
                self.net, data, settings, self.penalty, self.state, out, self.last, self.u_at, trace
            )
        )
        status = STATUS_NAMES[int(self.state[2])]
        return Outcome(ran, int(self.state[0]), int(self.state[1]), status, float(self.last[0]))

    def trace(self, batch: int) -> Trace:
        """The last iteration's x (n_0, b), t (n_L, b) and per layer z, y, ∂ℓ/∂y, ∂ℓ/∂z
        (n_i, b) of a `batch` of b rows: the kernel's buffers, valid until the next run."""
        rows = int(self.starts[batch + 1] - self.starts[batch])
        if rows not in self.views:
            sizes, starts = self.net[3], self.u_at
            x: Array = self.xin[: sizes[0] * rows].reshape(-1, rows)
            t: Array = self.tin[: sizes[-1] * rows].reshape(-1, rows)
            blocks = list(zip(starts[:-1], sizes[1:], strict=True))
            per_layer: list[list[Array]] = [
                [buffer[a : a + n * rows].reshape(n, rows) for a, n in blocks]
                for buffer in self.buffers
            ]
            z, y, dy, dz = per_layer
            self.views[rows] = (x, t, z, y, dy, dz)
        return self.views[rows]
