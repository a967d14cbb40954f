"""The training loop: Figure 2's iteration counts, τ, divergence, learning, determinism, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from backend.engine.batching import iterations_per_epoch, partition
from backend.engine.datasets import make_dataset
from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig

X6 = np.arange(18, dtype=float).reshape(6, 3) / 18.0
T6 = np.column_stack([X6.mean(axis=1), X6[:, 0] * X6[:, 1]])


ENGINES = ["numpy", "compiled"]  # each loop test runs on the reference and on the kernel


def trainer(
    config: TrainingConfig, layers: tuple[int, ...] = (3, 5, 2), engine: str = "numpy", **net: str
) -> Trainer:
    """A seeded 3-5-2 trainer on six rows, like Figure 1 on Figure 2's table size."""
    return Trainer(Network(layers, **net), X6, T6, config, engine=engine)


@pytest.mark.parametrize(
    ("mode", "expected", "sizes"),
    [("batch", 1, [6]), ("sgd", 6, [1] * 6), ("minibatch", 3, [2, 2, 2])],
)
@pytest.mark.parametrize("engine", ENGINES)
def test_figure2_iterations_per_epoch(
    mode: str, expected: int, sizes: list[int], engine: str
) -> None:
    """Figure 2: six rows make 1, 6 and 3 iterations per epoch (batch size 2)."""
    assert iterations_per_epoch(mode, 6, 2) == expected
    t = trainer(TrainingConfig(mode=mode, batch_size=2, epochs=2), engine=engine)
    records = [r.copy() for r in t.run()]
    assert len(records) == 2 * expected
    assert [len(r.rows) for r in records[:expected]] == sizes
    assert [r.epoch for r in records] == [0] * expected + [1] * expected
    assert [r.iteration for r in records] == list(range(1, 2 * expected + 1))
    assert np.concatenate([r.rows for r in records[:expected]]).tolist() == list(range(6))
    assert t.status == "finished" and t.epoch == 2 and t.iteration == 2 * expected


def test_minibatch_last_batch_may_be_short() -> None:
    """Consecutive rows [0:4], [4:5] for five rows with batch size 4."""
    assert partition("minibatch", 5, 4) == [(0, 4), (4, 5)]
    t = Trainer(Network((3, 5, 2)), X6[:5], T6[:5], TrainingConfig(batch_size=4, epochs=1))
    assert [r.rows.tolist() for r in (rec.copy() for rec in t.run())] == [[0, 1, 2, 3], [4]]


@pytest.mark.parametrize("engine", ENGINES)
def test_shuffle_reorders_each_epoch_and_is_seeded(engine: str) -> None:
    """Shuffled epochs visit every row once, in an order that changes and repeats with the seed."""

    def orders(seed: int) -> list[list[int]]:
        cfg = TrainingConfig(mode="sgd", epochs=3, shuffle=True, seed=seed)
        recs = [r.rows.tolist() for r in trainer(cfg, engine=engine).run()]
        return [[i for rows in recs[e * 6 : e * 6 + 6] for i in rows] for e in range(3)]

    a = orders(1)
    assert all(sorted(o) == list(range(6)) for o in a)
    assert a[0] != a[1] or a[1] != a[2]
    assert a == orders(1) and a != orders(2)


@pytest.mark.parametrize("engine", ENGINES)
def test_records_match_the_rows_they_name(engine: str) -> None:
    """Each record's inputs and targets are the named rows, a column per sample."""
    t = trainer(
        TrainingConfig(mode="minibatch", batch_size=4, epochs=1, shuffle=True, seed=3),
        engine=engine,
    )
    for r in t.run():
        np.testing.assert_array_equal(r.inputs, X6[r.rows].T)
        np.testing.assert_array_equal(r.targets, T6[r.rows].T)


@pytest.mark.parametrize("engine", ENGINES)
def test_tolerance_stops_as_converged(engine: str) -> None:
    """τ: the run stops as `converged` at the first iteration whose largest |ΔW| is below τ."""
    t = trainer(
        TrainingConfig(mode="batch", learning_rate=0.5, epochs=100_000, tolerance=1e-4),
        engine=engine,
    )
    deltas = [r.max_delta for r in t.run()]
    assert t.status == "converged"
    assert deltas[-1] < 1e-4 and all(d >= 1e-4 for d in deltas[:-1])
    assert t.epoch < 100_000 and t.step() is None


@pytest.mark.parametrize("engine", ENGINES)
def test_zero_tolerance_never_converges(engine: str) -> None:
    """τ = 0 turns early stopping off: the run lasts its epochs."""
    t = trainer(TrainingConfig(mode="batch", epochs=50, tolerance=0.0), engine=engine)
    assert len(list(t.run())) == 50 and t.status == "finished"


