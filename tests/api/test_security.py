"""Security basics: the optional token, CORS, job ids, and static files that stay inside frontend/.

The token's HTTP side runs in-process (TestClient); the stream and the raw static-file requests
go to a real uvicorn server on 127.0.0.1, whose paths no client library normalises.
"""

from __future__ import annotations

import json
import logging
import re
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from backend.api.app import FRONTEND, create_app
from backend.api.schemas.spec import JobSpec
from backend.api.security import CLOSE_UNAUTHORIZED, GUARDED_METHODS, take_query_token
from backend.config import Settings
from backend.jobs import spec as job_spec
from tests.api.support import KeyedClient, spec
from tests.server import LiveServer, live_server

TOKEN = "s3cret-token_with+symbols/="
WAIT = 10.0
GOOD = {"Authorization": f"Bearer {TOKEN}"}
WRONG = {"Authorization": "Bearer not-the-token"}


def client(**settings: Any) -> KeyedClient:
    """A client that sends the keys of the jobs it made (X-Job-Key): the token is the subject."""
    return KeyedClient(create_app(Settings(**settings)))


CSV = "a,b,t\n" + "".join(f"{i},{-i},{i % 2}\n" for i in range(8))
# Each state-changing endpoint with a body it accepts, the status it answers then, and
# whether it needs a fresh paused job; "{id}" is that job's id.
ENDPOINTS: list[tuple[str, str, dict[str, Any] | None, int]] = [
    ("POST", "/api/jobs", spec(), 201),
    ("PATCH", "/api/jobs/{id}", {"speed": 5.0}, 200),
    ("DELETE", "/api/jobs/{id}", None, 204),
    ("POST", "/api/jobs/{id}/pause", None, 200),
    ("POST", "/api/jobs/{id}/resume", None, 200),
    ("POST", "/api/jobs/{id}/stop", None, 200),
    ("POST", "/api/jobs/{id}/reset", None, 200),
    ("POST", "/api/jobs/{id}/step", {"iterations": 2}, 200),
    ("POST", "/api/jobs/{id}/predict", {"inputs": [[0.1, 0.2, 0.3]]}, 200),
    ("POST", "/api/jobs/{id}/fork", None, 201),
    ("PATCH", "/api/jobs/{id}/weights", {"layer": 0, "row": 0, "column": 0, "value": 0.5}, 200),
    ("POST", "/api/preview", spec(), 200),
    ("POST", "/api/csv", {"csv": CSV}, 200),
]
IDS = [f"{method} {path}" for method, path, _, _ in ENDPOINTS]


def test_the_table_names_every_state_changing_route() -> None:
    paths = create_app(Settings()).openapi()["paths"]
    routes = {
        (method.upper(), path.replace("{job_id}", "{id}"))
        for path, operations in paths.items()
        for method in operations
        if method.upper() in GUARDED_METHODS
    }
    assert routes == {(method, path) for method, path, _, _ in ENDPOINTS}


@pytest.fixture
def guarded() -> Iterator[TestClient]:
    with client(token=TOKEN) as c:
        yield c


def paused_job(c: TestClient) -> str:
    response = c.post("/api/jobs", json=spec(), headers=GOOD)
    assert response.status_code == 201, response.text
    job_id: str = response.json()["id"]
    return job_id


@pytest.mark.parametrize(("method", "path", "body", "status"), ENDPOINTS, ids=IDS)
@pytest.mark.parametrize(
    ("headers", "says"),
    [
        ({}, "a token is required"),
        (WRONG, "wrong token"),
        ({"Authorization": f"Basic {TOKEN}"}, "a token is required"),
        ({"Authorization": "Bearer"}, "a token is required"),
        ({"Authorization": f"Bearer {TOKEN}x"}, "wrong token"),
        ({"Authorization": f"Bearer {TOKEN[:-1]}"}, "wrong token"),
    ],
    ids=["none", "wrong", "basic", "empty", "longer", "shorter"],
)
def test_with_a_token_set_a_change_without_it_is_401(
    guarded: TestClient,
    method: str,
    path: str,
    body: dict[str, Any] | None,
    status: int,
    headers: dict[str, str],
    says: str,
) -> None:
    job_id = paused_job(guarded)
    before = guarded.get(f"/api/jobs/{job_id}").json()
    response = guarded.request(method, path.format(id=job_id), json=body, headers=headers)
    assert response.status_code == 401, response.text
    assert says in response.json()["detail"]
    assert response.headers["www-authenticate"] == "Bearer"
    assert guarded.get(f"/api/jobs/{job_id}").json() == before  # nothing changed


