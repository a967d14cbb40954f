"""Replay: any past iteration of a run recomputed from its nearest keyframe, bit for bit.

The engine is deterministic, and `Trainer.state()`/`restore()` continue a run exactly, so
restoring the keyframe at or before iteration N − 1, applying the run's events (changes of α,
edits of a weight: events.py) where they took effect and stepping to N gives iteration N's
trace exactly as it was trained.
A replay runs on its own copy of the network and trainer, never touching the live run; it
stays where it stopped, so asking for N + 1 next costs one iteration.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import numpy as np

from backend.engine.datasets import Dataset
from backend.engine.network import Network
from backend.engine.record import Array, StepRecord
from backend.engine.trainer import Trainer, TrainingConfig

from .events import Event, apply
from .keyframes import Keyframe


class Replay:
    """Recomputes past iterations of one run on a network shaped like `network`."""

    def __init__(
        self, network: Network, dataset: Dataset, config: TrainingConfig, engine: str = "numpy"
    ) -> None:
        self.network = Network(
            network.sizes,
            network.activation,
            network.output_activation,
            network.weights,
            dtype=str(network.dtype),
        )
        self.trainer = Trainer(
            self.network,
            dataset.inputs,
            dataset.targets,
            config,
            dataset.test_inputs,
            dataset.test_targets,
            engine=engine,
        )
        self.lock = threading.Lock()  # one replay at a time: they share the trainer
        self.run = -1  # which run (the job's reset count) the trainer stands in; -1: none
        self.applied = 0  # events applied so far

    def trace(
        self, n: int, keyframe: Keyframe, events: Sequence[Event], run: int
    ) -> tuple[StepRecord, float | None]:
        """Iteration n's record (a copy) and the test loss after it; `keyframe` is ≤ n − 1."""
        with self.lock:
            self._seek(n - 1, keyframe, events, run)
            record = self._step(events)
            return record.copy(), self.trainer.test_loss()

    def losses(
        self, first: int, last: int, keyframe: Keyframe, events: Sequence[Event], run: int
    ) -> list[float]:
        """The batch loss of iterations first..last; `keyframe` is ≤ first − 1."""
        with self.lock:
            self._seek(first - 1, keyframe, events, run)
            losses: list[float] = []
            while len(losses) < last - first + 1:
                losses += self._advance(events, last - first + 1 - len(losses)).tolist()
            return losses

    def _seek(self, n: int, keyframe: Keyframe, events: Sequence[Event], run: int) -> None:
        """Stand just after iteration n: go on from where the last replay stopped if that is
        between the keyframe and n, else restore the keyframe."""
        trainer = self.trainer
        if not (self.run == run and keyframe.iteration <= trainer.iteration <= n):
            flat = np.frombuffer(keyframe.params, dtype=self.network.dtype).copy()
            self.run = -1  # a failure below leaves nothing to go on from
            trainer.restore(keyframe.trainer, self.network.views(flat))
            self.run, self.applied = run, keyframe.events
        while trainer.iteration < n:
            self._advance(events, n - trainer.iteration)

    def _step(self, events: Sequence[Event]) -> StepRecord:
        """One iteration, after the events that took effect before it (as the live run did)."""
        self._advance(events, 1)
        record = self.trainer.record()
        assert record is not None
        return record

    def _advance(self, events: Sequence[Event], limit: int) -> Array:
        """Up to `limit` iterations, as far as the next event; their losses (a view)."""
        trainer = self.trainer
        while self.applied < len(events) and events[self.applied].iteration <= trainer.iteration:
            apply(events[self.applied], trainer)
            self.applied += 1
        if self.applied < len(events):
            limit = min(limit, events[self.applied].iteration - trainer.iteration)
        losses = trainer.advance(limit)
        if not len(losses):
            self.run = -1
            raise ValueError(f"iteration {trainer.iteration + 1} is past the end of the run")
        return losses