@pytest.mark.parametrize("engine", ENGINES)
def test_huge_learning_rate_diverges_without_warnings(engine: str) -> None:
    """α = 1e6 on an unbounded (linear) output overflows: `diverged`, no warning, no raise."""
    t = trainer(
        TrainingConfig(learning_rate=1e6, epochs=1000),
        activation="tanh",
        output_activation="linear",
        engine=engine,
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        records = list(t.run())
    assert t.status == "diverged" and records[-1].status == "diverged"
    assert t.diverged_at == records[-1].iteration < 3000
    assert t.step() is None


@pytest.mark.parametrize("engine", ENGINES)
def test_sigmoid_network_with_huge_learning_rate_gives_no_warning(engine: str) -> None:
    """α = 1e6 saturates sigmoids (finite weights): the run ends without warnings either way."""
    t = trainer(TrainingConfig(learning_rate=1e6, epochs=200), engine=engine)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        list(t.run())
    assert t.status in ("finished", "diverged")


def test_article_network_learns_article_data() -> None:
    """Figure 1's 3-5-2 sigmoid network drives eq. (5)'s loss down by at least 90% on `article`."""
    data = make_dataset("article")
    cfg = TrainingConfig(loss="half_sse", mode="minibatch", batch_size=2, epochs=2000)
    t = Trainer(Network((3, 5, 2)), data.inputs, data.targets, cfg)
    before = t.evaluate(data.inputs, data.targets)
    list(t.run())
    assert t.evaluate(data.inputs, data.targets) <= 0.1 * before


def test_tanh_network_learns_xor() -> None:
    """A 2-4-1 tanh network reaches at least 95% accuracy on TF Playground's xor set."""
    data = make_dataset("xor", samples=200, seed=0)
    net = Network((2, 4, 1), activation="tanh", output_activation="sigmoid", seed=1)
    cfg = TrainingConfig(
        loss="cross_entropy",
        mode="minibatch",
        batch_size=10,
        learning_rate=0.3,
        epochs=300,
        shuffle=True,
    )
    list(Trainer(net, data.inputs, data.targets, cfg).run())
    accuracy = np.mean((net.predict(data.inputs) > 0.5) == (data.targets > 0.5))
    assert accuracy >= 0.95


def test_seeded_runs_repeat_bit_for_bit() -> None:
    """Same seed, same data, same settings: identical losses and weights to the last bit."""

    def run() -> tuple[list[float], np.ndarray]:
        cfg = TrainingConfig(mode="sgd", epochs=20, shuffle=True, seed=7)
        t = Trainer(Network((3, 5, 2), seed=7), X6, T6, cfg)
        return [r.loss for r in t.run()], t.network.params.copy()

    (l1, w1), (l2, w2) = run(), run()
    assert l1 == l2 and w1.tobytes() == w2.tobytes()


@pytest.mark.parametrize("engine", ENGINES)
def test_pause_and_resume_equals_an_uninterrupted_run(engine: str) -> None:
    """Stopping between iterations and going on later changes nothing."""
    cfg = TrainingConfig(mode="minibatch", epochs=5, shuffle=True, seed=2)
    whole = trainer(cfg, engine=engine)
    full = [r.loss for r in whole.run()]
    paused = trainer(cfg, engine=engine)
    first = [paused.step().loss for _ in range(4)]  # type: ignore[union-attr]
    rest = [r.loss for r in paused.run()]
    assert first + rest == full


@pytest.mark.parametrize("engine", ENGINES)
def test_reset_restores_weights_and_counters(engine: str) -> None:
    """reset(weights) goes back to epoch 0 and repeats the same run."""
    t = trainer(TrainingConfig(epochs=3, shuffle=True), engine=engine)
    start = t.network.copy_weights()
    losses = [r.loss for r in t.run()]
    t.reset(start)
    assert (t.epoch, t.iteration, t.status) == (0, 0, "ready")
    assert [r.loss for r in t.run()] == losses


@pytest.mark.parametrize("engine", ENGINES)
def test_learning_rate_can_change_between_iterations(engine: str) -> None:
    """A new α applies from the next update on."""
    t = trainer(TrainingConfig(mode="batch", epochs=10), engine=engine)
    t.step()
    t.learning_rate = 0.25
    r = t.step()
    assert r is not None and r.learning_rate == 0.25
    np.testing.assert_allclose(
        r.max_delta, 0.25 * np.abs(np.concatenate([g.ravel() for g in r.grads])).max(), rtol=1e-15
    )


def test_evaluate_held_out_data() -> None:
    """The test loss is the loss of the current weights on held-out rows."""
    t = Trainer(Network((3, 5, 2)), X6[:4], T6[:4], TrainingConfig(), X6[4:], T6[4:])
    y = t.network.predict(X6[4:])
    assert t.test_loss() == pytest.approx(0.5 * np.sum((y - T6[4:]) ** 2), rel=1e-12)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"layers": (3,)}, "layers: need at least"),
        ({"layers": (3, 0, 2)}, r"layers\[1\]: 0 neurons"),
        ({"activation": "swish"}, "activation: unknown activation 'swish'"),
        ({"activation": "softmax"}, "activation: 'softmax' is allowed on the output layer only"),
        ({"output_activation": "gelu"}, "output_activation: unknown"),
        ({"weights": [np.zeros((5, 3)), np.zeros((2, 6))]}, r"weights\[0\]: shape \[5, 3\]"),
        ({"weights": [np.zeros((5, 4))]}, "weights: expected 2 matrices"),
        ({"weights": [np.full((5, 4), np.nan), np.zeros((2, 6))]}, "non-finite"),
    ],
)
def test_bad_networks_raise_clear_errors(kwargs: dict[str, object], match: str) -> None:
    """Bad shapes and unknown names are ValueErrors that name the field."""
    args: dict[str, object] = {"layers": (3, 5, 2), **kwargs}
    with pytest.raises(ValueError, match=match):
        Network(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("inputs", "targets", "config", "match"),
    [
        (X6[:0], T6[:0], TrainingConfig(), "inputs: no rows"),
        (X6[:, :2], T6, TrainingConfig(), r"inputs: expected shape \(rows, 3\)"),
        (X6, T6[:, :1], TrainingConfig(), r"targets: expected shape \(rows, 2\)"),
        (X6, T6[:5], TrainingConfig(), "targets: 5 rows, but inputs has 6"),
        (np.where(X6 > 0.5, np.inf, X6), T6, TrainingConfig(), "non-finite"),
        (X6, T6, TrainingConfig(loss="hinge"), "loss: unknown loss 'hinge'"),
        (X6, T6, TrainingConfig(loss="cross_entropy"), None),
        (X6, T6, TrainingConfig(mode="adam"), "mode: unknown mode 'adam'"),
        (X6, T6, TrainingConfig(batch_size=0), "batch_size: must be at least 1"),
        (X6, T6, TrainingConfig(learning_rate=0.0), "learning_rate: must be"),
        (X6, T6, TrainingConfig(learning_rate=float("nan")), "learning_rate: must be"),
        (X6, T6, TrainingConfig(epochs=0), "epochs: must be at least 1"),
    ],
)
def test_bad_training_input_raises_clear_errors(
    inputs: np.ndarray, targets: np.ndarray, config: TrainingConfig, match: str | None
) -> None:
    """Empty, misshapen and non-finite data and unknown names are ValueErrors naming the field."""
    if match is None:  # cross_entropy pairs with the default sigmoid output: accepted
        Trainer(Network((3, 5, 2)), inputs, targets, config)
        return
    with pytest.raises(ValueError, match=match):
        Trainer(Network((3, 5, 2)), inputs, targets, config)


