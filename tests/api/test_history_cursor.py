"""HistoryCursor: each chunk resends the viewer's last bucket and adds the new ones; a merge,
a thinning or a reset sends everything; viewers in step share one encoded chunk."""

from __future__ import annotations

import json
from typing import Any

from backend.api.history_cursor import HistoryCursor
from backend.jobs.history import MAX_BUCKETS, History
from backend.jobs.hub import HistoryState


def add_test(history: History, iteration: int, value: float) -> None:
    """A metric point with a train loss of 1 and this test loss."""
    history.add_point((iteration, 1.0, value, None, None))


def chunk(cursor: HistoryCursor, history: History) -> dict[str, Any] | None:
    text = cursor.chunk(HistoryState.of(history))
    return None if text is None else json.loads(text)


def apply(client: dict[str, Any], message: dict[str, Any]) -> None:
    """What a page does with a chunk: replace from `start`/`test_start` on."""
    for column in ("first", "last", "min", "max", "mean"):
        client[column] = client[column][: message["start"]] + message[column]
    client["test"] = client["test"][: message["test_start"]] + message["test"]
    client["metrics"] = client["metrics"][: message["test_start"]] + message["metrics"]
    client["width"], client["iterations"] = message["width"], message["iterations"]


def test_chunks_resend_the_last_bucket_and_add_the_new_ones() -> None:
    history = History(has_test=True)
    history.extend([0.5, 0.4])
    cursor = HistoryCursor(HistoryState.of(history))
    assert chunk(cursor, history) is None
    history.extend([0.3, 0.2])
    add_test(history, 4, 0.25)
    message = chunk(cursor, history)
    assert message is not None
    assert (message["start"], message["first"], message["test_start"]) == (1, [0.4, 0.3, 0.2], 0)
    assert message["test"] == [[4, 0.25]] and message["reset"] is False
    assert message["metrics"] == [[4, 1.0, 0.25, None, None]]
    assert chunk(cursor, history) is None
    history.append(float("nan"))  # a diverged run: NaN is sent as null
    message = chunk(cursor, history)
    assert message is not None and message["last"][-1] is None
    assert message["test"] == message["metrics"] == []


def test_a_page_that_applies_every_chunk_has_the_servers_history_through_merges() -> None:
    history = History(has_test=True)
    client = HistoryState.of(history).wire
    cursor = HistoryCursor(HistoryState.of(history))
    step = 1
    for i in range(5 * MAX_BUCKETS + 3):
        history.append(1.0 / (i + 1))
        if i % 97 == 0:
            add_test(history, i + 1, 0.5)
        if i % step == 0:
            message = chunk(cursor, history)
            if message is not None:
                apply(client, message)
            step = step % 13 + 1
    final = chunk(cursor, history)
    if final is not None:
        apply(client, final)
    wire = history.wire()
    for key in ("first", "last", "min", "max", "mean", "test", "metrics", "width", "iterations"):
        assert client[key] == wire[key], key


def test_a_reset_sends_everything_with_reset_even_when_the_new_history_is_longer() -> None:
    history = History(has_test=True)
    history.extend([0.5, 0.4])
    add_test(history, 2, 0.45)
    cursor = HistoryCursor(HistoryState.of(history))
    history.clear()
    history.extend([0.9, 0.8, 0.7])
    message = chunk(cursor, history)
    assert message is not None
    assert (message["reset"], message["start"], message["first"]) == (True, 0, [0.9, 0.8, 0.7])
    assert message["test"] == message["metrics"] == []
    assert chunk(cursor, history) is None


def test_viewers_in_step_share_one_encoded_chunk() -> None:
    history = History(has_test=True)
    history.extend([0.5, 0.4])
    cursors = [HistoryCursor(HistoryState.of(history)) for _ in range(3)]
    history.extend([0.3])
    state = HistoryState.of(history)
    texts = [c.chunk(state) for c in cursors]
    assert texts[0] is not None and all(t is texts[0] for t in texts)
