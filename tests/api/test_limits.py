"""The request body bound: 413 before parsing, whether the size is declared or not."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from backend.api.limits import MAX_BODY_BYTES, BodyLimit

from .support import app_client

JSON = {"content-type": "application/json"}


def test_a_body_over_the_bound_is_413() -> None:
    with app_client() as client:
        response = client.post("/api/jobs", content=b" " * (MAX_BODY_BYTES + 1), headers=JSON)
        assert response.status_code == 413
        assert response.json() == {
            "detail": f"request body too large: the limit is {MAX_BODY_BYTES} bytes"
        }
        assert client.get("/api/jobs").json() == []


def test_a_chunked_body_over_the_bound_is_413() -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(17):
            yield b" " * 2**20

    with app_client() as client:
        response = client.post("/api/jobs", content=chunks(), headers=JSON)
        assert response.status_code == 413


class Echo(BaseModel):
    text: str


def small_app(max_bytes: int) -> FastAPI:
    """An app that echoes a JSON body, behind a body limit of `max_bytes`."""
    app = FastAPI()
    app.add_middleware(BodyLimit, max_bytes=max_bytes)

    @app.post("/echo")
    def echo(body: Echo) -> Echo:
        return body

    return app


def test_the_bound_is_inclusive() -> None:
    body = b'{"text": "abc"}'
    with TestClient(small_app(len(body))) as client:
        assert client.post("/echo", content=body, headers=JSON).json() == {"text": "abc"}
    with TestClient(small_app(len(body) - 1)) as client:
        assert client.post("/echo", content=body, headers=JSON).status_code == 413

        def chunks() -> Iterator[bytes]:
            yield body[:5]
            yield body[5:]

        assert client.post("/echo", content=chunks(), headers=JSON).status_code == 413


def test_requests_without_a_body_pass() -> None:
    with TestClient(small_app(0)) as client:
        assert client.get("/openapi.json").status_code == 200
