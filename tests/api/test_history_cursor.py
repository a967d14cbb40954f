"""HistoryCursor: each chunk holds exactly the losses since the last, and resets are noticed."""

from __future__ import annotations

import json
from typing import Any

from backend.api.history_cursor import HistoryCursor
from backend.jobs.history import History


def cursor_at_start(history: History) -> HistoryCursor:
    return HistoryCursor(history, history.loss, len(history.loss), history.test, len(history.test))


def chunk(cursor: HistoryCursor) -> dict[str, Any] | None:
    text = cursor.chunk()
    return None if text is None else json.loads(text)


def test_chunks_hold_what_is_new_and_nothing_when_nothing_is() -> None:
    history = History()
    history.loss.extend([0.5, 0.4])
    cursor = cursor_at_start(history)
    assert chunk(cursor) is None
    history.loss.extend([0.3, 0.2])
    history.test.append((4, 0.25))
    assert chunk(cursor) == {"type": "history", "start": 2, "loss": [0.3, 0.2], "test": [[4, 0.25]]}
    assert chunk(cursor) is None
    history.loss.append(float("nan"))  # a diverged run: NaN is sent as null
    assert chunk(cursor) == {"type": "history", "start": 4, "loss": [None], "test": []}


def test_a_reset_restarts_at_zero_even_when_the_new_history_is_longer() -> None:
    history = History()
    history.loss.extend([0.5, 0.4])
    history.test.append((2, 0.45))
    cursor = cursor_at_start(history)
    history.clear()
    history.loss.extend([0.9, 0.8, 0.7])
    history.test.append((3, 0.75))
    assert chunk(cursor) == {
        "type": "history",
        "start": 0,
        "loss": [0.9, 0.8, 0.7],
        "test": [[3, 0.75]],
        "reset": True,
    }
    history.loss.append(0.6)
    assert chunk(cursor) == {"type": "history", "start": 3, "loss": [0.6], "test": []}


def test_a_reset_seen_halfway_never_resends_old_test_losses() -> None:
    history = History()
    history.loss.extend([0.5, 0.4])
    history.test.append((2, 0.45))
    cursor = cursor_at_start(history)
    history.test.append((3, 0.44))  # taken just before the reset...
    history.loss = type(history.loss)("d")  # ...which has replaced the losses, not yet the tests
    message = chunk(cursor)
    assert message == {"type": "history", "start": 0, "loss": [], "test": [], "reset": True}
    history.test = [(1, 0.9)]
    history.loss.append(0.8)
    assert chunk(cursor) == {"type": "history", "start": 0, "loss": [0.8], "test": [[1, 0.9]]}


def test_viewers_sending_the_same_frame_from_the_same_place_share_one_chunk() -> None:
    history = History()
    history.loss.extend([0.5, 0.4])
    first, second, behind = (cursor_at_start(history) for _ in range(3))
    behind.loss_at = 1
    history.loss.append(0.3)
    frame = '{"type":"frame","iteration":3}'
    text = first.chunk(frame)
    history.loss.append(0.2)  # the job goes on while the viewers are served
    assert second.chunk(frame) is text  # reused: it already covers the frame's iteration
    assert json.loads(text or "")["loss"] == [0.3]
    assert json.loads(behind.chunk(frame) or "")["loss"] == [0.4, 0.3, 0.2]  # its own
    assert json.loads(second.chunk("another frame") or "")["loss"] == [0.2]
