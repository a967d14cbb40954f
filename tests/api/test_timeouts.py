"""Requests that do not arrive in time are cut off, against a real uvicorn on 127.0.0.1.

The server's bounds are set to 1 s here; a connection must be closed within its bound plus a
generous slack (a busy machine may be slow to run the timer, never early), and no figure is
measured. Meanwhile /api/health answers, and a flood of waiting connections makes room for it.
"""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Iterator

import httpx
import pytest

from backend.api.app import create_app
from backend.config import Settings
from tests.api.test_stream import make_spec, receive, watch
from tests.server import LiveServer, live_server

BOUND = 1  # seconds: every timeout of the server under test
SLACK = 20.0  # seconds past the bound a close may take on a loaded machine
HEAD = b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"  # a request head without its end
FAST = Settings(header_timeout=BOUND, body_timeout=BOUND, keepalive_timeout=BOUND)


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server(create_app(FAST)) as live:
        yield live


@contextlib.contextmanager
def connection(server: LiveServer, sent: bytes = b"") -> Iterator[socket.socket]:
    """A raw TCP connection to the server that has sent `sent`."""
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=BOUND + SLACK)
    try:
        sock.sendall(sent)
        yield sock
    finally:
        sock.close()


def until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection; fails if it does not."""
    received = b""
    deadline = time.monotonic() + BOUND + SLACK
    while time.monotonic() < deadline:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            return received
        if not chunk:
            return received
        received += chunk
    raise AssertionError(f"still open {BOUND + SLACK} s later; received {received[:200]!r}")


def is_open(sock: socket.socket) -> bool:
    """Whether the server has neither closed the connection nor sent anything on it yet."""
    sock.setblocking(False)
    try:
        sock.recv(1)
    except BlockingIOError:
        return True
    finally:
        sock.setblocking(True)
    return False


def assert_timeout_answer(received: bytes) -> None:
    """Nothing, or a 408 that says the connection closes."""
    if received:
        head = received.split(b"\r\n\r\n", 1)[0].lower()
        assert head.startswith(b"http/1.1 408 "), received[:200]
        assert b"connection: close" in head


def health(server: LiveServer) -> int:
    return httpx.get(server.url("/api/health"), timeout=BOUND + SLACK).status_code


def test_a_connection_that_sends_nothing_is_closed(server: LiveServer) -> None:
    with connection(server) as sock:
        assert health(server) == 200
        assert until_closed(sock) == b""


def test_a_half_sent_head_is_answered_408_and_closed(server: LiveServer) -> None:
    with connection(server, HEAD) as sock:
        assert health(server) == 200
        received = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 408 ")
    assert_timeout_answer(received)


@pytest.mark.parametrize("path", ["/api/preview", "/api/jobs/no-such-job/pause"])
def test_a_half_sent_body_is_cut_off(server: LiveServer, path: str) -> None:
    """Whether the route reads the body (preview) or answers first (404), the body is bounded."""
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Content-Length: 1000\r\n\r\n"
    )
    with connection(server, head.encode() + b'{"network": ') as sock:
        assert health(server) == 200
        received = until_closed(sock)
    if path == "/api/preview":
        assert received.startswith(b"HTTP/1.1 408 ")
        assert_timeout_answer(received)
    else:  # answered before the body came, then closed when the body did not come
        assert received.startswith(b"HTTP/1.1 404 ")


def test_an_idle_keep_alive_connection_is_closed(server: LiveServer) -> None:
    with connection(server, HEAD + b"\r\n") as sock:
        received = until_closed(sock)
    assert received.startswith(b"HTTP/1.1 200 ")
    assert b'"status":"ok"' in received


def test_the_next_head_on_a_keep_alive_connection_is_bounded(server: LiveServer) -> None:
    """After a response, a second request whose head never ends is cut off too."""
    with connection(server, HEAD + b"\r\n") as sock:
        first = b""
        while b'"status":"ok"' not in first:  # the whole first answer (it ends with its body)
            chunk = sock.recv(65536)
            assert chunk, f"closed after {first!r}"
            first += chunk
        sock.sendall(HEAD)  # uvicorn's keep-alive timer stops at these bytes; ours does not
        received = until_closed(sock)
    assert first.startswith(b"HTTP/1.1 200 ")
    assert received.startswith(b"HTTP/1.1 408 ")


def test_requests_on_one_connection_still_work(server: LiveServer) -> None:
    with httpx.Client(timeout=BOUND + SLACK) as client:
        answers = [client.get(server.url("/api/health")).status_code for _ in range(5)]
    assert answers == [200] * 5


def test_a_stream_outlives_the_request_bounds(server: LiveServer) -> None:
    """A WebSocket is past its HTTP request: the deadlines no longer apply to it."""
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        assert receive(ws)["type"] == "snapshot"
        time.sleep(3 * BOUND)  # past every bound; what is checked is that nothing closed
        assert ws.ping().wait(SLACK)
    server.jobs.delete(job.id)


def test_a_flood_of_waiting_connections_leaves_room_for_health() -> None:
    """Past max_waiting, the connections that waited longest are closed; health answers."""
    most, flood = 8, 30
    slow = Settings(header_timeout=600, body_timeout=600)  # only the bound on their number acts
    with live_server(create_app(slow), max_waiting=most) as live, contextlib.ExitStack() as stack:
        socks = [stack.enter_context(connection(live, HEAD)) for _ in range(flood)]
        assert health(live) == 200
        # Health's connection made room too: all but the newest most - 1 were closed.
        for sock in socks[: flood - most + 1]:
            assert_timeout_answer(until_closed(sock))
        assert all(is_open(sock) for sock in socks[flood - most + 1 :])
