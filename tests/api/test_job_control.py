"""Steering a job: pause, resume, stop, reset, step, PATCH, and how a run ends."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .support import SLOW, app_client, create, error_at, wait_for


@pytest.fixture
def client() -> Any:
    with app_client() as c:
        yield c


def test_a_running_job_trains(client: TestClient) -> None:
    view = create(client, start="running")
    assert view["status"] == "running"
    assert wait_for(client, view["id"], lambda v: v["iteration"] > 0)["loss"] is not None


def test_pause_resume_stop_reset(client: TestClient) -> None:
    job = create(client, start="running", speed=SLOW)["id"]

    def post(action: str, status: int = 200) -> dict[str, Any]:
        response = client.post(f"/api/jobs/{job}/{action}")
        assert response.status_code == status, response.text
        body: dict[str, Any] = response.json()
        return body

    assert post("pause")["status"] == "paused"
    assert post("pause")["status"] == "paused"  # already paused: nothing to do
    assert post("resume")["status"] == "running"
    assert post("resume")["status"] == "running"
    wait_for(client, job, lambda v: v["iteration"] > 0)
    assert post("stop")["status"] == "stopped"
    assert "resume needs paused" in post("resume", 409)["detail"]
    assert "pause needs running" in post("pause", 409)["detail"]
    assert post("stop")["status"] == "stopped"
    view = post("reset")
    assert (view["status"], view["epoch"], view["iteration"], view["loss"]) == (
        "paused",
        0,
        0,
        None,
    )
    assert client.get(f"/api/jobs/{job}/history").json()["iterations"] == 0
    assert client.get(f"/api/jobs/{job}/trace").status_code == 409


def test_reset_restores_the_initial_weights(client: TestClient) -> None:
    job = create(client)["id"]
    before = client.get(f"/api/jobs/{job}/weights").json()
    client.post(f"/api/jobs/{job}/step", json={"iterations": 5})
    assert client.get(f"/api/jobs/{job}/weights").json() != before
    client.post(f"/api/jobs/{job}/reset")
    assert client.get(f"/api/jobs/{job}/weights").json() == before


def test_step_by_iterations_and_by_epochs(client: TestClient) -> None:
    job = create(client)["id"]  # six rows in mini-batches of 2: 3 iterations per epoch
    view = client.post(f"/api/jobs/{job}/step", json={"iterations": 4}).json()
    assert (view["status"], view["epoch"], view["iteration"]) == ("paused", 1, 4)
    view = client.post(f"/api/jobs/{job}/step", json={"epochs": 1}).json()
    assert (view["status"], view["epoch"], view["iteration"]) == ("paused", 2, 6)
    view = client.post(f"/api/jobs/{job}/step", json={"epochs": 2}).json()
    assert (view["status"], view["epoch"], view["iteration"]) == ("paused", 4, 12)
    # From the middle of an epoch, the epoch under way is the first of those stepped.
    client.post(f"/api/jobs/{job}/step", json={"iterations": 1})
    view = client.post(f"/api/jobs/{job}/step", json={"epochs": 2}).json()
    assert (view["status"], view["epoch"], view["iteration"]) == ("paused", 6, 18)
    assert view["loss"] == client.get(f"/api/jobs/{job}/history").json()["last"][-1]


def test_step_past_the_last_epoch_finishes(client: TestClient) -> None:
    job = create(client, training={"epochs": 2})["id"]
    view = client.post(f"/api/jobs/{job}/step", json={"epochs": 5}).json()
    assert (view["status"], view["epoch"], view["iteration"]) == ("finished", 2, 6)
    assert view["message"] == "finished 2 epochs"
    response = client.post(f"/api/jobs/{job}/step", json={"iterations": 1})
    assert response.status_code == 409


def test_step_on_a_running_job_is_409(client: TestClient) -> None:
    job = create(client, start="running", speed=SLOW)["id"]
    response = client.post(f"/api/jobs/{job}/step", json={"iterations": 1})
    assert response.status_code == 409
    assert response.json()["detail"] == "step: the job is running; step needs paused"


def test_resume_a_finished_job_is_409(client: TestClient) -> None:
    job = create(client, start="running", training={"epochs": 3, "mode": "batch"})["id"]
    view = wait_for(client, job, lambda v: v["status"] != "running")
    assert (view["status"], view["iteration"]) == ("finished", 3)
    response = client.post(f"/api/jobs/{job}/resume")
    assert response.status_code == 409
    assert "the job is finished" in response.json()["detail"]
    assert client.post(f"/api/jobs/{job}/stop").status_code == 409


@pytest.mark.parametrize(
    ("body", "loc", "words"),
    [
        ({}, ["body"], "exactly one"),
        ({"iterations": 1, "epochs": 1}, ["body"], "exactly one"),
        ({"iterations": 0}, ["body", "iterations"], "greater than or equal to 1"),
        ({"iterations": 100_001}, ["body", "iterations"], "less than or equal to 100000"),
        ({"epochs": 100_001}, ["body", "epochs"], "less than or equal to 100000"),
        ({"iterations": 1, "batches": 1}, ["body", "batches"], "Extra inputs"),
    ],
)
def test_step_body_is_validated(client: TestClient, body: Any, loc: list[str], words: str) -> None:
    job = create(client)["id"]
    assert words in error_at(client.post(f"/api/jobs/{job}/step", json=body), loc)


def test_patch_speed_and_learning_rate_on_a_running_job(client: TestClient) -> None:
    job = create(client, start="running", speed=SLOW)["id"]
    response = client.patch(f"/api/jobs/{job}", json={"speed": 200.0, "learning_rate": 0.25})
    assert response.status_code == 200
    view = response.json()
    assert view["status"] == "running"
    assert (view["spec"]["speed"], view["spec"]["training"]["learning_rate"]) == (200.0, 0.25)
    assert client.get(f"/api/jobs/{job}").json()["spec"] == view["spec"]
    # The next iterations use the new α.
    mark = view["iteration"]
    wait_for(client, job, lambda v: v["iteration"] > mark + 1)
    assert client.get(f"/api/jobs/{job}/trace").json()["learning_rate"] == 0.25
    client.post(f"/api/jobs/{job}/pause")
    client.patch(f"/api/jobs/{job}", json={"learning_rate": 0.125})
    client.post(f"/api/jobs/{job}/step", json={"iterations": 1})
    assert client.get(f"/api/jobs/{job}/trace").json()["learning_rate"] == 0.125


def test_patch_only_what_is_given(client: TestClient) -> None:
    job = create(client, speed=5.0)["id"]
    view = client.patch(f"/api/jobs/{job}", json={"learning_rate": 2.0}).json()
    assert (view["spec"]["speed"], view["spec"]["training"]["learning_rate"]) == (5.0, 2.0)
    view = client.patch(f"/api/jobs/{job}", json={"speed": None}).json()
    assert (view["spec"]["speed"], view["spec"]["training"]["learning_rate"]) == (None, 2.0)


@pytest.mark.parametrize(
    ("body", "loc", "words"),
    [
        ({}, ["body"], "give"),
        ({"learning_rate": None}, ["body", "learning_rate"], "not null"),
        ({"learning_rate": 0}, ["body", "learning_rate"], "greater than 0"),
        ({"learning_rate": 1e7}, ["body", "learning_rate"], "less than or equal to 1000000"),
        ({"speed": 0}, ["body", "speed"], "greater than 0"),
        ({"speed": 1e5}, ["body", "speed"], "less than or equal to 10000"),
        ({"epochs": 5}, ["body", "epochs"], "Extra inputs"),
    ],
)
def test_patch_body_is_validated(client: TestClient, body: Any, loc: list[str], words: str) -> None:
    job = create(client)["id"]
    assert words in error_at(client.patch(f"/api/jobs/{job}", json=body), loc)


def test_a_diverging_job_ends_as_diverged_with_a_message(client: TestClient) -> None:
    job = create(
        client,
        start="running",
        network={"layers": [2, 8, 1], "activation": "tanh", "output_activation": "linear"},
        dataset={"name": "plane"},
        training={"learning_rate": 1e6, "epochs": 100},
    )["id"]
    view = wait_for(client, job, lambda v: v["status"] != "running")
    assert view["status"] == "diverged"  # a state of the job: the request itself succeeded
    assert view["message"].startswith("diverged at iteration ")
    assert "lower the learning rate" in view["message"]
    # Non-finite numbers go out as null, never as a 500.
    for path in ("", "/weights", "/history", "/trace"):
        assert client.get(f"/api/jobs/{job}{path}").status_code == 200
    outputs = client.post(f"/api/jobs/{job}/predict", json={"inputs": [[0.0, 0.0]]}).json()
    assert outputs == {"outputs": [[None]]}
    assert client.post(f"/api/jobs/{job}/resume").status_code == 409


def test_a_tiny_speed_waits_instead_of_breaking_the_job(client: TestClient) -> None:
    job = create(client, start="running", speed=1e-12)["id"]
    wait_for(client, job, lambda v: v["iteration"] == 1)
    client.patch(f"/api/jobs/{job}", json={"speed": 1000.0})  # wakes the waiting worker
    wait_for(client, job, lambda v: v["iteration"] > 1)