@pytest.mark.parametrize(("method", "path", "body", "status"), ENDPOINTS, ids=IDS)
def test_with_a_token_set_a_change_with_it_is_done(
    guarded: TestClient, method: str, path: str, body: dict[str, Any] | None, status: int
) -> None:
    job_id = paused_job(guarded)
    if path.endswith("/pause"):
        guarded.post(f"/api/jobs/{job_id}/resume", headers=GOOD)
    response = guarded.request(method, path.format(id=job_id), json=body, headers=GOOD)
    assert response.status_code == status, response.text


def test_the_scheme_name_is_case_insensitive(guarded: TestClient) -> None:
    headers = {"Authorization": f"bearer {TOKEN}"}
    assert guarded.post("/api/jobs", json=spec(), headers=headers).status_code == 201


def test_with_a_token_set_the_token_is_checked_before_the_body(guarded: TestClient) -> None:
    json_type = {"Content-Type": "application/json"}
    assert guarded.post("/api/jobs", content=b"{not json", headers=json_type).status_code == 401
    assert guarded.post("/api/jobs", content=b"{not json").status_code == 401  # before its type
    bad = guarded.post("/api/jobs", content=b"{not json", headers={**GOOD, **json_type})
    assert bad.status_code == 422


def test_with_a_token_set_reads_stay_open(guarded: TestClient) -> None:
    job_id = paused_job(guarded)
    guarded.post(f"/api/jobs/{job_id}/step", json={"iterations": 3}, headers=GOOD)
    for path in (
        "/api/health",
        "/api/options",
        "/api/datasets/xor",
        "/api/jobs",
        f"/api/jobs/{job_id}",
        f"/api/jobs/{job_id}/weights",
        f"/api/jobs/{job_id}/history",
        f"/api/jobs/{job_id}/trace",
        "/openapi.json",
    ):
        assert guarded.get(path).status_code == 200, path


def test_with_a_token_set_the_openapi_declares_the_scheme_and_401() -> None:
    with client(token=TOKEN) as c:
        schema = c.get("/openapi.json").json()
    assert schema["components"]["securitySchemes"]["bearer"] == {"type": "http", "scheme": "bearer"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            changes = method.upper() in GUARDED_METHODS
            assert ("401" in operation["responses"]) == changes, (method, path)
            assert ("security" in operation) == changes, (method, path)


def test_without_a_token_every_change_needs_none() -> None:
    with client() as c:
        for method, path, body, status in ENDPOINTS:
            created = c.post("/api/jobs", json=spec())
            assert created.status_code == 201
            job_id = created.json()["id"]
            if path.endswith("/pause"):
                c.post(f"/api/jobs/{job_id}/resume")
            # A header the server did not ask for is ignored.
            headers = WRONG if path.endswith("/reset") else {}
            response = c.request(method, path.format(id=job_id), json=body, headers=headers)
            assert response.status_code == status, (method, path, response.text)
        schema = c.get("/openapi.json").json()
    assert "securitySchemes" not in schema.get("components", {})


def test_the_query_token_is_taken_out_of_the_request() -> None:
    scope: dict[str, Any] = {"query_string": b"a=1&token=abc%2B%2F&b=2"}
    assert take_query_token(scope) == b"abc+/"
    assert scope["query_string"] == b"a=1&b=2"
    assert take_query_token({"query_string": b"a=1"}) is None


# ---------------------------------------------------------------- the stream


@pytest.fixture(scope="module")
def server() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(token=TOKEN))) as live:
        yield live


def full_spec() -> job_spec.JobSpec:
    """spec() with every default filled in, as the job layer takes it."""
    return JobSpec.model_validate(spec()).to_job()


def watch(server: LiveServer, path: str, **kwargs: Any) -> ClientConnection:
    return connect(server.ws_url(path), open_timeout=WAIT, close_timeout=2, **kwargs)


def refused(ws: ClientConnection) -> str:
    """The error message of a refused stream, after checking its close code."""
    message = json.loads(ws.recv(timeout=WAIT))
    assert message["type"] == "error"
    with pytest.raises(ConnectionClosed) as closed:
        ws.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == CLOSE_UNAUTHORIZED
    return str(message["message"])


