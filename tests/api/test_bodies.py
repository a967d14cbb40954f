"""JSON bodies are decoded and validated off the event loop, and answered as FastAPI answers.

The loop test holds a body's validation in a worker thread on purpose (a validator that waits
for the test) and asks the same server for another answer meanwhile: if validation ran on the
event loop, that answer could never come. No time is measured.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, Depends, FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from pydantic import field_validator

from backend.api import datasets, errors, health, jobs, options, preview, stream
from backend.api.bodies import OffLoopRoute
from backend.api.limits import BodyLimit
from backend.api.schemas.base import RequestModel
from backend.api.schemas.control import JobChanges, StepRequest
from backend.api.schemas.prediction import PredictRequest
from backend.api.schemas.spec import JobSpec
from backend.config import Settings
from backend.jobs.errors import JobNotFound
from tests.server import live_server

WAIT = 30.0  # seconds any one answer may take on a loaded machine
JSON = {"Content-Type": "application/json"}


# ------------------------------------------------------------------ the loop keeps answering


class Held(RequestModel):
    """A body whose validation waits until the test lets it go."""

    value: int

    @field_validator("value")
    @classmethod
    def _wait(cls, value: int) -> int:
        HOLD.threads.append(threading.get_ident())
        HOLD.entered.set()
        if not HOLD.released.wait(WAIT):
            raise AssertionError("the test never let validation go on")
        return value


class Hold:
    def __init__(self) -> None:
        self.entered, self.released = threading.Event(), threading.Event()
        self.threads: list[int] = []


HOLD = Hold()


def held_app() -> FastAPI:
    """An app built like create_app()'s: an OffLoopRoute router included, errors installed."""
    router = APIRouter(route_class=OffLoopRoute)

    @router.post("/held")
    def take(body: Held) -> dict[str, int]:
        return {"value": body.value}

    @router.get("/alive")
    async def alive() -> dict[str, int]:
        return {"thread": threading.get_ident()}

    app = FastAPI()
    app.state.settings = Settings()
    errors.install(app)
    app.include_router(router)
    return app


def test_the_loop_answers_while_a_body_is_validated() -> None:
    global HOLD
    HOLD = Hold()
    with live_server(held_app()) as server, ThreadPoolExecutor(1) as pool:
        post = pool.submit(httpx.post, server.url("/held"), json={"value": 7}, timeout=WAIT)
        try:
            assert HOLD.entered.wait(WAIT), "validation never started"
            alive = httpx.get(server.url("/alive"), timeout=WAIT)  # the loop, mid-validation
        finally:
            HOLD.released.set()
        assert alive.status_code == 200
        assert post.result(WAIT).json() == {"value": 7}
    loop_thread = alive.json()["thread"]
    # Validated once, in a worker thread: FastAPI took the model instance as it was.
    assert HOLD.threads and loop_thread not in HOLD.threads
    assert len(HOLD.threads) == 1


def test_every_route_with_a_body_reads_it_off_the_loop() -> None:
    for module in (datasets, health, jobs, options, preview, stream):
        for route in module.router.routes:
            if isinstance(route, APIRoute) and route.body_field is not None:
                assert isinstance(route, OffLoopRoute), f"{module.__name__}: {route.path}"


# ------------------------------------------------------------------ the same answers


def thing(thing_id: str) -> str:
    """A path dependency that refuses one id, as deps.job does for an unknown job."""
    if thing_id == "missing":
        raise JobNotFound(f"no job with id {thing_id!r}")
    return thing_id


def answering_app(route_class: type[APIRoute]) -> FastAPI:
    """The real body models on routes of `route_class`, with the real error handlers."""
    router = APIRouter(route_class=route_class)
    models: dict[str, type[RequestModel]] = {
        "spec": JobSpec,
        "predict": PredictRequest,
        "changes": JobChanges,
        "step": StepRequest,
    }
    for name, model in models.items():

        def endpoint(body: Any, found: str = Depends(thing)) -> dict[str, Any]:
            return {"found": found, "body": body.model_dump(exclude_unset=True)}

        endpoint.__annotations__ = {"body": model, "found": str, "return": dict[str, Any]}
        router.add_api_route(f"/{name}/{{thing_id}}", endpoint, methods=["POST"])
    app = FastAPI()
    app.add_middleware(BodyLimit, max_bytes=64 * 1024)
    errors.install(app)
    app.include_router(router)
    return app


DEEP = b"[" * 5000 + b"]" * 5000
BODIES: list[tuple[str, bytes, dict[str, str]]] = [
    ("spec", b'{"network": {"layers": [3, 5, 2]}, "start": "paused"}', JSON),
    (
        "spec",
        b'{"network": {"layers": [3, 5, 2]}, "dataset": {"inputs": [[0.5]], "targets": [[1]]}}',
        JSON,
    ),
    (
        "spec",
        b'{"network": {"layers": [3, 5, 2]}, "dataset": {"inputs": [[NaN]], "targets": [[1]]}}',
        JSON,
    ),
    ("spec", b'{"network": {"layers": [3, 5, 2], "extra": 1}}', JSON),
    ("spec", b'{"network": {"layers": ["3", 5.5, 1e400]}}', JSON),
    ("spec", b'{"network": {"layers": [' + b"9" * 5000 + b"]}}", JSON),
    ("spec", b'{"network": {"layers": [3, 5, 2]}', JSON),
    ("spec", b'{"network": {"layers": [3, 5, 2]}} trailing', JSON),
    ("spec", DEEP, JSON),
    ("spec", b"", JSON),
    ("spec", b"null", JSON),
    ("spec", b'{"network": {"layers": [3, 5, 2]}}', {"Content-Type": "text/plain"}),
    ("spec", b'{"network": {"layers": [3, 5, 2]}}', {}),
    ("spec", b"[" + b"0," * 40_000 + b"0]", JSON),  # over the 64 KiB bound: 413
    ("predict", b'{"inputs": [[0.1, 0.2], [0.3]]}', JSON),
    ("predict", b'{"inputs": [[1e13]]}', JSON),
    ("predict", b'{"inputs": [[0.1, -0, 2E-3, 7]]}', JSON),
    ("changes", b'{"speed": null}', JSON),
    ("changes", b'{"learning_rate": 0.25}', JSON),
    ("step", b'{"iterations": 10, "epochs": null}', JSON),
    ("step", b'{"iterations": true}', JSON),
    ("step", '{"iterations": 10, "é": "\u2028"}'.encode("utf-16"), JSON),
]


@pytest.fixture(scope="module")
def clients() -> Iterator[tuple[TestClient, TestClient]]:
    with (
        TestClient(answering_app(APIRoute)) as plain,
        TestClient(answering_app(OffLoopRoute)) as ours,
    ):
        yield plain, ours


@pytest.mark.parametrize("thing_id", ["one", "missing"])
@pytest.mark.parametrize(("route", "body", "headers"), BODIES)
def test_bodies_are_answered_as_fastapi_answers_them(
    clients: tuple[TestClient, TestClient],
    route: str,
    body: bytes,
    headers: dict[str, str],
    thing_id: str,
) -> None:
    """The same status and body, whatever the body; a dependency's 404 comes before the
    model's 422 (but after a body that is not JSON, as in FastAPI)."""
    plain, ours = clients
    expected = plain.post(f"/{route}/{thing_id}", content=body, headers=headers)
    answer = ours.post(f"/{route}/{thing_id}", content=body, headers=headers)
    assert (answer.status_code, answer.json()) == (expected.status_code, expected.json())
