"""The bounded loss history against the raw losses it summarises (buckets recomputed with numpy)."""

from __future__ import annotations

import itertools
import math
import struct
import sys
from typing import Any

import numpy as np
import pytest

from backend.jobs import history as history_module
from backend.jobs.history import MAX_BUCKETS, MAX_POINTS, History

SPECIAL = [math.nan, math.inf, -math.inf]


def add_test(history: History, iteration: int, value: float) -> None:
    """A metric point that holds only a test loss."""
    history.add_point((iteration, None, value, None, None))


def losses(n: int, seed: int = 0, special: float = 0.0) -> list[float]:
    """n positive losses, with a fraction `special` of them NaN or ±inf."""
    rng = np.random.default_rng(seed)
    raw = rng.lognormal(size=n)
    hit = rng.random(n) < special
    raw[hit] = rng.choice(SPECIAL, size=int(hit.sum()))
    return [float(x) for x in raw]


def expected_width(n: int) -> int:
    """The smallest power of two that fits n iterations into MAX_BUCKETS buckets."""
    width = 1
    while math.ceil(n / width) > MAX_BUCKETS:
        width *= 2
    return width


def bucket(raw: list[float], width: int, k: int) -> tuple[float, float, float, float, float]:
    """Bucket k's first, last, min, max (NaN ignored unless all NaN) and mean of the raw losses."""
    part = np.array(raw[k * width : (k + 1) * width])
    with np.errstate(invalid="ignore"):  # inf - inf in the mean is NaN, as it should be
        mean = float(part.mean())
    return part[0], part[-1], np.fmin.reduce(part), np.fmax.reduce(part), mean


def check(history: History, raw: list[float], ks: list[int] | None = None) -> None:
    """The history's buckets (all, or those of `ks`) match the raw losses."""
    width = expected_width(len(raw))
    assert (len(history), history.iterations, history.width) == (len(raw), len(raw), width)
    assert history.buckets == math.ceil(len(raw) / width) <= MAX_BUCKETS
    wire = history.wire()
    assert (wire["iterations"], wire["width"], wire["start"]) == (len(raw), width, 0)
    names = ("first", "last", "min", "max", "mean")
    assert all(len(wire[name]) == history.buckets for name in names)
    for k in range(history.buckets) if ks is None else ks:
        got = [wire[name][k] for name in names]
        np.testing.assert_array_equal(got[:4], bucket(raw, width, k)[:4])
        np.testing.assert_allclose(got[4], bucket(raw, width, k)[4], rtol=1e-12)
        assert all(type(x) is float for x in got)


@pytest.mark.parametrize(
    "n", [0, 1, 2, 7, MAX_BUCKETS - 1, MAX_BUCKETS, MAX_BUCKETS + 1, 5 * MAX_BUCKETS + 3]
)
@pytest.mark.parametrize("special", [0.0, 0.05])
def test_buckets_match_the_raw_losses(n: int, special: float) -> None:
    raw = losses(n, seed=n, special=special)
    history = History(has_test=True)
    history.extend(raw)
    check(history, raw)
    if raw:
        np.testing.assert_array_equal(history.last_loss(), raw[-1])  # NaN equals NaN here
    else:
        assert history.last_loss() is None


@pytest.mark.parametrize("seed", range(6))
def test_random_lengths_appended_one_by_one(seed: int) -> None:
    n = int(np.random.default_rng(seed).integers(0, 20 * MAX_BUCKETS))
    raw = losses(n, seed=seed, special=0.01)
    history = History(has_test=True)
    for loss in raw:
        history.append(loss)
        assert history.buckets <= MAX_BUCKETS
    check(history, raw)


def test_a_million_iterations_stay_bounded() -> None:
    raw = losses(1_000_000, seed=1)
    history = History(has_test=True)
    for loss in raw:
        history.append(loss)
    width = history.width
    assert width & (width - 1) == 0 and history.buckets <= MAX_BUCKETS
    ks = [0, history.buckets - 1, *np.random.default_rng(2).integers(0, history.buckets, 8)]
    check(history, raw, [int(k) for k in ks])
    assert history.last_loss() == raw[-1]