@pytest.mark.parametrize(
    ("query", "headers", "says"),
    [
        ("", {}, "a token is required"),
        ("?token=", {}, "wrong token"),
        ("?token=nope", {}, "wrong token"),
        (f"?token={TOKEN}", {}, "wrong token"),  # not URL-encoded: '+' reads as a space
        ("", WRONG, "wrong token"),
    ],
    ids=["none", "empty", "wrong", "unencoded", "wrong-header"],
)
def test_with_a_token_set_a_stream_without_it_is_closed_4401(
    server: LiveServer, query: str, headers: dict[str, str], says: str
) -> None:
    job = server.jobs.create(full_spec())
    with watch(server, f"/api/jobs/{job.id}/stream{query}", additional_headers=headers) as ws:
        assert says in refused(ws)
    with watch(server, f"/api/jobs/no-such-job/stream{query}", additional_headers=headers) as ws:
        assert says in refused(ws)  # checked before the job is looked up: ids are not probed
    assert not job.hub.subscriptions


@pytest.mark.parametrize("how", ["query", "header"])
def test_with_a_token_set_a_stream_with_it_is_served(server: LiveServer, how: str) -> None:
    job = server.jobs.create(full_spec())
    encoded = TOKEN.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D")
    path = f"/api/jobs/{job.id}/stream"
    if how == "query":
        ws = watch(server, f"{path}?token={encoded}")
    else:
        ws = watch(server, path, additional_headers=GOOD)
    with ws:
        assert json.loads(ws.recv(timeout=WAIT))["type"] == "snapshot"
        ws.send(json.dumps({"type": "ping"}))
        assert json.loads(ws.recv(timeout=WAIT)) == {"type": "pong"}


def test_the_stream_token_stays_out_of_the_server_log(
    server: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    job = server.jobs.create(full_spec())
    logger = logging.getLogger("uvicorn.error")  # where uvicorn logs each WebSocket it accepts
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="uvicorn.error"):
            for token in ("s3cret", TOKEN.replace("+", "%2B").replace("/", "%2F")):
                path = f"/api/jobs/{job.id}/stream?x=1&token={token}"
                with watch(server, path) as ws:
                    ws.recv(timeout=WAIT)
    finally:
        logger.removeHandler(caplog.handler)
    accepted = [r.getMessage() for r in caplog.records if "WebSocket" in r.getMessage()]
    assert accepted and all("?x=1" in line for line in accepted), accepted
    assert not any("token" in line or "s3cret" in line for line in accepted), accepted


def access_lines(server: LiveServer, caplog: pytest.LogCaptureFixture, *paths: str) -> list[str]:
    """The access log lines of HTTP GETs of `paths` (and a preflight of each) on `server`."""
    logger = logging.getLogger("uvicorn.access")  # uvicorn's line per answer, after it is sent
    logger.addHandler(caplog.handler)
    try:
        with caplog.at_level(logging.INFO, logger="uvicorn.access"):
            for path in paths:
                raw_get(server.port, path)
                with socket.create_connection(("127.0.0.1", server.port), timeout=WAIT) as sock:
                    sock.sendall(
                        f"OPTIONS {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                        "Origin: https://elsewhere.example\r\nAccess-Control-Request-Method: "
                        "POST\r\nConnection: close\r\n\r\n".encode()
                    )
                    while sock.recv(65536):
                        pass
    finally:
        logger.removeHandler(caplog.handler)
    return [r.getMessage() for r in caplog.records if r.name == "uvicorn.access"]


@pytest.mark.parametrize("token", [None, TOKEN])
def test_an_http_query_token_stays_out_of_the_access_log(
    caplog: pytest.LogCaptureFixture, token: str | None
) -> None:
    app = create_app(Settings(token=token, cors_origins=("https://elsewhere.example",)))
    encoded = TOKEN.replace("+", "%2B").replace("/", "%2F")
    paths = ["/api/health?x=1&token=s3cret", f"/api/jobs?token={encoded}&x=1", "/?token=s3cret"]
    with live_server(app) as live:
        lines = access_lines(live, caplog, *paths)
    assert len(lines) == 2 * len(paths), lines
    assert all("x=1" in line for line in lines[:4]), lines
    assert not any("token" in line or "s3cret" in line or "symbols" in line for line in lines)


