"""Keyframes: bounded in count and bytes, thinned as the run grows; replay is bit for bit."""

from __future__ import annotations

import json

import numpy as np
import pytest

from backend.engine.datasets import make_dataset
from backend.engine.network import Network
from backend.engine.record import StepRecord
from backend.engine.trainer import Trainer, TrainingConfig
from backend.jobs.keyframes import (
    BUDGET,
    FIRST_SPACING,
    MAX_KEYFRAMES,
    MIN_KEYFRAMES,
    Keyframe,
    Keyframes,
)


def frame(iteration: int, nbytes: int = 8, tag: int = 0) -> Keyframe:
    """A stand-in keyframe: `nbytes` of parameters, a state naming its iteration."""
    return Keyframe(iteration, bytes(nbytes), {"iteration": iteration, "tag": tag}, 0)


def check(kf: Keyframes, iteration: int) -> None:
    """The invariants after taking keyframes up to `iteration`: bounded, 0 kept, an even grid."""
    kept = kf.iterations()
    assert 0 < len(kf) <= kf.capacity
    assert kf.spacing & (kf.spacing - 1) == 0
    assert kept == list(range(0, kept[-1] + 1, kf.spacing))  # 0, s, 2s, … : all multiples of s
    assert kf.spacing <= max(FIRST_SPACING, 2 * iteration / kf.capacity)


def simulate(kf: Keyframes, iterations: int, nbytes: int = 8) -> set[int]:
    """Take a keyframe wherever due() says over a run of `iterations`; the iterations stored."""
    stored: set[int] = set()
    for i in range(iterations + 1):
        if kf.due(i):
            kept_before = set(kf.iterations())
            dropped = kf.add(frame(i, nbytes))
            # What add() returns is exactly what left: the store stays in step with it.
            assert dropped == sorted((kept_before | {i}) - set(kf.iterations()))
            stored = (stored | {i}) - set(dropped)
            assert stored == set(kf.iterations())
            check(kf, i)
    return stored


