"""Fan-out of a job's messages from its worker thread to any number of viewers on the loop."""

from __future__ import annotations

import asyncio
import contextlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from backend.engine.record import StepRecord

from .frame import encode, frame
from .history import History


@dataclass(frozen=True)
class HistoryState:
    """A job's loss history at one moment, as published with a frame or a status: what each
    viewer's chunk is cut from, so it always matches the frame it precedes."""

    generation: int
    resets: int
    iterations: int
    buckets: int
    points: int
    wire: dict[str, Any]  # History.wire(): every bucket and metric point
    chunks: dict[tuple[int, int, bool], str] = field(default_factory=dict, compare=False)

    @classmethod
    def of(cls, history: History) -> HistoryState:
        """The history now (the caller holds the job's lock)."""
        return cls(
            history.generation,
            history.resets,
            history.iterations,
            history.buckets,
            history.points,
            history.wire(),
        )


class Subscription:
    """One viewer: the newest frame (older ones are dropped) and every status message, in order."""

    def __init__(self, detail: str = "full", fps: float = 30.0) -> None:
        self.detail = detail
        self.fps = fps
        self.frame: str | None = None  # latest frame wins
        self.history: HistoryState | None = None  # the history as of the newest message
        self.frame_history: HistoryState | None = None  # the history as of `frame`
        self.statuses: deque[str] = deque(maxlen=64)  # state changes are rare; never dropped
        self.wake = asyncio.Event()
        self.closed = False


class Hub:
    """Delivers a job's encoded messages to its subscriptions, crossing threads safely."""

    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.subscriptions: set[Subscription] = set()
        self.closed = False  # the job is gone: new viewers are closed at once
        self.next_frame = 0.0  # the frame clock, at the fastest viewer's fps

    def wanted(self) -> tuple[set[str], float]:
        """The detail levels viewers want and their highest fps; read from the worker thread."""
        subs = list(self.subscriptions)  # a copy: the loop thread may add or remove meanwhile
        return {s.detail for s in subs}, max((s.fps for s in subs), default=0.0)

    def subscribe(self, subscription: Subscription) -> None:
        """Add a viewer (on the loop thread)."""
        self.subscriptions.add(subscription)
        if self.closed:  # checked after adding: a concurrent close() sees it or is seen
            self._deliver_close(None)

    def unsubscribe(self, subscription: Subscription) -> None:
        """Remove a viewer (on the loop thread)."""
        subscription.closed = True
        self.subscriptions.discard(subscription)

    def publish_record(
        self,
        job_id: str,
        record: StepRecord,
        test_loss: Callable[[], float | None],
        extra: dict[str, Any],
        history: History,
        now: float,
        force: bool = False,
    ) -> None:
        """A frame of `record` (and the fields of `extra`: the job's newest metrics…) for every
        viewer, encoded once per detail level, when the fastest viewer's next frame is due (or
        now, if forced); nothing at all without viewers."""
        if not force and now < self.next_frame:
            return
        details, fps = self.wanted()
        if not details:
            return
        period = 1.0 / fps
        self.next_frame = max(self.next_frame + period, now - period / 2)  # no drift
        # The frame's test loss is that of its own weights, as a replay of it recomputes.
        loss = test_loss()
        messages = {d: encode(frame(job_id, record, loss, d) | extra) for d in details}
        self.publish_frame(messages, HistoryState.of(history))

    def publish_frame(self, frames: dict[str, str], history: HistoryState) -> None:
        """From any thread: make these encoded frames (by detail level) each viewer's newest."""
        self._call(self._deliver_frame, (frames, history))

    def publish_status(self, message: str, history: HistoryState) -> None:
        """From any thread: queue a status message for every viewer."""
        self._call(self._deliver_status, (message, history))

    def close(self) -> None:
        """From any thread: the job is gone; mark every viewer closed and wake it."""
        self.closed = True
        self._call(self._deliver_close, None)

    def _call(self, callback: Callable[[object], None], argument: object) -> None:
        if self.subscriptions and not self.loop.is_closed():
            # The loop may close between the check and the call: then nobody is listening.
            with contextlib.suppress(RuntimeError):
                self.loop.call_soon_threadsafe(callback, argument)

    def _deliver_frame(self, published: object) -> None:
        assert isinstance(published, tuple)
        frames, history = published
        for sub in self.subscriptions:
            encoded = frames.get(sub.detail)
            if encoded is not None:
                sub.frame = encoded
                sub.frame_history = sub.history = history
                sub.wake.set()

    def _deliver_status(self, published: object) -> None:
        assert isinstance(published, tuple)
        message, history = published
        for sub in self.subscriptions:
            if sub.history is not None and sub.history.resets != history.resets:
                sub.frame = None  # from before a reset: it must not follow the reset's chunk
            sub.statuses.append(message)
            sub.history = history
            sub.wake.set()

    def _deliver_close(self, _: object) -> None:
        for sub in self.subscriptions:
            sub.closed = True
            sub.wake.set()
