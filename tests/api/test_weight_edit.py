"""PATCH /api/jobs/{id}/weights: one weight of a paused job, stored as an event of its run, so
that replay (/trace, /history?from&to) and a restart give the same numbers bit for bit."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest

from backend.api.messages import FrameMessage, StatusMessage
from backend.config import Settings
from tests.server import live_server

from .support import SLOW, KeyedClient, app_client, create, error_at
from .test_stream import WAIT, make_spec, receive, until, watch

SHUFFLED = {  # mini-batches in a new order every epoch, a test split: every part of the state
    "training": {"mode": "minibatch", "batch_size": 4, "shuffle": True, "seed": 5},
    "dataset": {"name": "xor", "samples": 60, "test_fraction": 0.25},
    "network": {"layers": [2, 4, 1], "activation": "tanh"},
}


def patch(client: KeyedClient, job: str, layer: int, row: int, column: int, value: Any) -> Any:
    body = {"layer": layer, "row": row, "column": column, "value": value}
    return client.patch(f"/api/jobs/{job}/weights", json=body)


def edited(client: KeyedClient, job: str, *where: Any) -> dict[str, Any]:
    answer = patch(client, job, *where)
    assert answer.status_code == 200, answer.text
    view: dict[str, Any] = answer.json()
    return view


def step(client: KeyedClient, job: str, iterations: int) -> None:
    answer = client.post(f"/api/jobs/{job}/step", json={"iterations": iterations})
    assert answer.status_code == 200, answer.text


def weights(client: KeyedClient, job: str) -> list[Any]:
    layers: list[Any] = client.get(f"/api/jobs/{job}/weights").json()["layers"]
    return layers


def trace(client: KeyedClient, job: str, n: int | None = None) -> dict[str, Any]:
    query = "" if n is None else f"?iteration={n}"
    answer = client.get(f"/api/jobs/{job}/trace{query}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def live_run(client: KeyedClient, job: str, iterations: int) -> dict[int, dict[str, Any]]:
    """Each iteration's trace as it was live: step one, read /trace."""
    live = {}
    for _ in range(iterations):
        step(client, job, 1)
        frame = trace(client, job)
        live[frame["iteration"]] = frame
    return live


@pytest.fixture
def client() -> Any:
    with app_client() as c:
        yield c


def test_an_edit_is_stored_read_back_and_measured(client: KeyedClient) -> None:
    job = create(client, **SHUFFLED)["id"]
    step(client, job, 10)
    before = client.get(f"/api/jobs/{job}").json()
    view = edited(client, job, 1, 0, 2, -3.25)  # W², neuron 1's weight from hidden neuron 2
    assert weights(client, job)[1][0][2] == -3.25
    assert (view["iteration"], view["status"]) == (10, "paused")
    assert view["metrics"]["iteration"] == 10 and view["metrics"] != before["metrics"]
    edited(client, job, 0, 3, 0, 1e6)  # a bias, at the bound
    assert weights(client, job)[0][3][0] == 1e6
    outputs = client.post(f"/api/jobs/{job}/predict", json={"inputs": [[0.0, 0.0]]}).json()
    w1, w2 = (np.array(w) for w in weights(client, job))
    hidden = np.tanh(w1[:, 0] + w1[:, 1:] @ np.zeros(2))
    want = 1 / (1 + np.exp(-(w2[0, 0] + w2[0, 1:] @ hidden)))
    assert outputs["outputs"][0][0] == pytest.approx(want, rel=1e-12)


def test_bad_edits_name_the_field_and_the_limit_and_change_nothing(client: KeyedClient) -> None:
    job = create(client)["id"]  # 3-5-2: W¹ is 5 × 4, W² is 2 × 6
    before = weights(client, job)
    for where, field, limit in [
        ((2, 0, 0, 0.5), "layer", "0..1"),
        ((0, 5, 0, 0.5), "row", "0..4"),
        ((1, 0, 6, 0.5), "column", "0..5"),
        ((0, 0, 0, 1e6 + 1), "value", "1000000"),
        ((0, 0, 0, -2e6), "value", "-1000000"),
        ((-1, 0, 0, 0.5), "layer", "0"),
        ((0, 0, 0, "0.5"), "value", "number"),
    ]:
        message = error_at(patch(client, job, *where), ["body", field])
        assert limit in message, (where, message)
    answer = client.patch(f"/api/jobs/{job}/weights", json={"layer": 0, "row": 0, "column": 0})
    assert error_at(answer, ["body", "value"])
    assert weights(client, job) == before


def test_only_the_owner_edits_and_only_a_paused_job(client: KeyedClient) -> None:
    job = create(client, speed=SLOW)["id"]
    before = weights(client, job)
    for key in (None, "wrong"):
        headers = {"X-Job-Key": key} if key else {"X-Job-Key": ""}
        body = {"layer": 0, "row": 0, "column": 0, "value": 0.5}
        answer = client.patch(f"/api/jobs/{job}/weights", json=body, headers=headers)
        assert answer.status_code == 403 and "fork" in answer.json()["detail"]
    client.post(f"/api/jobs/{job}/resume")
    answer = patch(client, job, 0, 0, 0, 0.5)
    assert answer.status_code == 409 and "running" in answer.json()["detail"]
    assert "paused" in answer.json()["detail"]
    client.post(f"/api/jobs/{job}/stop")
    answer = patch(client, job, 0, 0, 0, 0.5)
    assert answer.status_code == 409 and "stopped" in answer.json()["detail"]
    client.post(f"/api/jobs/{job}/reset")
    assert weights(client, job) == before
    assert edited(client, job, 0, 0, 0, 0.5)["status"] == "paused"  # reset: paused again