@pytest.mark.parametrize("iterations", [0, 64, 10_000, 1_000_000])
@pytest.mark.parametrize("max_count", [MAX_KEYFRAMES, 5, MIN_KEYFRAMES])
def test_runs_of_any_length_stay_bounded(iterations: int, max_count: int) -> None:
    kf = Keyframes(8, max_count=max_count)
    assert kf.capacity == max_count
    simulate(kf, iterations)
    assert kf.iterations()[0] == 0
    # Replaying any iteration of the run re-runs fewer than `spacing` iterations.
    for n in range(0, iterations + 1, max(1, iterations // 997)):
        nearest = kf.nearest(n)
        assert nearest is not None and 0 <= n - nearest.iteration < kf.spacing


def test_spacing_after_a_million_iterations_at_256_keyframes() -> None:
    """The docstring's numbers: spacing 4096 at 10^6 iterations (≤ 2·10^6/256), 8192 from 2^20."""
    kf = Keyframes(8)
    simulate(kf, 1_000_000)
    assert kf.spacing == 4096 and len(kf) == 1_000_000 // 4096 + 1
    for i in range(1_000_001, 2**20 + 1):
        if kf.due(i):
            kf.add(frame(i))
    assert kf.spacing == 8192 and len(kf) == 129


def test_short_runs_keep_every_keyframe() -> None:
    kf = Keyframes(8)
    simulate(kf, 0)
    assert kf.iterations() == [0] and kf.spacing == FIRST_SPACING
    kf = Keyframes(8)
    simulate(kf, 64)
    assert kf.iterations() == [0, 64]


def test_nearest_matches_a_brute_force_scan() -> None:
    kf = Keyframes(8, max_count=7)
    assert kf.nearest(0) is None and kf.nearest(10**6) is None
    simulate(kf, 50_000)
    kept = list(kf)
    queries = list(range(-3, 50_100, 7)) + [k.iteration + d for k in kept for d in (-1, 0, 1)]
    for q in queries:
        below = [k for k in kept if k.iteration <= q]
        assert kf.nearest(q) == (below[-1] if below else None)


def test_nearest_of_keyframes_added_in_any_order() -> None:
    rng = np.random.default_rng(4)
    kf = Keyframes(8, max_count=1000, spacing=1)
    added = {0, *(int(i) for i in rng.integers(1, 10_000, size=300))}
    for i in rng.permutation(sorted(added)):
        assert kf.add(frame(int(i))) == []
    assert kf.iterations() == sorted(added)
    for q in range(-1, 10_001, 3):
        below = [i for i in added if i <= q]
        nearest = kf.nearest(q)
        assert (nearest.iteration if nearest else None) == (max(below) if below else None)


def test_add_at_a_kept_iteration_replaces_it() -> None:
    kf = Keyframes(8)
    kf.add(frame(0))
    kf.add(frame(64, tag=1))
    assert kf.add(frame(64, tag=2)) == []
    assert kf.iterations() == [0, 64]
    nearest = kf.nearest(100)
    assert nearest is not None and nearest.trainer["tag"] == 2


def test_thinning_drops_every_other_keyframe() -> None:
    kf = Keyframes(8, max_count=4)
    assert [kf.add(frame(i)) for i in (0, 64, 128, 192)] == [[]] * 4
    assert kf.due(256) and not kf.due(200)
    assert kf.add(frame(256)) == [64, 192]
    assert kf.iterations() == [0, 128, 256] and kf.spacing == 128
    assert not kf.due(320) and kf.due(384)


def test_an_odd_capacity_may_drop_the_keyframe_just_added() -> None:
    """Six keyframes 0..320 in a capacity of five: spacing 128 keeps 0, 128, 256, not 320."""
    kf = Keyframes(8, max_count=5)
    for i in range(0, 320, 64):
        kf.add(frame(i))
    assert kf.add(frame(320)) == [64, 192, 320]
    assert kf.iterations() == [0, 128, 256] and kf.due(384)


def test_due() -> None:
    kf = Keyframes(8)
    assert kf.due(0) and kf.due(64) and not kf.due(5)
    kf.add(frame(0))
    assert not kf.due(0) and not kf.due(63) and kf.due(64) and kf.due(128)
    kf.add(frame(64))
    assert not kf.due(64) and not kf.due(0) and kf.due(128)


def test_capacity_follows_the_budget() -> None:
    assert Keyframes(32 * 8).capacity == MAX_KEYFRAMES  # the article's 3-5-2 network
    assert Keyframes(BUDGET // 100).capacity == 100
    assert Keyframes(BUDGET).capacity == MIN_KEYFRAMES
    assert Keyframes(100 * BUDGET).capacity == MIN_KEYFRAMES
    assert Keyframes(1, budget=10, max_count=100).capacity == 10


@pytest.mark.parametrize("keyframe_bytes", [1, 100, 250, 300, 1000, 5000])
def test_bytes_stay_within_the_budget(keyframe_bytes: int) -> None:
    budget = 1000
    kf = Keyframes(keyframe_bytes, budget=budget)
    assert kf.capacity == max(MIN_KEYFRAMES, min(budget // keyframe_bytes, MAX_KEYFRAMES))
    for i in range(0, 100_001, FIRST_SPACING):
        if kf.due(i):
            kf.add(frame(i, keyframe_bytes))
            assert kf.nbytes == len(kf) * keyframe_bytes
            assert kf.nbytes <= max(budget, MIN_KEYFRAMES * keyframe_bytes)
    assert len(kf) > kf.capacity // 2  # thinning halves the count, no more


def test_clear_starts_over() -> None:
    kf = Keyframes(8, max_count=4, spacing=8)
    simulate(kf, 5000)
    assert kf.spacing > 8
    kf.clear()
    assert len(kf) == 0 and kf.iterations() == [] and list(kf) == [] and kf.nbytes == 0
    assert kf.spacing == 8 and kf.nearest(5000) is None and kf.due(0) and kf.due(8)


def test_restored_continues_like_the_original() -> None:
    kf = Keyframes(BUDGET // 6)  # a capacity of 6
    simulate(kf, 3000)
    again = Keyframes.restored(BUDGET // 6, reversed(list(kf)), kf.spacing)
    assert again.iterations() == kf.iterations() and list(again) == list(kf)
    assert again.spacing == kf.spacing and again.capacity == kf.capacity
    for i in range(3001, 20_000):
        assert again.due(i) == kf.due(i)
        if kf.due(i):
            assert again.add(frame(i)) == kf.add(frame(i))
    assert again.iterations() == kf.iterations()
    again.clear()
    assert again.spacing == FIRST_SPACING


def test_restored_above_capacity_thins_at_the_next_add() -> None:
    """A smaller capacity than the store's keyframes: the next add() drops (and names) the rest."""
    stored = [frame(i) for i in range(0, 640, 64)]
    kf = Keyframes.restored(BUDGET, stored, 64)
    assert kf.capacity == MIN_KEYFRAMES and len(kf) == 10
    dropped = kf.add(frame(640))
    assert kf.iterations() == [0, 256, 512] and kf.spacing == 256
    assert dropped == sorted(set(range(0, 641, 64)) - {0, 256, 512})


@pytest.mark.parametrize("keyframe_bytes", [0, -1])
def test_keyframe_bytes_must_be_positive(keyframe_bytes: int) -> None:
    with pytest.raises(ValueError, match="keyframe_bytes"):
        Keyframes(keyframe_bytes)


@pytest.mark.parametrize("spacing", [0, -64, 3, 48, 96])
def test_spacing_must_be_a_power_of_two(spacing: int) -> None:
    with pytest.raises(ValueError, match="spacing"):
        Keyframes(8, spacing=spacing)
    with pytest.raises(ValueError, match="spacing"):
        Keyframes.restored(8, [frame(0)], spacing)


def same_step(a: StepRecord, b: StepRecord) -> bool:
    """Bit-for-bit equal records: every number and every array element (==, not approximately)."""
    arrays = ("z", "y", "dy", "dz", "grads", "weights")
    return (
        (a.epoch, a.batch, a.iteration, a.loss, a.max_delta, a.learning_rate, a.status)
        == (b.epoch, b.batch, b.iteration, b.loss, b.max_delta, b.learning_rate, b.status)
        and np.array_equal(a.rows, b.rows)
        and np.array_equal(a.inputs, b.inputs)
        and np.array_equal(a.targets, b.targets)
        and all(
            np.array_equal(x, y)
            for name in arrays
            for x, y in zip(getattr(a, name), getattr(b, name), strict=True)
        )
    )


def test_replay_from_the_nearest_keyframe_is_bit_for_bit() -> None:
    """Train 1000 iterations taking keyframes; restoring nearest(N) and stepping to N repeats N."""
    data = make_dataset("article")
    # Shuffled batches of 4 and 2 rows: the keyframe must carry the order and the rng too.
    cfg = TrainingConfig(mode="minibatch", batch_size=4, epochs=600, shuffle=True, seed=5)

    def trainer(seed: int) -> Trainer:
        return Trainer(Network((3, 5, 2), seed=seed), data.inputs, data.targets, cfg)

    t = trainer(0)
    kf = Keyframes(t.network.params.nbytes, max_count=8, spacing=4)  # thins 5 times by 1000

    def take() -> None:
        state = json.loads(json.dumps(t.state()))  # as the store keeps it
        kf.add(Keyframe(t.iteration, t.network.params.tobytes(), state, 0))

    take()
    recorded: dict[int, StepRecord] = {}
    while t.iteration < 1000:
        record = t.step()
        assert record is not None
        recorded[record.iteration] = record.copy()
        if kf.due(t.iteration):
            take()
    assert kf.spacing == 128 and kf.iterations() == list(range(0, 1000, 128))

    for n in (1, 5, 127, 128, 129, 500, 767, 895, 896, 897, 999, 1000):
        keyframe = kf.nearest(n)
        assert keyframe is not None and 0 <= n - keyframe.iteration < kf.spacing
        replay = trainer(99)  # other initial weights: restore must replace them
        flat = np.frombuffer(keyframe.params, dtype=replay.network.dtype).copy()
        replay.restore(keyframe.trainer, replay.network.views(flat))
        assert replay.iteration == keyframe.iteration
        if keyframe.iteration:
            kept = zip(replay.network.weights, recorded[keyframe.iteration].weights, strict=True)
            assert all(np.array_equal(a, b) for a, b in kept)
        while replay.iteration < n:
            record = replay.step()
            assert record is not None and same_step(record, recorded[record.iteration])
        assert replay.iteration == n
