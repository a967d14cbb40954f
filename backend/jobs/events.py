"""What a run's owner changed between two iterations: α, or one weight; replayed where it was made.

Each event holds the iteration after which it took effect (0: before the first). The live run
applies it at once; a replay (replay.py) applies it when it stands at that iteration, before
the next one, so that both compute the same numbers bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass

from backend.engine.trainer import Trainer

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


def apply(event: Event, trainer: Trainer) -> None:
    """Make the change on the trainer and its network (its flat parameters, which both engines
    train from)."""
    if isinstance(event, RateChange):
        trainer.learning_rate = event.learning_rate
    else:
        trainer.network.weights[event.layer][event.row, event.column] = event.value