def test_a_404_does_not_echo_a_long_id() -> None:
    long_id = "x" * 60_000
    with client() as c:
        for path in (f"/api/jobs/{long_id}", f"/api/jobs/{long_id}/weights"):
            response = c.get(path)
            assert response.status_code == 404
            assert len(response.content) < 200, len(response.content)
            assert "x" * 32 + "…" in response.json()["detail"]
        short = c.get("/api/jobs/abc").json()["detail"]
        assert "'abc'" in short and "…" not in short


def test_a_stream_404_does_not_echo_a_long_id(open_server: LiveServer) -> None:
    with watch(open_server, "/api/jobs/" + "x" * 6000 + "/stream") as ws:
        message = json.loads(ws.recv(timeout=WAIT))
    assert message["type"] == "error" and len(message["message"]) < 100


def test_without_a_token_a_stream_needs_none() -> None:
    with live_server() as live:
        job = live.jobs.create(full_spec())
        with watch(live, f"/api/jobs/{job.id}/stream?token=ignored") as ws:
            assert json.loads(ws.recv(timeout=WAIT))["type"] == "snapshot"


# ---------------------------------------------------------------- CORS


def preflight(c: TestClient, origin: str) -> Any:
    return c.options(
        "/api/jobs",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_cors_is_off_by_default() -> None:
    with client() as c:
        response = c.get("/api/health", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in response.headers
        assert (
            "access-control-allow-origin" not in preflight(c, "https://elsewhere.example").headers
        )


def test_cors_allows_the_listed_origins_only() -> None:
    allowed = "https://playground.example"
    with client(cors_origins=(allowed,), token=TOKEN) as c:
        response = preflight(c, allowed)
        assert response.status_code == 200
        assert response.headers["access-control-allow-origin"] == allowed
        assert "POST" in response.headers["access-control-allow-methods"]
        assert "authorization" in response.headers["access-control-allow-headers"].lower()
        got = c.get("/api/health", headers={"Origin": allowed})
        assert got.headers["access-control-allow-origin"] == allowed
        # A refusal carries the header too, so the page can read why.
        denied = c.post("/api/jobs", json=spec(), headers={"Origin": allowed})
        assert denied.status_code == 401
        assert denied.headers["access-control-allow-origin"] == allowed
        other = "https://evil.example"
        assert preflight(c, other).status_code == 400
        got = c.get("/api/health", headers={"Origin": other})
        assert "access-control-allow-origin" not in got.headers


# ---------------------------------------------------------------- job ids


def test_job_ids_are_long_url_safe_and_distinct() -> None:
    with client() as c:
        ids = [c.post("/api/jobs", json=spec()).json()["id"] for _ in range(60)]
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{22,}", job_id) for job_id in ids), ids
    assert len(set(ids)) == len(ids)


# ---------------------------------------------------------------- static files


@pytest.fixture(scope="module")
def open_server() -> Iterator[LiveServer]:
    with live_server() as live:
        yield live


@pytest.mark.parametrize(
    "path",
    [
        "/../backend/config.py",
        "/%2e%2e/backend/config.py",
        "/%2E%2E/backend/config.py",
        "/..%2fpyproject.toml",
        "/..%2Fpyproject.toml",
        "/js/../../pyproject.toml",
        "/js/..%2f..%2fpyproject.toml",
        "/js/%2e%2e/%2e%2e/pyproject.toml",
        "/.%2e/pyproject.toml",
        "/%2e%2e%2fpyproject.toml",
        "/..\\pyproject.toml",
        "/..%5cpyproject.toml",
        "//etc/passwd",
        "/%2fetc%2fpasswd",
        "/../../../../../../etc/passwd",
        "/api/../pyproject.toml",
    ],
)
def test_static_files_never_leave_the_frontend_folder(open_server: LiveServer, path: str) -> None:
    status, body = raw_get(open_server.port, path)
    assert status in (400, 404), (path, status, body[:200])
    assert b"PLAYGROUND_" not in body and b"[project]" not in body and b"root:" not in body


def test_a_raw_request_for_a_real_file_is_served(open_server: LiveServer) -> None:
    # The raw client works: the same request for a file inside frontend/ is a 200.
    status, body = raw_get(open_server.port, "/js/../index.html")
    assert status == 200 and body == (FRONTEND / "index.html").read_bytes()


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """GET with exactly this request line (no client normalises it); the status and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=WAIT) as sock:
        request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        sock.sendall(request.encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body
