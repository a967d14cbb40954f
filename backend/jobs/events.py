"""What a run's owner changed between two iterations: α, or one weight; replayed where it was made.

Each event holds the iteration after which it took effect (0: before the first). The live run
applies it at once; a replay (replay.py) applies it when it stands at that iteration, before
the next one, so that both compute the same numbers bit for bit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from backend.engine.record import Array
from backend.engine.trainer import Trainer

from .errors import SpecError

MAX_EVENTS = 4096  # events in one run (each is replayed where it took effect)


@dataclass(frozen=True, slots=True)
class RateChange:
    """α from the iteration after `iteration` on."""

    iteration: int
    learning_rate: float


@dataclass(frozen=True, slots=True)
class WeightEdit:
    """W^(layer + 1)[row, column] := value after `iteration` (column 0 is the bias)."""

    iteration: int
    layer: int
    row: int
    column: int
    value: float


Event = RateChange | WeightEdit


def weight_edit(
    weights: list[Array], iteration: int, layer: int, row: int, column: int, value: float
) -> WeightEdit:
    """The edit of W^(layer + 1)[row, column] after `iteration`, if the network has that weight
    and the value is finite; else SpecError naming the field and its bounds."""
    _check_index("layer", layer, len(weights), "the network's weight matrices W^1..W^L")
    n, m = weights[layer].shape
    _check_index("row", row, n, f"layer {layer + 1}'s neurons")
    _check_index("column", column, m, f"W^{layer + 1}'s columns (0 is the bias)")
    if not math.isfinite(value):
        raise SpecError(("value",), "value: must be a finite number")
    return WeightEdit(iteration, layer, row, column, float(value))


def _check_index(name: str, value: int, count: int, what: str) -> None:
    """SpecError unless 0 ≤ value < count."""
    if not 0 <= value < count:
        raise SpecError((name,), f"{name}: {value} is outside 0..{count - 1}, {what}")


def apply(event: Event, trainer: Trainer) -> None:
    """Make the change on the trainer and its network (its flat parameters, which both engines
    train from)."""
    if isinstance(event, RateChange):
        trainer.learning_rate = event.learning_rate
    else:
        trainer.network.weights[event.layer][event.row, event.column] = event.value
