"""One run of a job: its trainer and its record — loss history, metrics, keyframes, events —
advanced a quantum at a time, with what falls due on the run's own clock (its iterations).

Nothing here knows about threads, statuses or viewers; `Job` holds the lock around it.
"""

from __future__ import annotations

import math

import numpy as np

from backend.engine.datasets import Dataset
from backend.engine.network import Network
from backend.engine.record import Array, StepRecord
from backend.engine.trainer import Trainer, TrainingConfig

from .errors import JobStateError
from .events import MAX_EVENTS, Event, RateChange, WeightEdit, apply, weight_edit
from .history import History, width_at
from .keyframes import Keyframe, Keyframes
from .metrics import Meter, Metrics
from .replay import Replay
from .store import JobRecord


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
        self.history = History(self.trainer.test is not None)
        # Replay (replay.py): keyframes at thinning spacings and every event (a change of α or
        # of a weight), with the iteration after which it took effect, recompute any past
        # iteration exactly.
        self.events: list[Event] = []
        self.edited: int | None = None  # the iteration a weight edit followed, if the last
        self.keyframes = Keyframes(self.keyframe_bytes())
        self.keyframes.add(self.keyframe())
        self.meter = Meter(network, self.trainer.loss, dataset, self.trainer.penalty)
        self.metrics: Metrics = self.measure()  # the newest: a metric point's, or a refresh's
        self.next_point = self.point_due()
        self._replay: Replay | None = None
        self._losses = np.empty(0)  # a quantum's batch losses, (iterations,)

    # ---------------------------------------------------------------- training

    def advance(self, limit: int) -> int:
        """At least one and up to `limit` iterations (fewer only if the run ends), taking the
        keyframes and metric points that fall due on the way; how many ran."""
        trainer, ran, limit = self.trainer, 0, max(1, limit)
        if len(self._losses) < limit:
            self._losses = np.empty(limit)
        while ran < limit and not trainer.done:
            it = trainer.iteration
            k = min(limit - ran, self.next_keyframe() - it, self.next_point - it)
            losses = trainer.advance(k)  # a view, valid until the next call
            self._losses[ran : ran + len(losses)] = losses
            ran += len(losses)
            iteration = trainer.iteration
            if self.keyframes.due(iteration):
                self.keyframes.add(self.keyframe())
            if iteration == self.next_point:
                self.take_point()
            if len(losses) < k:
                break
        self.history.extend(self._losses[:ran])  # once a quantum: cheaper than once a point
        return ran

    def next_keyframe(self) -> int:
        """The iteration of the next keyframe due (a multiple of the spacing)."""
        spacing = self.keyframes.spacing
        return (self.trainer.iteration // spacing + 1) * spacing

    def point_due(self) -> int:
        """The next iteration that takes a metric point: an epoch's end at least a bucket's
        width (at that iteration) after the last point, so there is about one point per bucket
        (every epoch's end while a bucket is one iteration wide). A pure function of the run,
        never of who watches or how the quanta fall."""
        previous = self.history.last_point_iteration()
        at = _ceil_to(self.trainer.iteration + 1, self.per_epoch)
        if previous is None:
            return at
        while at < previous + width_at(at):
            at = _ceil_to(previous + width_at(at), self.per_epoch)
        return at

    def measure(self) -> Metrics:
        """The whole sets' losses and accuracies at the current weights (metrics.py)."""
        return self.meter(self.trainer.iteration, self.trainer.epoch)

    def take_point(self) -> None:
        """Measure the current weights and keep it as a metric point of the history."""
        self.metrics = self.measure()
        self.history.add_point(self.metrics.point())
        self.next_point = self.point_due()

    def refresh(self) -> None:
        """Measure the current weights (a pause, a step's or the run's end, an edit, a
        restore), without a point in the history: what it keeps stays on the run's clock."""
        self.metrics = self.measure()

    def set_learning_rate(self, rate: float) -> bool:
        """α from the next iteration on, kept as an event; False if it is unchanged."""
        if rate == self.trainer.learning_rate:
            return False
        self._add(RateChange(self.trainer.iteration, rate), "learning_rate")
        return True

    def edit_weight(self, layer: int, row: int, column: int, value: float) -> None:
        """W^(layer + 1)[row, column] := value from the next iteration on, kept as an event;
        SpecError names an index outside the network or a value that is not finite."""
        where = (layer, row, column, value)
        self._add(weight_edit(self.network.weights, self.trainer.iteration, *where), "weights")
        self.edited = self.trainer.iteration
        self.refresh()

    def check_room(self, field: str) -> None:
        """JobStateError once the run holds the MAX_EVENTS events it can replay."""
        if len(self.events) >= MAX_EVENTS:
            raise JobStateError(
                f"{field}: this run has made {MAX_EVENTS} changes of α or of a weight, the most "
                "one run can replay; fork it to go on changing it"
            )

    def _add(self, event: Event, field: str) -> None:
        """Apply `event` now and keep it, within the MAX_EVENTS a run can replay."""
        self.check_room(field)
        apply(event, self.trainer)
        self.events.append(event)

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
        self.events.clear()  # before the keyframe: it counts the events applied before it
        self.keyframes.clear()
        self.keyframes.add(self.keyframe())
        self.edited = None
        self.refresh()
        self.next_point = self.point_due()

    def restore(self, stored: JobRecord) -> None:
        """Continue from a stored checkpoint exactly as the uninterrupted run would."""
        assert stored.initial is not None  # read back: always there
        self.initial = self.weights(stored.initial)
        self.trainer.restore(stored.trainer, self.weights(stored.weights))
        has_test = self.history.has_test
        if stored.history is not None:
            self.history = History.frombytes(stored.history, has_test)
        else:  # a first-release database: every loss, bucketed now
            self.history.extend(stored.legacy_losses)
            for iteration, value in stored.legacy_tests[-1024:]:
                test = value if math.isfinite(value) else None
                self.history.add_point((iteration, None, test, None, None))
        if stored.keyframes:  # else the one at iteration 0, taken at construction, stays
            self.keyframes = Keyframes.restored(
                self.keyframe_bytes(), stored.keyframes, stored.spacing
            )
        self.events = list(stored.events)
        self._settled()

    def roll_back(self, stored: JobRecord, events: int) -> None:
        """Back to a checkpoint this run wrote (its weights, trainer, history), `events` kept."""
        self.trainer.restore(stored.trainer, self.weights(stored.weights))
        assert stored.history is not None
        generation = self.history.generation
        self.history = History.frombytes(stored.history, self.history.has_test)
        self.history.generation = max(generation, self.history.generation) + 1  # resend all
        iteration = self.trainer.iteration
        kept = [k for k in self.keyframes if k.iteration <= iteration]
        self.keyframes = Keyframes.restored(self.keyframe_bytes(), kept, self.keyframes.spacing)
        del self.events[events:]
        if self._replay is not None:
            self._replay.run = -1  # its place may be past the stored state
        self._settled()

    def _settled(self) -> None:
        """After a restore or a roll-back: the metrics, the next point and the last edit."""
        iteration = self.trainer.iteration
        last = self.events[-1] if self.events else None
        followed = isinstance(last, WeightEdit) and last.iteration == iteration
        self.edited = iteration if followed else None
        self.refresh()
        self.next_point = self.point_due()

    def weights(self, blob: bytes) -> list[Array]:
        """Per-layer matrices from a stored flat buffer shaped like this network's."""
        flat = np.frombuffer(blob, dtype=self.network.dtype).copy()
        return self.network.views(flat)

    # ---------------------------------------------------------------- replay

    def keyframe(self) -> Keyframe:
        """The run as it stands now, to replay from."""
        params, state = self.network.params.tobytes(), self.trainer.state()
        return Keyframe(self.trainer.iteration, params, state, len(self.events))

    def keyframe_bytes(self) -> int:
        """About what one keyframe holds: the weights and the trainer's state (its order)."""
        order = len(self.dataset.inputs) * 8 if self.trainer.config.shuffle else 0
        return self.network.params.nbytes + order + 512

    def is_live(self, n: int) -> bool:
        """Whether the live record is iteration n as it was trained: the last one, with no
        weight edited since (an edit changes the weights it shows, never the iteration)."""
        return n == self.trainer.iteration and self.edited != n and self.record is not None

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
