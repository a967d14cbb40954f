"""A run's keyframes: snapshots to replay any past iteration from, bounded however long the run.

Replaying iteration N restores the nearest keyframe at or before N (the flat weights and the
trainer's ``state()``) and re-runs the iterations up to N, which the engine repeats bit for bit.
Keyframes are taken every ``spacing`` iterations (and at iteration 0). Once more than the
capacity C are kept, ``spacing`` doubles and every keyframe off the coarser grid is dropped, so
the count stays ≤ C and the bytes ≤ C × (bytes of one keyframe) ≤ the budget.

The replay bound: the kept keyframes are always 0, s, 2s, … at the current spacing s. Thinning
happens when C + 1 are kept, i.e. at iteration C·s, and makes the spacing 2s = 2·iteration/C; it
then stays put while the run grows, so s ≤ max(FIRST_SPACING, 2·iteration/C) at any iteration.
Replaying any iteration re-runs fewer than s iterations. With C = 256 and a 10^6-iteration run:
s ≤ 2·10^6/256 ≈ 7812, so s = 4096 (it becomes 8192 at iteration 2^20): a replay re-runs fewer
than 8192 iterations.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

FIRST_SPACING = 64  # iterations between keyframes at first (a power of two)
MAX_KEYFRAMES = 256  # kept at most
MIN_KEYFRAMES = 4  # kept at least, whatever the budget (keyframe 0 included)
BUDGET = 32 * 1024 * 1024  # bytes of keyframes per job at most (as far as MIN_KEYFRAMES allows)


@dataclass(frozen=True, slots=True)
class Keyframe:
    """The run just after `iteration`'s update: the flat parameters and the trainer's state()."""

    iteration: int
    params: bytes  # the network's flat float buffer (Network.params.tobytes())
    trainer: dict[str, Any]  # Trainer.state() at that moment (JSON-able)
    events: int  # how many run events (α changes) had been applied before it


class Keyframes:
    """A run's keyframes at multiples of `spacing` (and iteration 0), thinned as the run grows."""

    def __init__(
        self,
        keyframe_bytes: int,
        budget: int = BUDGET,
        max_count: int = MAX_KEYFRAMES,
        spacing: int = FIRST_SPACING,
    ) -> None:
        if keyframe_bytes < 1:
            raise ValueError(f"keyframe_bytes: must be at least 1, got {keyframe_bytes}")
        self.first_spacing = check_spacing(spacing)
        self.spacing = self.first_spacing
        self.capacity = max(MIN_KEYFRAMES, min(budget // keyframe_bytes, max_count))
        # Parallel ascending lists (iterations for bisect, the keyframes), replaced as a pair and
        # never mutated: a request thread's nearest() never sees a half-thinned list while the
        # runner adds.
        self._kept: tuple[list[int], list[Keyframe]] = ([], [])

    @classmethod
    def restored(
        cls, keyframe_bytes: int, keyframes: Iterable[Keyframe], spacing: int
    ) -> Keyframes:
        """Rebuilt from the store: `keyframes` in any order, the spacing they were kept at."""
        kept = cls(keyframe_bytes, spacing=spacing)
        kept.first_spacing = FIRST_SPACING  # a later clear() starts the run over
        by_iteration = {k.iteration: k for k in keyframes}
        frames = [by_iteration[i] for i in sorted(by_iteration)]
        # Not thinned here even if above capacity: the next add() thins and returns what it drops,
        # so the store learns of every deletion.
        kept._kept = ([k.iteration for k in frames], frames)
        return kept

    def due(self, iteration: int) -> bool:
        """True at a multiple of the spacing past the newest keyframe: the runner takes one."""
        iterations = self._kept[0]
        newest = iterations[-1] if iterations else -1
        return iteration % self.spacing == 0 and iteration > newest

    def add(self, keyframe: Keyframe) -> list[int]:
        """Keep `keyframe` (replacing one at its iteration), then thin; the iterations dropped.

        The list may name `keyframe.iteration` itself when the capacity is odd and the doubled
        spacing skips it: the store should then not keep it either.
        """
        iterations, frames = list(self._kept[0]), list(self._kept[1])
        at = bisect.bisect_left(iterations, keyframe.iteration)
        if at < len(iterations) and iterations[at] == keyframe.iteration:
            frames[at] = keyframe
        else:
            iterations.insert(at, keyframe.iteration)
            frames.insert(at, keyframe)
        dropped: list[int] = []
        while len(frames) > self.capacity:
            # Keep every other grid point: iteration 0 is a multiple of every spacing, so it stays.
            self.spacing *= 2
            dropped += [k.iteration for k in frames if k.iteration % self.spacing]
            frames = [k for k in frames if k.iteration % self.spacing == 0]
        self._kept = ([k.iteration for k in frames], frames)
        return sorted(dropped)

    def nearest(self, iteration: int) -> Keyframe | None:
        """The latest keyframe at or before `iteration`, None if there is none."""
        iterations, frames = self._kept
        at = bisect.bisect_right(iterations, iteration)
        return frames[at - 1] if at else None

    def clear(self) -> None:
        """A reset: nothing kept, the spacing back to the first spacing."""
        self._kept = ([], [])
        self.spacing = self.first_spacing

    def iterations(self) -> list[int]:
        """The kept keyframes' iterations, ascending."""
        return list(self._kept[0])

    def __len__(self) -> int:
        return len(self._kept[1])

    def __iter__(self) -> Iterator[Keyframe]:
        return iter(self._kept[1])

    @property
    def nbytes(self) -> int:
        """Bytes of the kept keyframes' parameters."""
        return sum(len(k.params) for k in self._kept[1])


def check_spacing(spacing: int) -> int:
    """`spacing` if it is a power of two (1, 2, 4, …), else a ValueError."""
    if spacing < 1 or spacing & (spacing - 1):
        raise ValueError(f"spacing: must be a power of two, got {spacing}")
    return spacing
