"""Who controls a job: its key (X-Job-Key) for every control, reads for everyone, fork, the
operator's key; and the lifecycle: a preview stores nothing, a full store evicts nothing."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from backend.api.snapshot import snapshot
from backend.config import Settings
from backend.jobs.limits import Limits

from .support import app_client, create, spec

CONTROLS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("PATCH", "", {"speed": 5.0}),
    ("POST", "/pause", None),
    ("POST", "/resume", None),
    ("POST", "/stop", None),
    ("POST", "/reset", None),
    ("POST", "/step", {"iterations": 2}),
    ("DELETE", "", None),
]
READS: list[tuple[str, str, dict[str, Any] | None]] = [
    ("GET", "", None),
    ("GET", "/weights", None),
    ("GET", "/history", None),
    ("GET", "/trace", None),
    ("GET", "/export", None),
    ("POST", "/predict", {"inputs": [[0.1, 0.2, 0.3]]}),
]


def trained(client: Any, **parts: Any) -> dict[str, Any]:
    """A paused job that ran 5 iterations."""
    job = create(client, **parts)
    assert client.post(f"/api/jobs/{job['id']}/step", json={"iterations": 5}).status_code == 200
    return job


@pytest.mark.parametrize(("method", "path", "body"), CONTROLS)
@pytest.mark.parametrize("key", [None, "wrong", ""])
def test_each_control_needs_the_key_and_a_refusal_changes_nothing(
    method: str, path: str, body: dict[str, Any] | None, key: str | None
) -> None:
    with app_client() as client:
        job = trained(client)
        before = client.get(f"/api/jobs/{job['id']}").json()
        headers = {"X-Job-Key": key} if key is not None else {}
        client.keyring.keys.clear()  # no key of its own: as another page would ask
        answer = client.request(method, f"/api/jobs/{job['id']}{path}", json=body, headers=headers)
        assert answer.status_code == 403, answer.text
        assert f"POST /api/jobs/{job['id']}/fork" in answer.json()["detail"]
        assert client.get(f"/api/jobs/{job['id']}").json() == before


@pytest.mark.parametrize(("method", "path", "body"), CONTROLS)
def test_each_control_works_with_the_key(
    method: str, path: str, body: dict[str, Any] | None
) -> None:
    with app_client() as client:
        job = trained(client)
        if path in ("/pause", "/stop"):
            client.post(f"/api/jobs/{job['id']}/resume")
        answer = client.request(method, f"/api/jobs/{job['id']}{path}", json=body)
        assert answer.status_code in (200, 204), answer.text


@pytest.mark.parametrize(("method", "path", "body"), READS)
def test_reads_are_open_to_everyone(method: str, path: str, body: dict[str, Any] | None) -> None:
    with app_client() as client:
        job = trained(client)
        client.keyring.keys.clear()
        answer = client.request(method, f"/api/jobs/{job['id']}{path}", json=body)
        assert answer.status_code == 200, answer.text
        assert client.get("/api/jobs").status_code == 200


def test_the_key_is_given_once_and_shown_nowhere_else(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    with app_client() as client:
        response = client.post("/api/jobs", json=spec())
        key = response.json()["key"]
        job_id = response.json()["id"]
        assert len(key) >= 22  # ≥ 128 random bits, url-safe base64
        client.post(f"/api/jobs/{job_id}/step", json={"iterations": 3})
        seen = [
            client.get(f"/api/jobs/{job_id}").text,
            client.get("/api/jobs").text,
            client.get(f"/api/jobs/{job_id}/export").text,
            client.get(f"/api/jobs/{job_id}/trace").text,
        ]
        job = client.app.state.jobs.get(job_id)  # type: ignore[attr-defined]
        seen.append(snapshot(job, lambda: None)[0])  # the stream's first message
    assert all(key not in text for text in seen)
    assert key not in caplog.text


def test_two_jobs_have_two_keys_and_one_does_not_open_the_other() -> None:
    with app_client() as client:
        first, second = create(client), create(client)
        key = client.keyring.keys[first["id"]]
        assert key != client.keyring.keys[second["id"]]
        answer = client.post(f"/api/jobs/{second['id']}/reset", headers={"X-Job-Key": key})
        assert answer.status_code == 403


def test_the_operators_key_controls_every_job() -> None:
    with app_client(settings=Settings(admin_key="operator-secret")) as client:
        job = trained(client)
        client.keyring.keys.clear()
        headers = {"X-Job-Key": "operator-secret"}
        assert client.post(f"/api/jobs/{job['id']}/reset", headers=headers).status_code == 200
        assert client.delete(f"/api/jobs/{job['id']}", headers=headers).status_code == 204
        assert client.get(f"/api/jobs/{job['id']}").status_code == 404


def test_fork_copies_spec_and_current_weights_into_a_job_of_ones_own() -> None:
    with app_client() as client:
        source = trained(client, training={"learning_rate": 0.3, "shuffle": True, "seed": 4})
        weights = client.get(f"/api/jobs/{source['id']}/weights").json()["layers"]
        client.keyring.keys.clear()
        answer = client.post(f"/api/jobs/{source['id']}/fork")
        assert answer.status_code == 201, answer.text
        fork = answer.json()
        assert fork["id"] != source["id"] and fork["key"]
        assert (fork["status"], fork["iteration"], fork["epoch"]) == ("paused", 0, 0)
        assert fork["spec"]["network"]["weights"] == weights
        assert fork["spec"]["training"] == source["spec"]["training"]
        assert client.get(f"/api/jobs/{fork['id']}/weights").json()["layers"] == weights
        stepped = client.post(f"/api/jobs/{fork['id']}/step", json={"iterations": 1})
        assert stepped.status_code == 200
        assert client.post(f"/api/jobs/{source['id']}/reset").status_code == 403
        assert client.get(f"/api/jobs/{source['id']}").json()["iteration"] == 5


def test_fork_of_an_unknown_job_is_a_404() -> None:
    with app_client() as client:
        assert client.post("/api/jobs/nope/fork").status_code == 404


def test_a_preview_stores_nothing_and_shows_what_a_job_would_start_from() -> None:
    with app_client(Limits(max_jobs=2)) as client:
        kept = [create(client)["id"], create(client)["id"]]  # the store is full
        for _ in range(50):
            answer = client.post("/api/preview", json=spec(training={"seed": 7}))
            assert answer.status_code == 200, answer.text
        preview = answer.json()
        assert [job["id"] for job in client.get("/api/jobs").json()] == kept
        assert preview["spec"]["training"]["seed"] == 7 and preview["dataset"]["rows"] == 6
        client.delete(f"/api/jobs/{kept[0]}")
        job = create(client, training={"seed": 7})
        assert client.get(f"/api/jobs/{job['id']}/weights").json()["layers"] == preview["weights"]


def test_a_preview_refuses_a_bad_spec_with_the_field() -> None:
    with app_client() as client:
        answer = client.post("/api/preview", json=spec(network={"layers": [3, 5, 4]}))
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"][:3] == ["body", "network", "layers"]


def test_a_full_store_refuses_new_jobs_and_deletes_none() -> None:
    with app_client(Limits(max_jobs=2)) as client:
        kept = [create(client)["id"], create(client)["id"]]  # untrained, unwatched
        answer = client.post("/api/jobs", json=spec())
        assert answer.status_code == 429
        assert "at most 2" in answer.json()["detail"]
        assert client.post(f"/api/jobs/{kept[0]}/fork").status_code == 429
        assert [job["id"] for job in client.get("/api/jobs").json()] == kept
