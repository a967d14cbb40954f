"""A job's loss history, bounded: ≤ MAX_BUCKETS buckets of training loss, ≤ MAX_POINTS metric
points (the whole sets' losses and accuracies, metrics.py)."""

from __future__ import annotations

import math
import struct
from collections.abc import Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .metrics import Point

MAX_BUCKETS = 1024  # buckets kept at most
MAX_POINTS = 1024  # metric points kept at most
SHORT = 8  # losses few enough to append one by one (NumPy's calls cost more than they save)

# tobytes(): a header (magic, version, width, iterations, generation, resets, buckets, points),
# the buckets' first, last, min, max and sum (one float64 block each), then the metric points'
# iterations (int64) and their train loss, test loss, train accuracy and test accuracy (one
# float64 block each, NaN for none). Version 1 held test points instead: (iterations, values).
_MAGIC, _VERSION, _V1 = b"BPLH", 2, 1
_HEADER = struct.Struct("<4sHxxqqqqII")
_VALUES = {_V1: 1, _VERSION: 4}  # floats per point after its iteration


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
    """One width's buckets and the metric points; replaced whole by a merge or a clear().

    Readers take `History._state` once and see a consistent view: the writer only appends to
    these lists, updates their last items and then counts the iteration, and swaps in a new
    _State for anything else.
    """

    __slots__ = ("count", "first", "hi", "last", "lo", "points", "room", "total", "width")

    def __init__(self, width: int = 1, count: int = 0) -> None:
        self.width = width  # iterations per bucket
        self.count = count  # iterations recorded
        self.room = 0  # iterations the last bucket can still take
        self.first: list[float] = []  # (buckets,) each
        self.last: list[float] = []
        self.lo: list[float] = []
        self.hi: list[float] = []
        self.total: list[float] = []  # sums, not means: merging them is exact
        self.points: list[Point] = []  # metric points, oldest first

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
        new.points = self.points
        return new


