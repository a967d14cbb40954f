"""The engines' contract: advance() grouping, state()/restore(), record(), choose(), refusals."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from backend.engine import compiled
from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig

ENGINES = ["numpy", "compiled"]
X = np.random.default_rng(0).normal(0.0, 1.0, (11, 3))
T = np.random.default_rng(1).uniform(0.0, 1.0, (11, 2))
# Four batches of 3 rows, the last of 2, reshuffled every epoch.
CONFIG = TrainingConfig("cross_entropy", "minibatch", 3, 0.3, epochs=60, shuffle=True, seed=9)


def trainer(engine: str, config: TrainingConfig = CONFIG) -> Trainer:
    return Trainer(Network((3, 6, 2), "tanh", "sigmoid", seed=2), X, T, config, engine=engine)


def run(engine: str, chunks: list[int]) -> tuple[list[float], bytes, dict[str, object]]:
    """The losses, the final weights' bytes and the state after advance(k) for each chunk."""
    t = trainer(engine)
    losses = [float(v) for k in chunks for v in t.advance(k)]
    return losses, t.network.params.tobytes(), t.state()


@pytest.mark.parametrize("engine", ENGINES)
def test_grouping_iterations_into_calls_changes_nothing(engine: str) -> None:
    """advance(1) × N, advance(N) and any mix give the same run, bit for bit."""
    n = 4 * 30 + 2  # into the middle of an epoch
    one_by_one = run(engine, [1] * n)
    at_once = run(engine, [n])
    mixed = run(engine, [2, 3, 1, 7, 64, 4, 5, 36])
    assert sum([2, 3, 1, 7, 64, 4, 5, 36]) == n
    assert one_by_one == at_once == mixed
    assert len(at_once[0]) == n


@pytest.mark.parametrize("engine", ENGINES)
def test_advance_stops_at_the_end_of_the_run(engine: str) -> None:
    """Fewer iterations only when the run ends; then an empty array and no record from step()."""
    t = trainer(engine)
    assert len(t.advance(230)) == 230
    assert len(t.advance(1000)) == 10 and t.status == "finished" and t.epoch == 60
    assert len(t.advance(1)) == 0 and t.step() is None
    record = t.record()
    assert record is not None and record.iteration == 240 and record.status == "finished"
    assert (record.epoch, record.batch) == (59, 3)


@pytest.mark.parametrize("engine", ENGINES)
def test_record_is_the_last_iteration_of_an_advance(engine: str) -> None:
    """record() after advance(k) shows what step() shows for the k-th iteration."""
    stepped, advanced = trainer(engine), trainer(engine)
    for _ in range(22):
        last = stepped.step()
    assert last is not None
    advanced.advance(22)
    record = advanced.record()
    assert record is not None
    assert (record.epoch, record.batch, record.iteration) == (5, 1, 22)
    assert (last.epoch, last.batch, last.iteration) == (5, 1, 22)
    assert record.rows.tolist() == last.rows.tolist()
    for mine, theirs in zip(record.copy().z + record.grads, last.z + last.grads, strict=True):
        assert mine.tobytes() == theirs.tobytes()
    np.testing.assert_array_equal(record.inputs, X[record.rows].T)
    np.testing.assert_array_equal(record.targets, T[record.rows].T)


@pytest.mark.parametrize("engine", ENGINES)
def test_no_record_before_an_iteration(engine: str) -> None:
    """None after construction, reset() and restore(), until an iteration runs."""
    t = trainer(engine)
    assert t.record() is None
    t.advance(3)
    saved, weights = t.state(), t.network.copy_weights()
    t.reset()
    assert t.record() is None
    t.advance(2)
    t.restore(saved, weights)
    assert t.record() is None and t.iteration == 3


def test_compiled_restore_mid_epoch_with_shuffle_continues_bit_for_bit() -> None:
    """state() + weights restored into a fresh compiled trainer repeat the uninterrupted run."""
    whole = trainer("compiled")
    full = whole.advance(1000).copy()
    first = trainer("compiled")
    head = first.advance(37).copy()
    saved, weights = first.state(), first.network.copy_weights()
    assert saved["next_batch"] == 1 and saved["epoch"] == 9
    second = trainer("compiled")
    second.restore(saved, weights)
    tail = second.advance(1000)
    assert np.concatenate([head, tail]).tobytes() == full.tobytes()
    assert second.network.params.tobytes() == whole.network.params.tobytes()
    assert second.state() == whole.state()


