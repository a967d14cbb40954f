"""Helpers for the API tests: an app client, job creation, polling and 422 inspection."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient

from backend.api.app import create_app
from backend.config import Settings
from backend.jobs.limits import Limits
from tests.keyring import Keyring

# Training slowly enough that a "running" job is still running when the test looks again.
SLOW = 20.0
# The clients' address: a name the server answers to by default (TestClient's own
# "testserver" is not one, and must not become one outside tests).
BASE_URL = "http://localhost"


class KeyedClient(TestClient):
    """A TestClient that sends the key of every job it created or forked as X-Job-Key on that
    job's requests, unless the request sets X-Job-Key itself."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("base_url", BASE_URL)
        super().__init__(*args, **kwargs)
        self.keyring = Keyring()

    def request(self, method: str, url: str | httpx.URL, **kwargs: Any) -> httpx.Response:  # type: ignore[override]
        headers = self.keyring.headers(url, kwargs.pop("headers", None))
        response = super().request(method, url, headers=headers, **kwargs)
        self.keyring.remember(method, response)
        return response


def app_client(limits: Limits | None = None, settings: Settings | None = None) -> KeyedClient:
    """A client for a fresh app; use it as a context manager so the lifespan runs."""
    return KeyedClient(create_app(settings or Settings(), limits=limits))


def spec(**parts: Any) -> dict[str, Any]:
    """A job spec on the article's 3-5-2 network, paused, with `parts` merged in per section.

    It trains for 10⁸ epochs on the article's data (10⁵ on any other, within the limit on
    iterations): the compiled step runs a default run's 3,000 iterations in a few milliseconds,
    and a test that resumes a job expects it to be running when it looks again.
    """
    epochs = 10**5 if "dataset" in parts else 10**8
    body: dict[str, Any] = {
        "network": {"layers": [3, 5, 2]},
        "training": {"epochs": epochs},
        "start": "paused",
    }
    for key, value in parts.items():
        if isinstance(value, dict) and isinstance(body.get(key), dict):
            body[key] = {**body[key], **value}
        else:
            body[key] = value
    return body


def create(client: TestClient, **parts: Any) -> dict[str, Any]:
    """POST /api/jobs with spec(**parts); the 201 view."""
    response = client.post("/api/jobs", json=spec(**parts))
    assert response.status_code == 201, response.text
    view: dict[str, Any] = response.json()
    return view


def wait_for(
    client: TestClient, job_id: str, done: Callable[[dict[str, Any]], bool], timeout: float = 20.0
) -> dict[str, Any]:
    """Poll GET /api/jobs/{id} until `done(view)`; the view then."""
    deadline = time.monotonic() + timeout
    while True:
        view: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()
        if done(view):
            return view
        assert time.monotonic() < deadline, f"timed out; last view: {view}"
        time.sleep(0.01)


def invalid(response: httpx.Response) -> list[dict[str, Any]]:
    """The errors of a 422 response."""
    assert response.status_code == 422, response.text
    detail: list[dict[str, Any]] = response.json()["detail"]
    assert detail and all("loc" in e and "msg" in e for e in detail)
    return detail


def error_at(response: httpx.Response, loc: list[str | int]) -> str:
    """The message of the 422 error at `loc` (which must be there)."""
    errors = invalid(response)
    found = [e["msg"] for e in errors if e["loc"] == loc]
    assert found, f"no error at {loc}: {errors}"
    return str(found[0])