class History:
    """Training loss per iteration as ≤ MAX_BUCKETS buckets (first, last, min, max, mean) of
    `width` iterations each, and ≤ MAX_POINTS metric points (iteration, train loss, test loss,
    train accuracy, test accuracy); `has_test`: the run has test rows (wire() lists them).

    One thread writes; any thread may read (wire, last_loss, tobytes) without a lock and gets
    one consistent history, except that the last bucket may be a loss ahead in some of its
    fields (it is resent as it fills; the writer's own tobytes() is exact).
    """

    def __init__(self, has_test: bool = False) -> None:
        self._state = _State()
        self.has_test = has_test
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
    def points(self) -> int:
        """Metric points kept."""
        return len(self._state.points)

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
        if len(values) <= SHORT:  # a few losses between two metric points or keyframes
            for loss in values.tolist():
                self.append(loss)
            return
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

    def add_point(self, point: Point) -> None:
        """A metric point (Metrics.point()); past MAX_POINTS, every other one goes (the newest
        stays)."""
        s = self._state
        if len(s.points) < MAX_POINTS:
            s.points.append(point)
            return
        every = [*s.points, point]
        kept = every[0::2]
        if len(every) % 2 == 0:  # the newest has an odd index
            kept.append(point)
        s.points = kept  # a new list: readers never see more than MAX_POINTS
        self.generation += 1

    def clear(self) -> None:
        """Forget everything (a reset): empty, width 1."""
        self._state = _State()
        self.resets += 1
        self.generation += 1

    # ---------------------------------------------------------------- reading (any thread)

    def last_point_iteration(self) -> int | None:
        """The iteration of the newest metric point, None before the first."""
        points = self._state.points
        return points[-1][0] if points else None

    def last_loss(self) -> float | None:
        """The newest training loss, None before the first."""
        s = self._state
        return s.last[-1] if s.count else None

    def wire(self, start: int = 0, test_start: int = 0) -> dict[str, Any]:
        """Buckets from index `start` on and metric points from `test_start` on, as in
        LossHistory.

        first/last/min/max/mean: (buckets - start,) Python floats, NaN/inf as they are;
        metrics: (points - test_start, 5) [iteration, train loss, test loss, train accuracy,
        test accuracy] lists, None for none; test: [iteration, test loss] of each of those
        points when the run has test rows, else empty.
        """
        if start < 0 or test_start < 0:
            raise ValueError(f"start {start} and test_start {test_start} must be ≥ 0")
        s = self._state
        count, width, points = s.count, s.width, s.points  # one consistent view
        n = -(-count // width)
        start, test_start = min(start, n), min(test_start, len(points))
        points = points[test_start:]
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
            "test": [[p[0], p[2]] for p in points] if self.has_test else [],
            "metrics": [list(p) for p in points],
        }

    # ---------------------------------------------------------------- storage

    def tobytes(self) -> bytes:
        """Header, (5, buckets) float64 statistics, (points,) int64 iterations, (4, points)
        float64 metrics (NaN for None)."""
        s = self._state
        count, width, points = s.count, s.width, s.points[:]
        n, t = -(-count // width), len(points)
        header = _HEADER.pack(_MAGIC, _VERSION, width, count, self.generation, self.resets, n, t)
        stats = [*s.first[:n], *s.last[:n], *s.lo[:n], *s.hi[:n], *s.total[:n]]
        values = [math.nan if p[k] is None else p[k] for k in range(1, 5) for p in points]
        return b"".join(
            (
                header,
                struct.pack(f"<{5 * n}d", *stats),
                struct.pack(f"<{t}q", *(p[0] for p in points)),
                struct.pack(f"<{4 * t}d", *values),
            )
        )

    @classmethod
    def frombytes(cls, data: bytes, has_test: bool = False) -> History:
        """The History that tobytes() wrote (a version-1 blob's test points become metric points
        without train values); ValueError naming the fault for anything else."""
        if len(data) < _HEADER.size:
            raise ValueError(
                f"history: {len(data)} bytes, less than the {_HEADER.size}-byte header"
            )
        magic, version, width, count, generation, resets, n, t = _HEADER.unpack_from(data)
        if magic != _MAGIC:
            raise ValueError(f"history: starts with {magic!r}, not {_MAGIC!r}")
        if version not in _VALUES:
            raise ValueError(f"history: format version {version}, expected {_V1} or {_VERSION}")
        _check(width, count, generation, resets, n, t)
        per = _VALUES[version]
        size = _HEADER.size + 8 * (5 * n + (1 + per) * t)
        if len(data) != size:
            raise ValueError(
                f"history: {len(data)} bytes, expected {size} for {n} buckets, {t} points"
            )
        stats = struct.unpack_from(f"<{5 * n}d", data, _HEADER.size)
        at = _HEADER.size + 40 * n
        steps = struct.unpack_from(f"<{t}q", data, at)
        values = [_number(v) for v in struct.unpack_from(f"<{per * t}d", data, at + 8 * t)]
        history = cls(has_test)
        s = history._state = _State(width, count)
        s.first, s.last, s.lo, s.hi, s.total = (list(stats[k * n : (k + 1) * n]) for k in range(5))
        s.room = n * width - count
        if version == _V1:  # test points: (iteration, test loss)
            s.points = [(i, None, v, None, None) for i, v in zip(steps, values, strict=True)]
        else:
            columns = [values[k * t : (k + 1) * t] for k in range(4)]
            rows = zip(steps, *columns, strict=True)
            s.points = [(i, a, b, c, d) for i, a, b, c, d in rows]
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
    if t > MAX_POINTS:
        raise ValueError(f"history: {t} metric points, more than {MAX_POINTS}")


def _number(value: float) -> float | None:
    """A stored metric: None for NaN (none) and for ±inf (a diverged run's loss)."""
    return value if math.isfinite(value) else None