def test_non_finite_losses() -> None:
    history = History(has_test=True)
    history.extend([math.nan, math.nan, 2.0, math.nan])  # width 1: one bucket each
    wire = history.wire()
    assert all(math.isnan(x) for x in wire["min"][:2] + wire["max"][:2])
    history = History(has_test=True)
    history.extend([math.nan] * (MAX_BUCKETS + 1) + [3.0, math.inf])  # width 2
    wire = history.wire()
    assert math.isnan(wire["min"][0]) and math.isnan(wire["max"][0]) and math.isnan(wire["mean"][0])
    assert (wire["min"][512], wire["max"][512]) == (3.0, 3.0)  # iterations 1025 (NaN), 1026
    assert (wire["first"][513], wire["mean"][513], wire["max"][513]) == (math.inf,) * 3
    assert history.last_loss() == math.inf


def test_generation_counts_merges_thinnings_and_clears() -> None:
    history = History(has_test=True)
    merges = []
    for i in range(1, 5 * MAX_BUCKETS + 4):
        before = history.generation
        history.append(float(i))
        if history.generation != before:
            assert history.generation == before + 1
            merges.append(i)
    assert merges == [MAX_BUCKETS + 1, 2 * MAX_BUCKETS + 1, 4 * MAX_BUCKETS + 1]
    for i in range(MAX_POINTS - 1):
        add_test(history, i, 1.0)
    assert (history.points, history.generation, history.resets) == (MAX_POINTS - 1, 3, 0)
    add_test(history, MAX_POINTS, 1.0)
    assert (history.points, history.generation) == (MAX_POINTS, 3)
    add_test(history, MAX_POINTS + 1, 1.0)
    assert (history.points, history.generation) == (MAX_POINTS // 2 + 1, 4)
    history.clear()
    assert (len(history), history.width, history.buckets, history.points) == (0, 1, 0, 0)
    assert (history.generation, history.resets, history.last_loss()) == (5, 1, None)
    history.extend([1.0, 2.0])
    check(history, [1.0, 2.0])
    assert (history.generation, history.resets) == (5, 1)


def test_test_points_thin_to_every_other_and_keep_the_newest() -> None:
    history = History(has_test=True)
    points = [(i, float(i) / 7) for i in range(1, MAX_POINTS + 2)]
    for i, v in points:
        add_test(history, i, v)
    assert history.wire()["test"] == [list(p) for p in points[0::2]]  # 1025 points → 513
    for i in range(MAX_POINTS + 2, 20 * MAX_POINTS):
        add_test(history, i, float(i) / 7)
        assert history.points <= MAX_POINTS
        if i % 101 and i != 20 * MAX_POINTS - 1:
            continue
        test = history.wire()["test"]
        assert test[-1] == [i, i / 7] and test[0] == [1, 1 / 7]
        assert all(a[0] < b[0] for a, b in itertools.pairwise(test))


def test_wire_slices_from_start_and_test_start() -> None:
    history = History(has_test=True)
    history.extend(losses(3 * MAX_BUCKETS + 5, seed=3))
    for i in range(10):
        add_test(history, 10 * i, float(i))
    full = history.wire()
    for start, test_start in [(0, 0), (1, 3), (history.buckets - 1, 9), (history.buckets, 10)]:
        part = history.wire(start, test_start)
        assert (part["start"], part["test_start"]) == (start, test_start)
        assert part["iterations"] == full["iterations"] and part["width"] == full["width"]
        for name in ("first", "last", "min", "max", "mean"):
            assert part[name] == full[name][start:]
        assert part["test"] == full["test"][test_start:]
    beyond = history.wire(10**6, 10**6)
    assert (beyond["start"], beyond["test_start"]) == (history.buckets, 10)
    assert beyond["first"] == beyond["mean"] == beyond["test"] == []
    with pytest.raises(ValueError):
        history.wire(-1)


def nan_safe(wire: dict[str, Any]) -> str:
    """The wire dict with NaN written out, so two of them compare equal."""
    return repr(wire)  # repr(nan) == "nan" for every NaN object


def filled(n: int, points: int) -> History:
    history = History(has_test=True)
    history.extend(losses(n, seed=n, special=0.1))
    for i in range(points):
        some = [1.5, None, 0.25][i % 3]
        history.add_point((i + 1, i / 7, some, None if i % 2 else 0.5, 1 / (i + 1)))
    return history


@pytest.mark.parametrize(
    ("n", "tests"),
    [(0, 0), (1, 1), (MAX_BUCKETS, 3), (3 * MAX_BUCKETS + 5, 7), (7 * MAX_BUCKETS, 2000)],
)
def test_bytes_round_trip(n: int, tests: int) -> None:
    history = filled(n, tests)
    again = History.frombytes(history.tobytes(), has_test=True)
    assert nan_safe(again.wire()) == nan_safe(history.wire())
    assert (again.generation, again.resets, again.points) == (
        history.generation,
        history.resets,
        history.points,
    )
    more = losses(2 * MAX_BUCKETS + 1, seed=9, special=0.1)  # the partial bucket goes on filling
    history.extend(more)
    again.extend(more)
    assert again.tobytes() == history.tobytes()


def test_bytes_round_trip_after_clear() -> None:
    history = filled(3 * MAX_BUCKETS, 5)
    history.clear()
    again = History.frombytes(history.tobytes(), has_test=True)
    assert (len(again), again.width, again.buckets, again.points, again.resets) == (0, 1, 0, 0, 1)
    assert again.generation == history.generation and again.last_loss() is None


HEADER = struct.Struct("<4sHxxqqqqII")  # as tobytes() writes it


def garbage() -> list[tuple[bytes, str]]:
    """Damaged or made-up history bytes, each with a word of the error it must raise."""
    good = filled(3 * MAX_BUCKETS + 1, 4).tobytes()  # width 4, 769 buckets
    fields = list(HEADER.unpack_from(good))
    bad = [(b"", "header"), (b"BPLH", "header"), (b"x" + good[1:], "starts with")]
    bad += [(good[:cut], "bytes") for cut in range(HEADER.size, len(good), 997)]
    bad += [(good[:-1], "expected"), (good + b"\0", "expected")]
    for at, value, word in [
        (1, 3, "version"),
        (2, 3, "power of two"),
        (2, 0, "power of two"),
        (2, 16, "buckets"),
        (3, -1, "negative"),
        (3, 1, "buckets"),
        (6, 1, "buckets"),
        (7, 2000, "metric points"),
    ]:
        wrong = fields.copy()
        wrong[at] = value
        bad.append((HEADER.pack(*wrong) + good[HEADER.size :], word))
    # 10 iterations never make width 2 (that takes MAX_BUCKETS + 1), however consistent.
    bad.append((HEADER.pack(b"BPLH", 1, 2, 10, 0, 0, 5, 0) + bytes(40 * 5), "width 2"))
    return bad


@pytest.mark.parametrize(("data", "word"), garbage())
def test_frombytes_refuses_garbage(data: bytes, word: str) -> None:
    with pytest.raises(ValueError, match=f"history: .*{word}"):
        History.frombytes(data)


NAMES = ("first", "last", "min", "max", "mean")


def consistent(wire: dict[str, Any], raw: list[float], tests: list[list[float]]) -> bool:
    """A whole wire() whose buckets summarise raw[:iterations] (the last bucket, which may be
    filling as it is read, only by its first loss) and whose test points are `tests`."""
    count, width = wire["iterations"], wire["width"]
    n = math.ceil(count / width)
    if count > len(raw) or width != expected_width(count) or wire["test"] != tests:
        return False
    if any(len(wire[name]) != n for name in NAMES):
        return False
    if n == 0:
        return True
    full = np.array(raw[: (n - 1) * width]).reshape(n - 1, width)
    want = [full[:, 0], full[:, -1], full.min(axis=1), full.max(axis=1), full.mean(axis=1)]
    return wire["first"][-1] == raw[(n - 1) * width] and all(
        np.allclose(wire[name][:-1], w, rtol=1e-12, atol=0)
        for name, w in zip(NAMES, want, strict=True)
    )


def traced(codes: Any, run: Any, hook: Any) -> None:
    """run(), calling hook() before each line of the functions whose code `codes` accepts."""

    def local(frame: Any, event: str, arg: Any) -> Any:
        if event == "line":
            hook()  # called with tracing off: hook's own lines are not traced
        return local

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local if codes(frame.f_code) else None)
    try:
        run()
    finally:
        sys.settrace(previous)


