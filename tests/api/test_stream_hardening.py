"""The stream under bad input and churn, against a real uvicorn server on 127.0.0.1.

tests/api/test_stream.py checks one bad message of each kind; here come sizes from just over
4 KiB up to uvicorn's own 16 MiB limit, bursts of bad messages, odd job ids, and 1,000
connections opened and closed every way a client can (clean close, close before reading,
a dropped TCP connection, concurrent bursts) while a job trains, after which the server must
hold no more threads, event-loop tasks, hub subscriptions or objects than before. What the
churn does to resident memory is measured in bench/churn.py, with the clients in a process of
their own: here they share the server's, and its allocator's arenas, so RSS says little.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as connect_sync

from backend.api.messages import MAX_CLIENT_BYTES, ErrorMessage
from backend.api.stream import CLOSE_NOT_FOUND
from tests.api.churn import census, churn, settled, warm_up
from tests.api.test_stream import WAIT, is_frame, make_spec, receive, sync, until, watch
from tests.server import LiveServer, live_server

CYCLES = 1000  # connections opened and closed in the churn test, in all
SETTLE = 30.0  # seconds the server may take to let go of what closed connections held
OBJECT_GROWTH_BOUND = 500  # objects the garbage collector tracks


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with live_server() as live:
        yield live


@contextlib.contextmanager
def watching(server: LiveServer) -> Iterator[tuple[Any, ClientConnection]]:
    """A paused job and a viewer of it, past its snapshot."""
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        assert receive(ws)["type"] == "snapshot"
        yield job, ws


def still_up(ws: ClientConnection, job: Any) -> None:
    """The viewer still answers a ping and still gets frames."""
    assert sync(ws)[-1] == {"type": "pong"}
    target = job.trainer.iteration + 2
    job.step(iterations=2).result(timeout=WAIT)
    until(ws, lambda m: is_frame(m) and m["iteration"] == target)


# ---------------------------------------------------------------- bad messages


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        ("", "Invalid JSON"),
        ("null", "object"),
        ("42", "object"),
        ('"ping"', "object"),
        ("[" * 2000 + "]" * 2000, ""),  # deep nesting, within the size bound
        ('{"type": "ping"} trailing', "Invalid JSON"),
        ('{"type": "configure", "type": "ping"}', ""),  # a duplicate key: the last one wins
        ('{"type": "configure", "fps": 1e999}', "fps"),
        ('{"type": "configure", "fps": NaN}', ""),
        ('{"type": "configure", "fps": true}', "fps"),
        ('{"type": "configure", "detail": null, "fps": null, "x": 1}', "x"),
        ("é" * (MAX_CLIENT_BYTES // 2 + 1), "too long"),  # under 4096 characters, over the bytes
        ("x" * (64 * 1024), "too long"),
        ("x" * (1024 * 1024), "too long"),
        (b"\x00" * (64 * 1024), "binary"),
        (b"\xff" * (1024 * 1024), "binary"),
        (b"", "binary"),
    ],
    ids=lambda v: repr(v[:24]) if isinstance(v, str | bytes) else str(v),
)
def test_a_bad_message_of_any_size_gets_an_error_and_the_stream_stays_up(
    server: LiveServer, sent: str | bytes, says: str
) -> None:
    with watching(server) as (job, ws):
        ws.send(sent)
        message = receive(ws)
        if message["type"] == "error":
            assert says in ErrorMessage.model_validate(message).message
        else:  # a message that turned out valid (the duplicate key) is answered as such
            assert says == "" and message == {"type": "pong"}
        still_up(ws, job)


def test_a_message_of_exactly_the_bound_is_accepted(server: LiveServer) -> None:
    with watching(server) as (job, ws):
        ping = '{"type": "ping"}'
        ws.send(ping + " " * (MAX_CLIENT_BYTES - len(ping)))  # whitespace: still valid JSON
        assert receive(ws) == {"type": "pong"}
        ws.send(ping + " " * (MAX_CLIENT_BYTES - len(ping) + 1))
        assert "too long" in receive(ws)["message"]
        still_up(ws, job)


def test_a_burst_of_bad_messages_gets_one_error_each_and_the_stream_stays_up(
    server: LiveServer,
) -> None:
    kinds: list[str | bytes] = ["{", b"\x01", "x" * 5000, '{"type": "dance"}', "[]"]
    with watching(server) as (job, ws):
        for i in range(500):
            ws.send(kinds[i % len(kinds)])
        replies = sync(ws)
        assert [m["type"] for m in replies] == ["error"] * 500 + ["pong"]
        still_up(ws, job)


def test_a_message_over_uvicorns_limit_closes_with_1009(server: LiveServer) -> None:
    with pytest.raises(ConnectionClosed) as closed, watching(server) as (job, ws):
        ws.send(b"\x00" * (16 * 1024 * 1024 + 1))  # may fail already: the server closes
        until(ws, lambda m: False)
    # The close frame (1009, message too big) may be lost when the server drops the TCP
    # connection while the client is still sending: either way this connection is closed.
    assert closed.value.rcvd is None or closed.value.rcvd.code == 1009
    wait_for(lambda: not job.hub.subscriptions)
    with watch(server, job.id) as again:  # the server serves on
        assert receive(again)["type"] == "snapshot"


# ---------------------------------------------------------------- unknown jobs


@pytest.mark.parametrize(
    "job_id",
    ["x", "a" * 2000, "%00", "%2e%2e", "%F0%9F%99%82", "%20", "null", "%3Cscript%3E"],
)
def test_an_unknown_job_id_of_any_shape_is_closed_4404(server: LiveServer, job_id: str) -> None:
    with watch(server, job_id) as ws:
        message = receive(ws)
        assert message["type"] == "error" and message["message"].startswith("no job with id")
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_NOT_FOUND


@pytest.mark.parametrize(
    "path", ["/api/jobs/..%2f..%2fetc/stream", "/api/jobs/a/b/stream", "/api/nothing", "/stream"]
)
def test_a_websocket_to_a_path_that_is_no_stream_is_refused_in_the_handshake(
    server: LiveServer, path: str
) -> None:
    with pytest.raises(InvalidStatus) as refused:
        connect_sync(server.ws_url(path), open_timeout=WAIT)
    assert refused.value.response.status_code == 403


def test_a_deleted_job_is_closed_4404(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    server.jobs.delete(job.id)
    with watch(server, job.id) as ws:
        assert "no job with id" in receive(ws)["message"]
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_NOT_FOUND


# ---------------------------------------------------------------- churn


@pytest.mark.timeout(600)
def test_a_thousand_connections_leave_nothing_behind(server: LiveServer) -> None:
    job = server.jobs.create(make_spec(epochs=100_000, speed=2000.0))  # frames keep flowing
    server.jobs.resume(job.id)
    warm_up(server.port, job.id)
    wait_for(lambda: not job.hub.subscriptions and server.jobs.viewers() == 0, SETTLE)
    census(server, job)  # its own first call makes objects too
    before = census(server, job)
    churn(server.port, job.id, CYCLES)
    after = settled(server, before, SETTLE, job)  # waits for threads, tasks and viewers to go
    print(
        f"\n{CYCLES} connections; before → after: "
        + ", ".join(f"{k} {before[k]:,} → {after[k]:,}" for k in before if k != "rss")
    )
    assert job.status == "running"
    assert after["threads"] <= before["threads"]
    assert after["tasks"] <= before["tasks"]
    assert after["subscriptions"] == 0
    assert after["viewer objects"] <= before["viewer objects"]
    # A leak of one object per connection would show as 1,000 more; the interpreter's caches
    # and the job's growing history account for a few.
    assert after["objects"] - before["objects"] < OBJECT_GROWTH_BOUND
    job.stop()


def wait_for(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)
