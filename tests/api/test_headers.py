"""Security headers on every answer: page, static files, API, refusals and a crash."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from fastapi import FastAPI
from starlette.responses import JSONResponse

from backend.api.app import create_app
from backend.config import Settings
from tests.api.support import KeyedClient, app_client, spec

TOKEN = "a-token"
JSON = {"Content-Type": "application/json"}
OTHERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def policy(response: httpx.Response) -> dict[str, list[str]]:
    """The Content-Security-Policy as {directive: sources}."""
    directives = [d.split() for d in response.headers["content-security-policy"].split(";")]
    return {d[0]: d[1:] for d in directives if d}


def assert_guarded(response: httpx.Response) -> None:
    """The answer carries every security header, and the page's policy."""
    for name, value in OTHERS.items():
        assert response.headers.get(name) == value, (response.request.url, name)
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]  # no inline script, no eval, no other host
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]  # KaTeX and uPlot set styles
    assert csp["img-src"] == ["'self'", "data:"]  # the favicon is a data: URL
    assert csp["font-src"] == ["'self'"]
    assert csp["connect-src"][0] == "'self'"
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]


def first(app: FastAPI) -> None:
    """Move the route added last before the page's files, which are mounted at "/"."""
    app.router.routes.insert(0, app.router.routes.pop())


@pytest.fixture(scope="module")
def client() -> Iterator[KeyedClient]:
    with app_client() as c:
        yield c


@pytest.mark.parametrize(
    "path",
    ["/", "/index.html", "/styles.css", "/js/main.js", "/vendor/katex/katex.mjs",
     "/vendor/katex/fonts/KaTeX_Main-Regular.woff2", "/api/health", "/api/options",
     "/openapi.json", "/api/jobs/no-such-job", "/api/no-such-path", "/no-such-file.js",
     "/dev/make_fixture.py"],
)  # fmt: skip
def test_every_get_carries_the_headers(client: KeyedClient, path: str) -> None:
    assert_guarded(client.get(path))


def test_refusals_carry_the_headers(client: KeyedClient) -> None:
    job = client.post("/api/jobs", json=spec()).json()["id"]
    answers = [
        client.post("/api/jobs", json=spec()),  # 201
        client.put("/api/jobs"),  # 405
        client.post("/api/jobs", json={"network": {}}),  # 422
        client.post(f"/api/jobs/{job}/stop", headers={"X-Job-Key": "wrong"}),  # 403
        client.get(f"/api/jobs/{job}/trace"),  # 409: no iteration yet
        client.post("/api/jobs", content=b"{}", headers={"Content-Type": "text/plain"}),  # 415
        client.post("/api/jobs", content=b" " * (17 * 2**20), headers=JSON),  # 413
        client.get("/api/health", headers={"Host": "attacker.example"}),  # 400
        client.delete(f"/api/jobs/{job}"),  # 204
    ]
    assert [a.status_code for a in answers] == [201, 405, 422, 403, 409, 415, 413, 400, 204]
    for answer in answers:
        assert_guarded(answer)


def test_a_token_refusal_and_a_preflight_carry_the_headers() -> None:
    origin = "https://playground.example"
    with KeyedClient(create_app(Settings(token=TOKEN, cors_origins=(origin,)))) as c:
        refused = c.post("/api/jobs", json=spec())
        assert refused.status_code == 401
        assert_guarded(refused)
        preflight = c.options(
            "/api/jobs", headers={"Origin": origin, "Access-Control-Request-Method": "POST"}
        )
        assert preflight.status_code == 200
        assert_guarded(preflight)


def test_a_crash_carries_the_headers() -> None:
    app = create_app(Settings())

    @app.get("/api/crash")
    def crash() -> None:
        raise RuntimeError("boom")

    first(app)

    with KeyedClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/crash")
    assert response.status_code == 500
    assert_guarded(response)


def test_the_stream_of_the_host_is_a_connect_source(client: KeyedClient) -> None:
    sources = policy(client.get("/", headers={"Host": "localhost:8000"}))["connect-src"]
    assert sources == ["'self'", "ws://localhost:8000", "wss://localhost:8000"]
    sources = policy(client.get("/", headers={"Host": "[::1]:8000"}))["connect-src"]
    assert sources == ["'self'", "ws://[::1]:8000", "wss://[::1]:8000"]


@pytest.mark.parametrize(
    "host", ["evil.example; script-src *", "evil.example script-src:1", "a'b", "a,b"]
)
def test_a_host_cannot_write_into_the_policy(host: str) -> None:
    with KeyedClient(create_app(Settings(allowed_hosts=("*",)))) as c:
        response = c.get("/", headers={"Host": host})
    assert response.status_code == 200
    assert_guarded(response)
    assert policy(response)["connect-src"] == ["'self'"]
    assert response.headers["content-security-policy"].count("script-src") == 1


@pytest.mark.parametrize("path", ["/docs", "/redoc", "/docs/oauth2-redirect"])
def test_the_docs_pages_may_load_their_cdn_and_no_more(client: KeyedClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    for name, value in OTHERS.items():
        assert response.headers[name] == value
    csp = policy(response)
    assert csp["script-src"] == ["'self'", "'unsafe-inline'", "https://cdn.jsdelivr.net"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"] and csp["object-src"] == ["'none'"]
    assert "'unsafe-eval'" not in response.headers["content-security-policy"]


def test_a_header_a_response_sets_is_kept() -> None:
    app = create_app(Settings())

    @app.get("/api/framed")
    def framed() -> JSONResponse:
        return JSONResponse({}, headers={"X-Frame-Options": "SAMEORIGIN"})

    first(app)

    with KeyedClient(app) as c:
        response = c.get("/api/framed")
    assert response.headers.get_list("x-frame-options") == ["SAMEORIGIN"]
