"""One viewer's place in a job's bucketed loss history, so that each chunk holds what changed.

The history is at most 1024 buckets; as the run grows its last bucket fills and new ones
open, and now and then neighbours merge (the bucket width doubles) or metric points thin out.
A chunk therefore resends the viewer's last bucket (it may have filled since) and adds the new
ones, or, after a merge, a thinning or a reset, sends everything again. A cursor holds a few
counters, whatever the run's length: a viewer's cost on the server is bounded.
"""

from __future__ import annotations

from typing import Any

from backend.jobs.frame import encode
from backend.jobs.hub import HistoryState

COLUMNS = ("first", "last", "min", "max", "mean")


class HistoryCursor:
    """How much of a job's history a viewer has been sent (as of a published HistoryState)."""

    def __init__(self, state: HistoryState) -> None:
        self._take(state)

    def _take(self, state: HistoryState) -> None:
        self.generation, self.resets = state.generation, state.resets
        self.iterations, self.buckets, self.points = state.iterations, state.buckets, state.points

    def chunk(self, state: HistoryState | None) -> str | None:
        """The next `history` message's text for `state`, or None when nothing is new.

        Viewers in step ask for the same chunk of the same state: it is encoded once.
        """
        if state is None:
            return None
        reset = state.resets != self.resets
        whole = reset or state.generation != self.generation
        if not whole and (state.iterations, state.points) == (self.iterations, self.points):
            return None
        start = 0 if whole else max(0, self.buckets - 1)
        test_start = 0 if whole else self.points
        key = (start, test_start, reset)
        text = state.chunks.get(key)
        if text is None:
            text = state.chunks[key] = encode(_message(state.wire, start, test_start, reset))
        self._take(state)
        return text


def _message(wire: dict[str, Any], start: int, test_start: int, reset: bool) -> dict[str, Any]:
    """A `history` message: the buckets from `start`, metric (and test) points from
    `test_start`."""
    message = {"type": "history", **wire, "start": start, "test_start": test_start}
    for column in COLUMNS:
        message[column] = wire[column][start:]
    message["test"] = wire["test"][test_start:]
    message["metrics"] = wire["metrics"][test_start:]
    message["reset"] = reset
    return message
