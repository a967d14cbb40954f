"""The page's files at "/": served after the API routes, and nothing outside frontend/."""

from __future__ import annotations

import http.client
from collections.abc import Iterator

import pytest

from tests.server import LiveServer, live_server

SECRET = "[project]"  # a line of pyproject.toml, one directory above frontend/


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server() as live:
        yield live


def raw_get(server: LiveServer, path: str) -> tuple[int, str, str]:
    """GET `path` exactly as written (no client-side normalisation of .. or %2e)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        return (
            response.status,
            response.getheader("content-type") or "",
            response.read().decode(errors="replace"),
        )
    finally:
        conn.close()


def test_the_page_and_its_modules_are_served(server: LiveServer) -> None:
    status, kind, body = raw_get(server, "/")
    assert status == 200 and kind.startswith("text/html")
    assert "Backprop Playground" in body and 'src="js/main.js"' in body
    status, kind, _ = raw_get(server, "/js/main.js")
    assert status == 200 and "javascript" in kind
    status, kind, _ = raw_get(server, "/styles.css")
    assert status == 200 and kind.startswith("text/css")


def test_the_api_wins_over_the_files(server: LiveServer) -> None:
    status, kind, body = raw_get(server, "/api/health")
    assert status == 200 and kind == "application/json" and '"ok"' in body
    status, _, _ = raw_get(server, "/api/no-such-thing")
    assert status == 404


@pytest.mark.parametrize(
    "path",
    [
        "/../pyproject.toml",
        "/%2e%2e/pyproject.toml",
        "/js/../../pyproject.toml",
        "/js/%2e%2e/%2e%2e/pyproject.toml",
        "/..%2fpyproject.toml",
        "/js/..%2f..%2fpyproject.toml",
        "/%2e%2e%2fpyproject.toml",
        "//etc/passwd",
        "/..\\\\pyproject.toml",
    ],
)
def test_no_path_reaches_outside_the_front_end(server: LiveServer, path: str) -> None:
    status, _, body = raw_get(server, path)
    assert status in (400, 404), (path, status)
    assert SECRET not in body and "root:" not in body