def scenario(name: str) -> tuple[History, Any, list[tuple[list[float], list[list[float]]]]]:
    """A history, one writer operation on it, and the (losses, tests) it may show around it."""
    # Width 2 and all MAX_BUCKETS buckets in use (the next loss merges), less one loss (the
    # next one fills the last bucket) or two (it opens the last bucket).
    cut = {"fill": 1, "open": 2}.get(name, 0)
    base = losses(2 * MAX_BUCKETS - cut, seed=5)
    tests = [[i, i / 3] for i in range(1, MAX_POINTS + 1)]
    history = History(has_test=True)
    history.extend(base)
    for i, v in tests:
        add_test(history, int(i), v)
    more = [*base, 0.25]
    if name in ("fill", "open", "merge"):
        return history, lambda: history.append(0.25), [(more, tests)]
    if name == "thin":
        thinned = [*tests, [MAX_POINTS + 1, 9.0]][0::2]
        return (
            history,
            lambda: add_test(history, MAX_POINTS + 1, 9.0),
            [(base, tests), (base, thinned)],
        )
    return history, history.clear, [(base, tests), ([], [])]


@pytest.mark.parametrize("name", ["fill", "open", "merge", "thin", "clear"])
def test_a_reader_sees_one_consistent_history_wherever_the_writer_interrupts(name: str) -> None:
    # Readers take no lock: under the GIL a thread may switch between any two lines. So read
    # between every two lines of a writer's operation, and write between every two of wire's.
    history, write, states = scenario(name)
    bad: list[str] = []

    def read() -> None:
        wire = history.wire()
        if not any(consistent(wire, raw, tests) for raw, tests in states):
            bad.append(f"{wire['iterations']} iterations, width {wire['width']}")

    traced(lambda code: code.co_filename == history_module.__file__, write, read)
    assert bad == []
    lines = 0

    def count() -> None:
        nonlocal lines
        lines += 1

    traced(lambda code: code is History.wire.__code__, history.wire, count)
    for at in range(lines):
        assert consistent_when_written_at(name, at), f"{name} before line {at} of wire()"


