"""A job's worker thread: the engine's loop, paced, with frames and checkpoints along the way."""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from .frame import encode, frame
from .hub import HistoryState
from .turns import Turn, Turns

if TYPE_CHECKING:
    from .job import Job

log = logging.getLogger(__name__)

MAX_WAIT = 86_400.0  # seconds between paced iterations at most: speeds below 1/day wait a day
CHECKPOINT_SECONDS = 2.0  # a running job is saved at least this often


class Runner:
    """Runs one job's iterations in its own thread, taking the job's lock for each and, with
    the other jobs, turns at training (turns.py) so the event loop keeps its share of the GIL."""

    def __init__(self, job: Job, turns: Turns) -> None:
        self.job, self.turns = job, turns
        self.next_frame = 0.0
        self.next_checkpoint = 0.0
        self.slot: float | None = None  # when the last paced iteration was due; None: unpaced

    def run(self) -> None:
        """The thread's body: wait while paused, iterate while running or stepping."""
        turn = Turn(self.turns)
        try:
            while self._turn(turn):
                turn.end_if_due()  # the quantum is used up: to the back of the queue
                if self.job.readers:
                    time.sleep(0.0001)  # a lock is not fair: release it long enough for a reader
        finally:
            turn.give_up()

    def _turn(self, turn: Turn) -> bool:
        """One iteration, or a wait (holding no turn) until there is one to run; False: closed."""
        job = self.job
        turn.take()  # outside the job's lock: waiting here must not block readers
        with job.lock:
            if job.closed:
                return False
            if not self._active():
                turn.give_up()
                while not job.closed and not self._active():
                    job.lock.wait()
                return not job.closed
            try:
                self._iterate()
            except Exception as exc:  # a bug must not take the server down
                log.exception("job %s failed", job.id)
                job.cancel_steps()
                job.set_status("failed", f"{type(exc).__name__}: {exc}")
                return True
            self._pace(turn)
        return True

    def _pace(self, turn: Turn) -> None:
        """Wait until a paced job's next iteration is due, on a fixed schedule (so the time an
        iteration and its turn took does not slow the pace), catching up 0.1 s at most.

        The deadline is worked out again whenever the wait wakes (a PATCH of the speed, a
        pause, a reset, a resume all notify): a new pace takes effect at once, never after
        the old one's wait.
        """
        job = self.job
        while True:
            if job.closed or not job.speed or job.status != "running":
                self.slot = None  # a resume or a new pace starts a new schedule
                return
            now = time.monotonic()
            if self.slot is None:
                self.slot = now
            due = self.slot + 1.0 / job.speed
            if now >= due:
                self.slot = max(due, now - 0.1)
                return
            turn.give_up()  # a sleeping thread keeps no turn
            # A tiny speed (say 1e-300 it/s) would overflow the wait's deadline and kill the
            # thread; waiting at most MAX_WAIT seconds keeps every speed > 0 safe.
            job.lock.wait(timeout=min(due - now, MAX_WAIT))

    def _active(self) -> bool:
        return self.job.status == "running" or self.job.steps is not None

    def _iterate(self) -> None:
        job, trainer = self.job, self.job.trainer
        record = trainer.step()
        if record is None:  # the run had already ended
            job.set_status(trainer.status)
            return
        job.record = record
        job.history.append(record.loss)
        if job.keyframes.due(trainer.iteration):
            job.keyframes.add(job.keyframe())
        if self._test_due():
            test_loss = trainer.test_loss()
            if test_loss is not None:
                job.test_loss = test_loss
                job.history.add_test(trainer.iteration, test_loss)
        ended = trainer.done
        stepped = job.steps is not None and self._steps_reached()
        self.publish(force=ended or stepped)
        if ended:
            job.set_status(trainer.status, end_message(job))
        if stepped and not ended:
            job.save()  # a step request ends with its result stored
        if stepped or (ended and job.steps is not None):
            job.cancel_steps()
        if not ended and time.monotonic() >= self.next_checkpoint:
            self.next_checkpoint = time.monotonic() + CHECKPOINT_SECONDS
            job.save()

    def _steps_reached(self) -> bool:
        assert self.job.steps is not None
        unit, target, _ = self.job.steps
        trainer = self.job.trainer
        return (trainer.epoch if unit == "epoch" else trainer.iteration) >= target

    def _test_due(self) -> bool:
        """The test loss is taken on the job's own clock, never by who watches: at the end of
        an epoch, once `width` iterations (the history's bucket) after the previous one."""
        job = self.job
        if job.trainer.next_batch != 0 or job.trainer.test is None:
            return False
        previous = job.history.last_test_iteration()
        return previous is None or job.trainer.iteration >= previous + job.history.width

    def publish(self, force: bool) -> None:
        """A frame for the viewers, at most at the fastest one's fps (or now, if forced)."""
        job = self.job
        t = time.monotonic()
        if job.record is None or (not force and t < self.next_frame):
            return
        details, fps = job.hub.wanted()
        if not details and not force:
            return
        # The frame's test loss is that of its own weights, as a replay of it recomputes; a
        # forced publish (a pause, a step's or the run's end) updates the job's too.
        test_loss = job.trainer.test_loss()
        job.test_loss = job.test_loss if test_loss is None else test_loss
        if details:
            period = 1.0 / fps
            self.next_frame = max(self.next_frame + period, t - period / 2)  # no drift
            messages = {d: encode(frame(job.id, job.record, test_loss, d)) for d in details}
            job.hub.publish_frame(messages, HistoryState.of(job.history))


def end_message(job: Job) -> str:
    """Why the run ended, for the job's message."""
    trainer = job.trainer
    return {
        "finished": f"finished {trainer.epoch} epochs",
        "converged": f"converged: every |ΔW| < τ = {trainer.config.tolerance}",
        "diverged": f"diverged at iteration {trainer.diverged_at}: the loss or a weight is no "
        "longer a finite number; lower the learning rate",
    }[trainer.status]
