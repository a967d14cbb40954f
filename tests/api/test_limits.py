"""The request body bound: 413 before parsing, whether the size is declared or not."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from backend.api.limits import MAX_BODY_BYTES, BodyLimit
from backend.jobs.limits import Limits

from .support import app_client, create, spec

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


def test_a_full_store_makes_room_by_deleting_the_oldest_untrained_job() -> None:
    """At max_jobs, a new job replaces the oldest one that never trained and nobody watches;
    with every stored job trained, the answer is 429."""
    with app_client(Limits(max_jobs=2)) as client:
        trained = create(client, start="paused")["id"]
        client.post(f"/api/jobs/{trained}/step", json={"iterations": 1})
        untrained = create(client, start="paused")["id"]
        newest = create(client, start="paused")["id"]
        assert [j["id"] for j in client.get("/api/jobs").json()] == [trained, newest]
        assert client.get(f"/api/jobs/{untrained}").status_code == 404
        client.post(f"/api/jobs/{newest}/step", json={"iterations": 1})
        response = client.post("/api/jobs", json=spec(start="paused"))
        assert response.status_code == 429 and "too many jobs" in response.json()["detail"]