def test_cross_entropy_refuses_other_outputs() -> None:
    """cross_entropy pairs with sigmoid or softmax outputs only."""
    with pytest.raises(ValueError, match="cross_entropy needs output_activation"):
        Trainer(
            Network((3, 5, 2), output_activation="tanh"),
            X6,
            T6,
            TrainingConfig(loss="cross_entropy"),
        )


@pytest.mark.parametrize("shuffle", [False, True])
@pytest.mark.parametrize("engine", ENGINES)
def test_restored_state_continues_bit_for_bit(shuffle: bool, engine: str) -> None:
    """state() + weights, restored into a fresh trainer mid-epoch, repeat the uninterrupted run."""
    cfg = TrainingConfig(mode="minibatch", batch_size=4, epochs=6, shuffle=shuffle, seed=5)
    whole = trainer(cfg, engine=engine)
    full = [r.loss for r in whole.run()]
    first = trainer(cfg, engine=engine)
    head = [first.step().loss for _ in range(5)]  # type: ignore[union-attr]
    saved, weights = first.state(), first.network.copy_weights()
    assert saved["next_batch"] == 1 and saved["epoch"] == 2
    second = trainer(cfg, engine=engine)
    second.restore(saved, weights)
    tail = [r.loss for r in second.run()]
    assert head + tail == full
    assert second.network.params.tobytes() == whole.network.params.tobytes()


@pytest.mark.parametrize("engine", ENGINES)
def test_restored_ended_run_stays_ended(engine: str) -> None:
    """A finished run restored from its state takes no further step."""
    t = trainer(TrainingConfig(mode="batch", epochs=3), engine=engine)
    list(t.run())
    again = trainer(TrainingConfig(mode="batch", epochs=3), engine=engine)
    again.restore(t.state(), t.network.copy_weights())
    assert again.status == "finished" and again.step() is None and again.iteration == 3
