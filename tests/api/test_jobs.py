"""/api/jobs: create, list, read and delete; unknown ids; the limits on jobs (429)."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.jobs.limits import Limits

from .support import SLOW, app_client, create, error_at, invalid, spec


@pytest.fixture
def client() -> Any:
    with app_client() as c:
        yield c


def test_create_answers_201_with_the_view(client: TestClient) -> None:
    view = create(client)
    assert set(view) == {
        "id", "status", "epoch", "iteration", "loss", "test_loss", "metrics", "spec", "engine",
        "created_at", "updated_at", "message", "saved", "key",
    }  # fmt: skip
    assert view["status"] == "paused"
    assert (view["epoch"], view["iteration"], view["loss"], view["test_loss"]) == (0, 0, None, None)
    assert view["message"] == ""
    assert view["created_at"] == view["updated_at"]


def test_list_read_and_delete(client: TestClient) -> None:
    first, second = create(client), create(client)
    assert [v["id"] for v in client.get("/api/jobs").json()] == [first["id"], second["id"]]
    assert client.get(f"/api/jobs/{first['id']}").json()["id"] == first["id"]
    response = client.delete(f"/api/jobs/{first['id']}")
    assert response.status_code == 204 and response.content == b""
    assert client.get(f"/api/jobs/{first['id']}").status_code == 404
    assert client.delete(f"/api/jobs/{first['id']}").status_code == 404
    assert [v["id"] for v in client.get("/api/jobs").json()] == [second["id"]]


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "", None),
        ("DELETE", "", None),
        ("PATCH", "", {"speed": 1}),
        ("POST", "/pause", None),
        ("POST", "/resume", None),
        ("POST", "/stop", None),
        ("POST", "/reset", None),
        ("POST", "/step", {"iterations": 1}),
        ("GET", "/weights", None),
        ("GET", "/history", None),
        ("POST", "/predict", {"inputs": [[1, 2, 3]]}),
        ("GET", "/trace", None),
    ],
)
def test_unknown_id_is_404(client: TestClient, method: str, path: str, body: Any) -> None:
    response = client.request(method, f"/api/jobs/no-such-job{path}", json=body)
    assert response.status_code == 404
    assert "no-such-job" in response.json()["detail"]


def test_too_many_running_jobs_is_429() -> None:
    with app_client(Limits(max_running_jobs=1)) as client:
        first = create(client, start="running", speed=SLOW)["id"]
        response = client.post("/api/jobs", json=spec(start="running"))
        assert response.status_code == 429
        assert "too many running jobs" in response.json()["detail"]
        second = create(client)["id"]  # a paused job does not count
        assert client.post(f"/api/jobs/{second}/resume").status_code == 429
        client.post(f"/api/jobs/{first}/pause")
        assert client.post(f"/api/jobs/{second}/resume").json()["status"] == "running"


def test_too_many_jobs_is_429() -> None:
    """Full of jobs that have trained (untrained ones would make room): 429."""
    with app_client(Limits(max_jobs=2)) as client:
        first = create(client)["id"]
        second = create(client)["id"]
        for job in (first, second):
            client.post(f"/api/jobs/{job}/pause")
            client.post(f"/api/jobs/{job}/step", json={"iterations": 1})
        response = client.post("/api/jobs", json=spec())
        assert response.status_code == 429
        assert "too many jobs" in response.json()["detail"]
        client.delete(f"/api/jobs/{first}")
        create(client)


def test_the_job_layer_limits_come_from_create_app() -> None:
    with app_client(Limits(max_iterations=30)) as client:
        assert create(client, training={"epochs": 10})["status"] == "paused"
        response = client.post("/api/jobs", json=spec(training={"epochs": 11}))
        assert "exceed the limit of 30" in error_at(response, ["body", "training", "epochs"])


def test_errors_never_echo_the_input(client: TestClient) -> None:
    rows = [[0.5] * 3] * 100
    body = spec(dataset={"inputs": [*rows, [1.0]], "targets": [[0.5, 0.5]] * 101})
    for error in invalid(client.post("/api/jobs", json=body)):
        assert "input" not in error