def consistent_when_written_at(name: str, at: int) -> bool:
    """Whether wire() is consistent when the writer's operation runs before its line `at`."""
    history, write, states = scenario(name)
    seen = 0

    def interrupt() -> None:
        nonlocal seen
        if seen == at:
            write()
        seen += 1

    wires: list[dict[str, Any]] = []
    is_wire = History.wire.__code__
    traced(lambda code: code is is_wire, lambda: wires.append(history.wire()), interrupt)
    assert seen > at  # the write did happen
    return any(consistent(wires[0], raw, tests) for raw, tests in states)


def test_extend_in_chunks_of_any_length_is_append_one_by_one_bit_for_bit() -> None:
    """Short chunks (appended one by one) and long ones (a bucket's worth at a time) alike."""
    raw = losses(9 * MAX_BUCKETS + 17, seed=4, special=0.02)
    rng = np.random.default_rng(8)
    chunked, single = History(), History()
    i = 0
    while i < len(raw):
        n = int(rng.choice([1, 2, 3, 5, 8, 9, 64, 700, 3000]))
        chunked.extend(np.array(raw[i : i + n]))
        i += n
    for loss in raw:
        single.append(loss)
    assert chunked.tobytes() == single.tobytes()


def test_points_round_trip_and_list_tests_only_with_test_rows() -> None:
    point = (3, 0.25, None, 0.5, None)
    with_test, without = History(has_test=True), History()
    for history in (with_test, without):
        history.add_point(point)
        assert history.wire()["metrics"] == [list(point)]
    assert with_test.wire()["test"] == [[3, None]] and without.wire()["test"] == []
    again = History.frombytes(without.tobytes())
    assert again.wire()["metrics"] == [list(point)] and again.last_point_iteration() == 3


def version_1(losses: list[float], tests: list[tuple[int, float]]) -> bytes:
    """A history blob as the first bucketed release wrote it (format version 1, width 1)."""
    n, t = len(losses), len(tests)
    stats = [*losses, *losses, *losses, *losses, *losses]
    return b"".join(
        (
            HEADER.pack(b"BPLH", 1, 1, n, 2, 0, n, t),
            struct.pack(f"<{5 * n}d", *stats),
            struct.pack(f"<{t}q", *(i for i, _ in tests)),
            struct.pack(f"<{t}d", *(v for _, v in tests)),
        )
    )


def test_a_version_1_blob_is_read_its_test_points_as_metric_points() -> None:
    old = version_1([0.5, 0.4, 0.3], [(1, 0.7), (3, math.inf)])
    history = History.frombytes(old, has_test=True)
    wire = history.wire()
    assert (wire["iterations"], wire["first"], history.generation) == (3, [0.5, 0.4, 0.3], 2)
    assert wire["metrics"] == [[1, None, 0.7, None, None], [3, None, None, None, None]]
    assert wire["test"] == [[1, 0.7], [3, None]]
    assert HEADER.unpack_from(history.tobytes())[1] == 2  # written back as version 2
    assert History.frombytes(history.tobytes(), has_test=True).wire() == wire