def test_a_state_moves_between_engines() -> None:
    """A NumPy run's state restored into the compiled engine goes on with the same batches."""
    ref, mine = trainer("numpy"), trainer("compiled")
    ref.advance(41)
    mine.restore(ref.state(), ref.network.copy_weights())
    ours, theirs = mine.advance(100), ref.advance(100)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    assert mine.state()["order"] == ref.state()["order"]


def test_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="limit: must be at least 1"):
        trainer("compiled").advance(0)


@pytest.mark.parametrize(
    ("engine", "dtype", "match"),
    [
        ("fortran", "float64", "engine: expected one of"),
        ("compiled", "float32", "engine: 'compiled' trains float64 networks only"),
    ],
)
def test_engines_refused(engine: str, dtype: str, match: str) -> None:
    """An unknown engine, or a float32 network on the compiled one: a ValueError naming `engine`."""
    with pytest.raises(ValueError, match=match):
        Trainer(Network((3, 6, 2), dtype=dtype), X, T, CONFIG, engine=engine)


def test_engine_is_kept() -> None:
    assert trainer("compiled").engine == "compiled" and trainer("numpy").engine == "numpy"


@pytest.mark.parametrize(
    ("preferred", "sizes", "batch_rows", "dtype", "expected"),
    [
        ("compiled", (3, 5, 2), 2, "float64", "compiled"),  # the article's Figure 1
        ("compiled", (2, 8, 8, 8, 8, 8, 8, 1), 10, "float64", "compiled"),
        ("compiled", (2, 8, 8, 8, 8, 8, 8, 1), 100, "float64", "compiled"),
        ("compiled", (2, 8, 8, 8, 8, 8, 8, 1), 1000, "float64", "numpy"),  # many rows
        ("compiled", (3, 5, 2), 1000, "float64", "numpy"),
        ("compiled", (20, 64, 64, 10), 1, "float64", "numpy"),  # many weights
        ("compiled", (784, 128, 10), 10_000, "float64", "numpy"),  # BLAS's ground
        ("compiled", (784, 128, 10), 10, "float64", "numpy"),
        ("compiled", (3, 5, 2), 2, "float32", "numpy"),
        ("numpy", (3, 5, 2), 2, "float64", "numpy"),
    ],
)
def test_choose(preferred: str, sizes: tuple[int, ...], batch_rows: int, dtype: str, expected: str):
    """The compiled engine where the kernel wins, NumPy where asked, float32, or BLAS wins."""
    assert compiled.available()
    assert compiled.choose(preferred, sizes, batch_rows, dtype) == expected
    assert compiled.choose(preferred, sizes, batch_rows, dtype) == expected  # a pure function


def test_warm_returns_the_seconds_it_took() -> None:
    assert 0.0 < compiled.warm() < 600.0


def test_the_kernel_runs_without_the_gil_and_without_fastmath() -> None:
    """nogil, so that workers train in parallel; no fastmath, so that sums keep their order."""
    train = compiled.kernel()
    options = train.targetoptions  # type: ignore[attr-defined]
    assert options["nogil"] is True and not options.get("fastmath")
    assert train._cache._enabled  # type: ignore[attr-defined]  # compiled once, then loaded


def test_without_numba_the_numpy_engine_is_chosen() -> None:
    """Where numba cannot be imported: available() is False, choose() says numpy, and asking
    for the compiled engine is a ValueError that says why."""
    code = """if True:
        import sys
        sys.modules["numba"] = None  # import numba now raises ImportError
        import numpy as np
        from backend.engine import compiled
        from backend.engine.network import Network
        from backend.engine.trainer import Trainer
        assert not compiled.available()
        assert compiled.choose("compiled", (3, 5, 2), 2) == "numpy"
        try:
            Trainer(Network((3, 5, 2)), np.zeros((2, 3)), np.zeros((2, 2)), engine="compiled")
        except ValueError as exc:
            print(exc)
        Trainer(Network((3, 5, 2)), np.zeros((2, 3)), np.zeros((2, 2))).advance(3)
    """
    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(root)}
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=root, env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("engine: 'compiled' is unavailable: numba is not installed")
