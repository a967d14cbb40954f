"""One run of a job: its trainer and its record — loss history, keyframes, changes of α —
advanced a quantum at a time, with what falls due on the run's own clock (its iterations).

Nothing here knows about threads, statuses or viewers; `Job` holds the lock around it.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from backend.engine.datasets import Dataset
from backend.engine.network import Network
from backend.engine.record import Array, StepRecord
from backend.engine.trainer import Trainer, TrainingConfig

from .errors import IterationNotFound
from .history import History, width_at
from .keyframes import Keyframe, Keyframes
from .replay import Replay
from .store import Event, JobRecord

MAX_EVENTS = 4096  # changes of α in one run (each is replayed where it took effect)
MAX_EXACT = 65_536  # iterations of exact losses one request may recompute
NEVER = 2**62  # an iteration no run reaches


class Run:
    """The network training on the dataset, and everything needed to replay any iteration."""

    def __init__(
        self, network: Network, dataset: Dataset, config: TrainingConfig, engine: str
    ) -> None:
        self.network, self.dataset, self.engine = network, dataset, engine
        self.trainer = Trainer(
            network,
            dataset.inputs,
            dataset.targets,
            config,
            dataset.test_inputs,
            dataset.test_targets,
            engine=engine,
        )
        self.per_epoch = len(self.trainer.slices)  # iterations per epoch
        self.initial = network.copy_weights()
        self.history = History()
        # Replay (replay.py): keyframes at thinning spacings and every change of α, with the
        # iteration after which it took effect, recompute any past iteration exactly.
        self.events: list[Event] = []
        self.keyframes = Keyframes(self.keyframe_bytes())
        self.keyframes.add(self.keyframe())
        self.test_loss: float | None = None  # the newest test point's (or a pause's) value
        self._replay: Replay | None = None

    # ---------------------------------------------------------------- training

    def advance(self, limit: int) -> int:
        """Up to `limit` iterations, stopping at the next keyframe or test point; how many ran."""
        it, test_at = self.trainer.iteration, self.next_test()
        limit = max(1, min(limit, self.next_keyframe() - it, test_at - it))
        losses = self.trainer.advance(limit)
        self.history.extend(losses)
        iteration = self.trainer.iteration
        if self.keyframes.due(iteration):
            self.keyframes.add(self.keyframe())
        if iteration == test_at:
            self.take_test()
        return len(losses)

    def next_keyframe(self) -> int:
        """The iteration of the next keyframe due (a multiple of the spacing)."""
        spacing = self.keyframes.spacing
        return (self.trainer.iteration // spacing + 1) * spacing

    def next_test(self) -> int:
        """The next iteration that takes a test point: an epoch's end at least a bucket's width
        (at that iteration) after the last point, so there is about one point per bucket. A
        pure function of the run, never of who watches or how the quanta fall."""
        if self.trainer.test is None:
            return NEVER
        previous = self.history.last_test_iteration()
        at = _ceil_to(self.trainer.iteration + 1, self.per_epoch)
        if previous is None:
            return at
        while at < previous + width_at(at):
            at = _ceil_to(previous + width_at(at), self.per_epoch)
        return at

    def take_test(self) -> float | None:
        """The whole test set's loss at the current weights, kept as a point of the history."""
        value = self.trainer.test_loss()
        if value is not None:
            self.test_loss = value
            self.history.add_test(self.trainer.iteration, value)
        return value

    def refresh_test(self) -> None:
        """The test loss at the current weights (a pause, a step's or the run's end)."""
        value = self.trainer.test_loss()
        self.test_loss = self.test_loss if value is None else value

    def set_learning_rate(self, rate: float) -> bool:
        """α from the next iteration on, kept as an event; False if it is unchanged."""
        if rate == self.trainer.learning_rate:
            return False
        self.events.append((self.trainer.iteration, rate))
        self.trainer.learning_rate = rate
        return True

    def end_message(self) -> str:
        """Why the run ended, for the job's message."""
        trainer = self.trainer
        return {
            "finished": f"finished {trainer.epoch} epochs",
            "converged": f"converged: every |ΔW| < τ = {trainer.config.tolerance}",
            "diverged": f"diverged at iteration {trainer.diverged_at}: the loss or a weight is "
            "no longer a finite number; lower the learning rate",
        }[trainer.status]

    @property
    def record(self) -> StepRecord | None:
        """The trace of the last iteration run (the trainer's buffers: read under the lock)."""
        return self.trainer.record()

    # ---------------------------------------------------------------- reset, restore, roll back

    def reset(self) -> None:
        """Back to the initial weights, epoch 0, an empty record."""
        self.trainer.reset(self.initial)
        self.history.clear()
        self.keyframes.clear()
        self.keyframes.add(self.keyframe())
        self.events.clear()
        self.test_loss = None

    def restore(self, stored: JobRecord) -> None:
        """Continue from a stored checkpoint exactly as the uninterrupted run would."""
        assert stored.initial is not None  # read back: always there
        self.initial = self.weights(stored.initial)
        self.trainer.restore(stored.trainer, self.weights(stored.weights))
        if stored.history is not None:
            self.history = History.frombytes(stored.history)
        else:  # a first-release database: every loss, bucketed now
            self.history.extend(stored.legacy_losses)
            for iteration, value in stored.legacy_tests[-1024:]:
                self.history.add_test(iteration, value)
        if stored.keyframes:  # else the one at iteration 0, taken at construction, stays
            self.keyframes = Keyframes.restored(
                self.keyframe_bytes(), stored.keyframes, stored.spacing
            )
        self.events = list(stored.events)
        self.test_loss = stored.test_loss

    def roll_back(self, stored: JobRecord, events: int) -> None:
        """Back to a checkpoint this run wrote (its weights, trainer, history), `events` kept."""
        self.trainer.restore(stored.trainer, self.weights(stored.weights))
        assert stored.history is not None
        generation = self.history.generation
        self.history = History.frombytes(stored.history)
        self.history.generation = max(generation, self.history.generation) + 1  # resend all
        iteration = self.trainer.iteration
        kept = [k for k in self.keyframes if k.iteration <= iteration]
        self.keyframes = Keyframes.restored(self.keyframe_bytes(), kept, self.keyframes.spacing)
        del self.events[events:]
        if self._replay is not None:
            self._replay.run = -1  # its place may be past the stored state
        self.test_loss = stored.test_loss

    def weights(self, blob: bytes) -> list[Array]:
        """Per-layer matrices from a stored flat buffer shaped like this network's."""
        flat = np.frombuffer(blob, dtype=self.network.dtype).copy()
        return self.network.views(flat)

    # ---------------------------------------------------------------- reads

    def check_inputs(self, inputs: object) -> Array:
        """Inputs (rows, n_0) to predict from: this network's width, finite numbers."""
        x = self.network.check_inputs(inputs)  # type: ignore[arg-type]
        if not np.isfinite(x).all():
            raise ValueError("inputs: contain a non-finite number")
        return x

    def export(self, spec: dict[str, Any]) -> dict[str, Any]:
        """Spec, current and initial weights (copies, article form) and the history."""
        return {
            "spec": spec,
            "weights": self.network.copy_weights(),
            "initial_weights": [w.copy() for w in self.initial],
            "history": self.history.wire(),
        }

    # ---------------------------------------------------------------- replay

    def trace_target(self, iteration: int | None) -> int | None:
        """The iteration a trace asks for (default: the last; None before any has run)."""
        last = self.trainer.iteration
        n = last if iteration is None else iteration
        if 1 <= n <= last:
            return n
        if iteration is None:
            return None
        raise IterationNotFound(f"trace: iteration {n} has not run; the job is at iteration {last}")

    def check_range(self, first: int, last: int) -> None:
        """IterationNotFound or ValueError unless first..last can be replayed at once."""
        iteration = self.trainer.iteration
        if not 1 <= first <= last <= iteration:
            raise IterationNotFound(
                f"history: iterations {first}..{last} are not all in 1..{iteration}"
            )
        if last - first >= MAX_EXACT:
            raise ValueError(
                f"to: at most {MAX_EXACT} iterations at once, asked for {last - first + 1}"
            )

    def keyframe(self) -> Keyframe:
        """The run as it stands now, to replay from."""
        params, state = self.network.params.tobytes(), self.trainer.state()
        return Keyframe(self.trainer.iteration, params, state, len(self.events))

    def keyframe_bytes(self) -> int:
        """About what one keyframe holds: the weights and the trainer's state (its order)."""
        order = len(self.dataset.inputs) * 8 if self.trainer.config.shuffle else 0
        return self.network.params.nbytes + order + 512

    def replay_from(self, n: int) -> tuple[Keyframe, list[Event], int]:
        """The keyframe at or before iteration n, the events and which run it belongs to."""
        keyframe = self.keyframes.nearest(n)
        assert keyframe is not None  # iteration 0 is always kept
        return keyframe, list(self.events), self.history.resets

    def replay(self) -> Replay:
        """This run's replayer, made on first use (it recomputes with the run's engine)."""
        if self._replay is None:
            self._replay = Replay(self.network, self.dataset, self.trainer.config, self.engine)
        return self._replay


def _ceil_to(value: int, step: int) -> int:
    """The smallest multiple of `step` ≥ value."""
    return math.ceil(value / step) * step
