"""One viewer's place in a job's loss history, so that each chunk holds exactly what is new."""

from __future__ import annotations

import weakref
from array import array
from dataclasses import dataclass

from backend.jobs.frame import encode
from backend.jobs.history import History


@dataclass
class _Shared:
    """The last chunk made for a frame: viewers sending that frame from the same place reuse it."""

    frame: str | None = None
    lists: tuple[object, object] = (None, None)  # the loss and test lists it was cut from
    start: tuple[int, int, bool] = (0, 0, False)  # loss_at, test_at, reset
    chunk: tuple[int, int, str] = (0, 0, "")  # end, test_end, text


# Per job (per History): viewers in step all send the same frame after the same chunk.
_SHARED: weakref.WeakKeyDictionary[History, _Shared] = weakref.WeakKeyDictionary()


class HistoryCursor:
    """How far into a job's loss and test lists a viewer has been sent.

    Read without the job's lock: the worker thread only appends, and slicing is atomic. A reset
    (``History.clear()``) swaps in new lists, which is how the cursor notices one even when the
    new history has already grown past the old index.
    """

    def __init__(
        self,
        history: History,
        loss: array[float],
        loss_at: int,
        test: list[tuple[int, float]],
        test_at: int,
    ) -> None:
        self.history = history
        self.loss, self.loss_at = loss, loss_at
        self.test, self.test_at = test, test_at
        self.shared = _SHARED.setdefault(history, _Shared())

    def chunk(self, frame: str | None = None) -> str | None:
        """The next `history` message's text, or None when nothing is new.

        Given the (shared) frame text it precedes, a chunk already made for that frame from the
        same index is reused: it holds every loss up to at least that frame's iteration.
        """
        reset = self._follow()
        shared, start = self.shared, (self.loss_at, self.test_at, reset)
        if frame is not None and shared.frame is frame and self._same(shared, start):
            end, test_end, text = shared.chunk
        else:
            end, test_end = len(self.loss), len(self.test)
            if not reset and end == self.loss_at and test_end == self.test_at:
                return None
            text = self._encode(end, test_end, reset)
            shared.frame, shared.lists, shared.start = frame, (self.loss, self.test), start
            shared.chunk = (end, test_end, text)
        self.loss_at, self.test_at = end, test_end
        return text

    def _same(self, shared: _Shared, start: tuple[int, int, bool]) -> bool:
        lists = shared.lists
        return lists[0] is self.loss and lists[1] is self.test and shared.start == start

    def _follow(self) -> bool:
        """Switch to the history's current lists; True if a reset replaced them."""
        loss, test = self.history.loss, self.history.test
        reset = loss is not self.loss or len(loss) < self.loss_at
        if reset:
            self.loss, self.loss_at = loss, 0
            # clear() replaces the loss list first: an old test list is skipped, not resent.
            self.test_at = 0 if test is not self.test else len(test)
        if test is not self.test:
            self.test, self.test_at = test, 0
        return reset

    def _encode(self, end: int, test_end: int, reset: bool) -> str:
        message = {
            "type": "history",
            "start": self.loss_at,
            "loss": self.loss[self.loss_at : end].tolist(),
            "test": self.test[self.test_at : test_end],
        }
        if reset:
            message["reset"] = True
        return encode(message)
