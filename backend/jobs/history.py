"""A job's loss history, bounded: ≤ MAX_BUCKETS buckets of training loss, ≤ MAX_TESTS tests."""

from __future__ import annotations

import struct
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

MAX_BUCKETS = 1024  # buckets kept at most
MAX_TESTS = 1024  # test points kept at most

# tobytes(): a header (magic, version, width, iterations, generation, resets, buckets, tests),
# the buckets' first, last, min, max and sum (one float64 block each), then the test points'
# iterations (int64) and values (float64).
_MAGIC, _VERSION = b"BPLH", 1
_HEADER = struct.Struct("<4sHxxqqqqII")


def width_at(iterations: int) -> int:
    """The bucket width once `iterations` losses are in: 1 up to MAX_BUCKETS, then the power of
    two that keeps them in MAX_BUCKETS buckets (a pure function of the count)."""
    width = 1
    while iterations > MAX_BUCKETS * width:
        width *= 2
    return width


def _fmin(a: float, b: float) -> float:
    """min ignoring NaN, NaN only if both are (numpy.fmin)."""
    return b if b < a or a != a else a


def _fmax(a: float, b: float) -> float:
    """max ignoring NaN, NaN only if both are (numpy.fmax)."""
    return b if b > a or a != a else a


class _State:
    """One width's buckets and the test points; replaced whole by a merge or a clear().

    Readers take `History._state` once and see a consistent view: the writer only appends to
    these lists, updates their last items and then counts the iteration, and swaps in a new
    _State for anything else.
    """

    __slots__ = ("count", "first", "hi", "last", "lo", "room", "tests", "total", "width")

    def __init__(self, width: int = 1, count: int = 0) -> None:
        self.width = width  # iterations per bucket
        self.count = count  # iterations recorded
        self.room = 0  # iterations the last bucket can still take
        self.first: list[float] = []  # (buckets,) each
        self.last: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.total: list[float] = []  # sums, not means: merging them is exact
        self.tests: list[tuple[int, float]] = []  # (iteration, test loss), oldest first

    def open(self, loss: float) -> None:
        """A new last bucket holding `loss`; counted once its five values are in."""
        self.first.append(loss)
        self.last.append(loss)
        self.lo.append(loss)
        self.hi.append(loss)
        self.total.append(loss)
        self.room = self.width - 1
        self.count += 1

    def merged(self) -> _State:
        """Twice the width: buckets (2k, 2k + 1) → k; all of them must be full."""
        new = _State(2 * self.width, self.count)
        new.first, new.last = self.first[0::2], self.last[1::2]
        new.lo = [_fmin(a, b) for a, b in zip(self.lo[0::2], self.lo[1::2], strict=True)]
        new.hi = [_fmax(a, b) for a, b in zip(self.hi[0::2], self.hi[1::2], strict=True)]
        new.total = [a + b for a, b in zip(self.total[0::2], self.total[1::2], strict=True)]
        new.tests = self.tests
        return new