def test_replay_across_edits_is_exact(client: KeyedClient) -> None:
    """Edits at iteration 0, mid-run (two at one iteration), beside a change of α, after a
    reset: every replayed trace and exact loss equals the live one."""
    job = create(client, **SHUFFLED)["id"]
    edited(client, job, 0, 1, 1, 2.5)  # before the first iteration
    live = live_run(client, job, 70)
    edited(client, job, 0, 2, 0, -1.0)
    edited(client, job, 1, 0, 3, 0.75)
    assert trace(client, job) == live[70]  # iteration 70 as it ran, before the edits
    assert trace(client, job)["weights"] != weights(client, job)
    client.patch(f"/api/jobs/{job}", json={"learning_rate": 0.05})
    live |= live_run(client, job, 40)
    edited(client, job, 1, 0, 0, 0.1)
    live |= live_run(client, job, 30)
    assert live[71]["weights"][1][0][3] != live[70]["weights"][1][0][3]  # trained from 0.75
    for n in [1, 2, 63, 64, 65, 70, 71, 72, 100, 110, 111, 128, 129, 140]:
        assert trace(client, job, n) == live[n], n
    losses = client.get(f"/api/jobs/{job}/history?from=1&to=140").json()["loss"]
    assert losses == [live[n]["loss"] for n in range(1, 141)]
    client.post(f"/api/jobs/{job}/reset")  # the run starts over: earlier edits are gone
    edited(client, job, 0, 0, 2, 3.0)
    again = live_run(client, job, 70)
    for n in (1, 64, 65, 70):
        assert trace(client, job, n) == again[n], n


def test_a_restart_keeps_the_edits_and_goes_on_exactly(tmp_path: Path) -> None:
    """After a restart: the same weights, traces and metrics, and the run goes on as one that
    never stopped (a twin on a server without a database)."""

    def run(client: KeyedClient, job: str, end: int) -> dict[int, dict[str, Any]]:
        live = live_run(client, job, 20)
        edited(client, job, 0, 0, 1, -0.5)
        live |= live_run(client, job, end - 20)
        return live

    settings = Settings(db_path=str(tmp_path / "p.db"))
    with app_client(settings=settings) as client:
        job = create(client, **SHUFFLED)["id"]
        live = run(client, job, 90)
        edited(client, job, 1, 0, 0, 0.25)  # the last event: after the last iteration
        view, keys = client.get(f"/api/jobs/{job}").json(), client.keyring.keys
    with app_client() as memory:
        twin = create(memory, **SHUFFLED)["id"]
        run(memory, twin, 90)
        edited(memory, twin, 1, 0, 0, 0.25)
        step(memory, twin, 50)
        reference = weights(memory, twin)
    with app_client(settings=settings) as client:
        client.keyring.keys.update(keys)
        back = client.get(f"/api/jobs/{job}").json()
        assert back["metrics"] == view["metrics"] and back["iteration"] == 90
        assert weights(client, job)[1][0][0] == 0.25
        for n in (1, 20, 21, 64, 65, 90):
            assert trace(client, job, n) == live[n], n
        step(client, job, 50)
        assert weights(client, job) == reference


def test_an_edit_is_one_of_the_events_a_run_can_replay(
    client: KeyedClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("backend.jobs.run.MAX_EVENTS", 3)
    job = create(client)["id"]
    edited(client, job, 0, 0, 0, 0.1)
    assert client.patch(f"/api/jobs/{job}", json={"learning_rate": 0.2}).status_code == 200
    edited(client, job, 0, 0, 0, 0.2)
    answer = patch(client, job, 0, 0, 0, 0.3)
    assert answer.status_code == 409 and "fork" in answer.json()["detail"]
    assert client.patch(f"/api/jobs/{job}", json={"learning_rate": 0.4}).status_code == 409
    assert weights(client, job)[0][0][0] == 0.2


def test_viewers_get_a_frame_with_the_new_weight() -> None:
    with live_server() as server:
        job = server.jobs.create(make_spec())
        with watch(server, job.id) as ws:
            receive(ws)  # the snapshot
            job.edit_weight(0, 1, 2, 4.0)  # no iteration has run: the status says it changed
            status = until(ws, lambda m: m["type"] == "status")[-1]
            assert StatusMessage.model_validate(status).job["metrics"]["iteration"] == 0
            job.step(iterations=5).result(timeout=WAIT)
            until(ws, lambda m: m["type"] == "frame" and m["iteration"] == 5)
            job.edit_weight(1, 1, 0, -2.0)
            got = until(ws, lambda m: m["type"] == "frame" and m.get("edited") is True)[-1]
            frame = FrameMessage.model_validate(got)
            assert frame.iteration == 5 and frame.weights[1][1][0] == -2.0
            assert frame.metrics is not None and got["metrics"] == job.view()["metrics"]
            assert got["weights"] == job.weights()
            job.step(iterations=1).result(timeout=WAIT)
            nxt = until(ws, lambda m: m["type"] == "frame" and m["iteration"] == 6)[-1]
            assert "edited" not in nxt
