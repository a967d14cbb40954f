"""Allowed hosts and a stream's Origin, against a real uvicorn on 127.0.0.1.

Every request here sends the Host (and Origin) it names over a raw socket, as a page whose
name was rebound to 127.0.0.1 would: no client library puts its own Host in their place.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from backend.api.app import create_app
from backend.api.schemas.spec import JobSpec
from backend.config import Settings
from tests.api.support import spec
from tests.server import LiveServer, live_server

WAIT = 10.0
CLOSE_FORBIDDEN = 4403
LAN = ("192.168.1.20", "laptop.local")
CORS = "https://playground.example"


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server() as live:
        yield live


@pytest.fixture(scope="module")
def lan() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(allowed_hosts=LAN, cors_origins=(CORS,)))) as live:
        yield live


@pytest.fixture(scope="module")
def proxied() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(allowed_hosts=("*",)))) as live:
        yield live


def raw_get(port: int, path: str, host: str | None) -> tuple[int, bytes]:
    """GET `path` with this Host header (none when None); the status and the body."""
    lines = [f"GET {path} HTTP/1.{0 if host is None else 1}", "Connection: close"]
    if host is not None:
        lines.append(f"Host: {host}")
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


@pytest.mark.parametrize(
    "host",
    ["attacker.example:8000", "attacker.example", "localhost.attacker.example", "127.0.0.2",
     "[::2]:8000", "localhost:8000:1", "[::1", "", "evil.example, localhost"],
)  # fmt: skip
@pytest.mark.parametrize("path", ["/api/health", "/", "/js/main.js", "/api/jobs"])
def test_a_host_not_allowed_is_400(server: LiveServer, host: str, path: str) -> None:
    status, body = raw_get(server.port, path, host)
    assert status == 400, (host, path, body[:200])
    detail = json.loads(body)["detail"]
    assert "PLAYGROUND_ALLOWED_HOSTS" in detail


def test_a_request_without_a_host_is_400(server: LiveServer) -> None:
    status, body = raw_get(server.port, "/api/health", None)  # HTTP/1.0 may leave it out
    assert status == 400 and "PLAYGROUND_ALLOWED_HOSTS" in json.loads(body)["detail"]


def test_a_long_host_is_not_echoed_in_full(server: LiveServer) -> None:
    status, body = raw_get(server.port, "/api/health", "a" * 4000 + ".example")
    assert status == 400 and len(body) < 400


@pytest.mark.parametrize(
    "host", ["localhost", "localhost:8000", "LOCALHOST:1", "127.0.0.1", "127.0.0.1:8000",
             "[::1]", "[::1]:8000"],
)  # fmt: skip
def test_the_local_names_are_allowed_with_any_port(server: LiveServer, host: str) -> None:
    assert raw_get(server.port, "/api/health", host)[0] == 200
    assert raw_get(server.port, "/", host)[0] == 200


def test_the_allowed_hosts_are_configurable(lan: LiveServer) -> None:
    assert raw_get(lan.port, "/api/health", "192.168.1.20:8000")[0] == 200
    assert raw_get(lan.port, "/api/health", "Laptop.local")[0] == 200
    # Set, the list replaces the default: localhost is no longer one of them.
    assert raw_get(lan.port, "/api/health", "localhost:8000")[0] == 400
    assert raw_get(lan.port, "/api/health", "attacker.example")[0] == 400


def test_a_star_allows_any_host(proxied: LiveServer) -> None:
    assert raw_get(proxied.port, "/api/health", "attacker.example:8000")[0] == 200
    assert raw_get(proxied.port, "/api/health", "playground.example")[0] == 200


# ---------------------------------------------------------------- the stream


def watch(
    live: LiveServer, host: str = "", origin: str | None = None, job_id: str = ""
) -> ClientConnection:
    """A stream of a new job (or `job_id`) as a client of `host` (default 127.0.0.1:port),
    sending `origin`, over a socket to the live server."""
    if not job_id:
        job_id = live.jobs.create(JobSpec.model_validate(spec()).to_job()).id
    host = host or f"127.0.0.1:{live.port}"
    sock = socket.create_connection(("127.0.0.1", live.port), timeout=WAIT)
    kwargs: dict[str, Any] = {} if origin is None else {"origin": origin}
    url = f"ws://{host}/api/jobs/{job_id}/stream"
    return connect(url, sock=sock, open_timeout=WAIT, close_timeout=2, **kwargs)


def served(ws: ClientConnection) -> bool:
    """Whether the stream starts with its snapshot (True) or is refused with 4403 (False)."""
    message = json.loads(ws.recv(timeout=WAIT))
    if message["type"] == "snapshot":
        return True
    assert message["type"] == "error", message
    assert "PLAYGROUND_" in message["message"]
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_FORBIDDEN
    return False


def test_a_stream_for_a_host_not_allowed_is_closed_4403(server: LiveServer) -> None:
    job = server.jobs.create(JobSpec.model_validate(spec()).to_job())
    with watch(server, host="attacker.example:8000", job_id=job.id) as ws:
        assert not served(ws)
    assert not job.hub.subscriptions


@pytest.mark.parametrize(
    "origin",
    ["https://attacker.example", "http://attacker.example:8000", "null",
     "http://localhost.attacker.example", "file://", "chrome-extension://abc", "http://[::1"],
)  # fmt: skip
def test_a_stream_from_a_foreign_page_is_closed_4403(server: LiveServer, origin: str) -> None:
    job = server.jobs.create(JobSpec.model_validate(spec()).to_job())
    with watch(server, origin=origin, job_id=job.id) as ws:
        assert not served(ws)
    assert not job.hub.subscriptions


@pytest.mark.parametrize(
    "origin",
    ["http://127.0.0.1:{port}", "http://localhost:{port}", "http://localhost:5173",
     "https://localhost", "http://[::1]:{port}"],
)  # fmt: skip
def test_a_stream_from_a_page_of_an_allowed_host_is_served(server: LiveServer, origin: str) -> None:
    with watch(server, origin=origin.format(port=server.port)) as ws:
        assert served(ws)


def test_a_stream_without_an_origin_is_served(server: LiveServer) -> None:
    with watch(server) as ws:  # not a browser: no Origin
        assert served(ws)


def test_a_cors_origin_may_open_streams(lan: LiveServer) -> None:
    with watch(lan, host="laptop.local:8000", origin=CORS) as ws:
        assert served(ws)
    with watch(lan, host="laptop.local:8000", origin="http://192.168.1.20:8000") as ws:
        assert served(ws)
    with watch(lan, host="laptop.local:8000", origin="https://other.example") as ws:
        assert not served(ws)


def test_behind_a_star_a_stream_must_be_same_origin(proxied: LiveServer) -> None:
    host = "playground.example"
    with watch(proxied, host=host, origin=f"https://{host}") as ws:
        assert served(ws)
    with watch(proxied, host=host, origin="https://attacker.example") as ws:
        assert not served(ws)  # "*" names no origin