class History:
    """Training loss per iteration as ≤ MAX_BUCKETS buckets (first, last, min, max, mean) of
    `width` iterations each, and ≤ MAX_TESTS (iteration, test loss) points.

    One thread writes; any thread may read (wire, last_loss, tobytes) without a lock and gets
    one consistent history, except that the last bucket may be a loss ahead in some of its
    fields (it is resent as it fills; the writer's own tobytes() is exact).
    """

    def __init__(self) -> None:
        self._state = _State()
        self.generation = 0  # +1 whenever already-sent data is rewritten
        self.resets = 0  # +1 at each clear()

    @property
    def width(self) -> int:
        """Iterations per bucket: a power of two, doubled as the run needs bucket MAX_BUCKETS."""
        return self._state.width

    @property
    def iterations(self) -> int:
        """Losses appended since the start or the last clear()."""
        return self._state.count

    def __len__(self) -> int:
        return self._state.count

    @property
    def buckets(self) -> int:
        """Buckets in use; the last may be partial."""
        s = self._state
        return -(-s.count // s.width)

    @property
    def tests(self) -> int:
        """Test points kept."""
        return len(self._state.tests)

    # ---------------------------------------------------------------- writing (one thread)

    def append(self, loss: float) -> None:
        """Iteration `iterations + 1`'s training loss (once per iteration: a few list stores)."""
        loss = float(loss)
        s = self._state
        if not s.room:
            self._open(loss)
            return
        s.room -= 1
        s.last[-1] = loss
        lo, hi = s.lo, s.hi
        # NaN compares false: a NaN loss leaves min/max alone, a NaN min/max (only NaN so
        # far) gives way to the first number.
        if loss < lo[-1] or lo[-1] != lo[-1]:
            lo[-1] = loss
        if loss > hi[-1] or hi[-1] != hi[-1]:
            hi[-1] = loss
        s.total[-1] += loss
        s.count += 1  # last: a reader slices by count, so it never sees a half-made bucket

    def _open(self, loss: float) -> None:
        """A new bucket holding `loss`, after merging neighbours if all MAX_BUCKETS are in use."""
        s = self._state
        if len(s.first) < MAX_BUCKETS:
            s.open(loss)
            return
        merged = s.merged()
        merged.open(loss)  # before the swap: readers see width w or 2w with this loss, not between
        self._state = merged
        self.generation += 1  # after it: a reader that saw the old number catches up next time

    def extend(self, losses: Sequence[float] | NDArray[np.float64]) -> None:
        """append() each of `losses`, in order, a bucket's worth at a time (bit for bit the same:
        min and max ignore NaN as append() does, and sums are accumulated in order)."""
        values = np.asarray(losses, dtype=np.float64)
        with np.errstate(all="ignore"):  # inf − inf is NaN in a sum, as in append()
            self._extend(values)

    def _extend(self, values: NDArray[np.float64]) -> None:
        i, n = 0, len(values)
        while i < n:
            s = self._state
            if s.room:
                i += self._fill(s, values[i : i + s.room])
            elif len(s.first) >= MAX_BUCKETS:
                self._state = s.merged()  # every bucket is full: same count, twice the width
                self.generation += 1
            elif (whole := min(MAX_BUCKETS - len(s.first), (n - i) // s.width)) > 0:
                i += self._open_whole(s, values[i : i + whole * s.width].reshape(whole, s.width))
            else:
                s.open(float(values[i]))
                i += 1

    @staticmethod
    def _fill(s: _State, chunk: NDArray[np.float64]) -> int:
        """Add `chunk` (k,), k ≤ room, to the last bucket; returns k."""
        s.last[-1] = float(chunk[-1])
        s.lo[-1] = float(np.fmin(s.lo[-1], np.fmin.reduce(chunk)))
        s.hi[-1] = float(np.fmax(s.hi[-1], np.fmax.reduce(chunk)))
        s.total[-1] = float(np.add.accumulate(np.concatenate(([s.total[-1]], chunk)))[-1])
        s.room -= len(chunk)
        s.count += len(chunk)  # last, as in append()
        return len(chunk)

    @staticmethod
    def _open_whole(s: _State, block: NDArray[np.float64]) -> int:
        """Whole new buckets, one row of `block` (buckets, width) each; returns the losses."""
        s.first.extend(block[:, 0].tolist())
        s.last.extend(block[:, -1].tolist())
        s.lo.extend(np.fmin.reduce(block, axis=1).tolist())
        s.hi.extend(np.fmax.reduce(block, axis=1).tolist())
        s.total.extend(np.add.accumulate(block, axis=1)[:, -1].tolist())  # in order, as append()
        s.room = 0
        s.count += block.size
        return block.size

    def add_test(self, iteration: int, value: float) -> None:
        """A whole-test-set loss point; past MAX_TESTS, every other one goes (the newest stays)."""
        s, point = self._state, (int(iteration), float(value))
        if len(s.tests) < MAX_TESTS:
            s.tests.append(point)
            return
        every = [*s.tests, point]
        kept = every[0::2]
        if len(every) % 2 == 0:  # the newest has an odd index
            kept.append(point)
        s.tests = kept  # a new list: readers never see more than MAX_TESTS
        self.generation += 1

    def clear(self) -> None:
        """Forget everything (a reset): empty, width 1."""
        self._state = _State()
        self.resets += 1
        self.generation += 1

    # ---------------------------------------------------------------- reading (any thread)

    def last_test_iteration(self) -> int | None:
        """The iteration of the newest test point, None before the first."""
        tests = self._state.tests
        return tests[-1][0] if tests else None

    def last_loss(self) -> float | None:
        """The newest training loss, None before the first."""
        s = self._state
        return s.last[-1] if s.count else None

    def wire(self, start: int = 0, test_start: int = 0) -> dict[str, Any]:
        """Buckets from index `start` on and test points from `test_start` on, as in LossHistory.

        first/last/min/max/mean: (buckets - start,) Python floats, NaN/inf as they are;
        test: (tests - test_start, 2) [iteration, loss] lists.
        """
        if start < 0 or test_start < 0:
            raise ValueError(f"start {start} and test_start {test_start} must be ≥ 0")
        s = self._state
        count, width, tests = s.count, s.width, s.tests  # one consistent view
        n = -(-count // width)
        start, test_start = min(start, n), min(test_start, len(tests))
        total = s.total[start:n]
        mean = [t / width for t in total]
        if mean:  # the last bucket holds the iterations past (n - 1) * width
            mean[-1] = total[-1] / (count - (n - 1) * width)
        return {
            "iterations": count,
            "width": width,
            "start": start,
            "first": s.first[start:n],
            "last": s.last[start:n],
            "min": s.lo[start:n],
            "max": s.hi[start:n],
            "mean": mean,
            "test_start": test_start,
            "test": [[i, v] for i, v in tests[test_start:]],
        }

    # ---------------------------------------------------------------- storage

    def tobytes(self) -> bytes:
        """Header, (5, buckets) float64 statistics, (tests,) int64 iterations, (tests,) float64."""
        s = self._state
        count, width, tests = s.count, s.width, s.tests[:]
        n = -(-count // width)
        header = _HEADER.pack(
            _MAGIC, _VERSION, width, count, self.generation, self.resets, n, len(tests)
        )
        stats = [*s.first[:n], *s.last[:n], *s.lo[:n], *s.hi[:n], *s.total[:n]]
        return b"".join(
            (
                header,
                struct.pack(f"<{5 * n}d", *stats),
                struct.pack(f"<{len(tests)}q", *(i for i, _ in tests)),
                struct.pack(f"<{len(tests)}d", *(v for _, v in tests)),
            )
        )

    @classmethod
    def frombytes(cls, data: bytes) -> History:
        """The History that tobytes() wrote; ValueError naming the fault for anything else."""
        if len(data) < _HEADER.size:
            raise ValueError(
                f"history: {len(data)} bytes, less than the {_HEADER.size}-byte header"
            )
        magic, version, width, count, generation, resets, n, t = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError(f"history: starts with {magic!r}, not {_MAGIC!r}")
        if version != _VERSION:
            raise ValueError(f"history: format version {version}, expected {_VERSION}")
        _check(width, count, generation, resets, n, t)
        size = _HEADER.size + 8 * (5 * n + 2 * t)
        if len(data) != size:
            raise ValueError(
                f"history: {len(data)} bytes, expected {size} for {n} buckets, {t} tests"
            )
        stats = struct.unpack_from(f"<{5 * n}d", data, _HEADER.size)
        at = _HEADER.size + 40 * n
        steps = struct.unpack_from(f"<{t}q", data, at)
        values = struct.unpack_from(f"<{t}d", data, at + 8 * t)
        history = cls()
        s = history._state = _State(width, count)
        s.first, s.last, s.lo, s.hi, s.total = (list(stats[k * n : (k + 1) * n]) for k in range(5))
        s.room = n * width - count
        s.tests = list(zip(steps, values, strict=True))
        history.generation, history.resets = generation, resets
        return history


def _check(width: int, count: int, generation: int, resets: int, n: int, t: int) -> None:
    """ValueError unless a header's numbers could have come from a History."""
    if width < 1 or width & (width - 1):
        raise ValueError(f"history: width {width} is not a power of two")
    if count < 0 or generation < 0 or resets < 0:
        raise ValueError(f"history: negative count ({count}, {generation}, {resets})")
    if n != -(-count // width):
        raise ValueError(f"history: {n} buckets for {count} iterations of width {width}")
    # Width 2w is reached only when iteration MAX_BUCKETS * w + 1 arrives.
    if n > MAX_BUCKETS or (width > 1 and count <= MAX_BUCKETS * width // 2):
        raise ValueError(f"history: {count} iterations do not make width {width}")
    if t > MAX_TESTS:
        raise ValueError(f"history: {t} test points, more than {MAX_TESTS}")
