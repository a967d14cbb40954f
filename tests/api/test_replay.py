"""Replay: GET /trace?iteration=N is iteration N exactly as it was trained (also after a
restart), and GET /history's buckets and exact ranges agree with the losses of the run."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.sync.client import connect

from backend.api.schemas.wire import ExactLosses, Frame, LossHistory
from backend.config import Settings
from tests.server import live_server

from .support import KeyedClient, app_client, create, spec

SHUFFLED = {
    "training": {"mode": "minibatch", "batch_size": 4, "shuffle": True, "seed": 11},
    "dataset": {"name": "xor", "samples": 60, "test_fraction": 0.25},
    "network": {"layers": [2, 4, 1], "activation": "tanh"},
}


def step(client: KeyedClient, job_id: str, iterations: int) -> None:
    answer = client.post(f"/api/jobs/{job_id}/step", json={"iterations": iterations})
    assert answer.status_code == 200, answer.text


def trace(client: KeyedClient, job_id: str, iteration: int | None = None) -> dict[str, Any]:
    query = "" if iteration is None else f"?iteration={iteration}"
    answer = client.get(f"/api/jobs/{job_id}/trace{query}")
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


def record_live(client: KeyedClient, job_id: str, iterations: int) -> dict[int, dict[str, Any]]:
    """Each iteration's trace as it was live: step one, read /trace."""
    live = {}
    for _ in range(iterations):
        step(client, job_id, 1)
        frame = trace(client, job_id)
        live[frame["iteration"]] = frame
    return live


def test_every_past_iteration_replays_bit_for_bit_across_keyframes_and_changes_of_alpha() -> None:
    """Shuffled mini-batches with a test set; α changed twice; 300 iterations span several
    keyframes (every 64): each replayed trace equals the live one, every number."""
    with app_client() as client:
        job = create(client, **SHUFFLED)
        live = record_live(client, job["id"], 100)
        client.patch(f"/api/jobs/{job['id']}", json={"learning_rate": 0.05})
        live |= record_live(client, job["id"], 100)
        client.patch(f"/api/jobs/{job['id']}", json={"learning_rate": 0.9})
        live |= record_live(client, job["id"], 100)
        order = list(live)
        random.Random(5).shuffle(order)
        for n in [*order[:80], 1, 64, 65, 100, 101, 300]:
            assert trace(client, job["id"], n) == live[n], n
        Frame.model_validate(live[300])


def test_replay_after_a_restart_equals_the_live_run(tmp_path: Path) -> None:
    settings = Settings(db_path=str(tmp_path / "p.db"))
    with app_client(settings=settings) as client:
        job = create(client, **SHUFFLED)
        live = record_live(client, job["id"], 150)
        keys = client.keyring.keys
    with app_client(settings=settings) as client:
        client.keyring.keys.update(keys)
        assert trace(client, job["id"]) == live[150]  # the last, though no record is live
        for n in (1, 2, 63, 64, 65, 129, 149):
            assert trace(client, job["id"], n) == live[n]
        step(client, job["id"], 1)  # and it trains on from there
        assert trace(client, job["id"])["iteration"] == 151


def test_a_finished_job_answers_its_last_iteration_and_out_of_range_is_refused() -> None:
    with app_client() as client:
        job = create(client, training={"epochs": 4, "batch_size": 2})  # 3 iterations an epoch
        assert client.get(f"/api/jobs/{job['id']}/trace").status_code == 409
        client.post(f"/api/jobs/{job['id']}/resume")
        for _ in range(200):
            if client.get(f"/api/jobs/{job['id']}").json()["status"] == "finished":
                break
        assert trace(client, job["id"])["iteration"] == 12
        assert client.get(f"/api/jobs/{job['id']}/trace?iteration=13").status_code == 404
        assert client.get(f"/api/jobs/{job['id']}/trace?iteration=0").status_code == 422
        assert client.get(f"/api/jobs/{job['id']}/trace?iteration=x").status_code == 422


def test_a_reset_starts_the_replayed_run_over() -> None:
    with app_client() as client:
        job = create(client, **SHUFFLED)
        record_live(client, job["id"], 70)
        client.patch(f"/api/jobs/{job['id']}", json={"learning_rate": 0.2})
        client.post(f"/api/jobs/{job['id']}/reset")
        live = record_live(client, job["id"], 70)
        assert all(trace(client, job["id"], n) == live[n] for n in (1, 33, 64, 65, 70))


def test_history_buckets_agree_with_exact_losses_recomputed_by_replay() -> None:
    """2,500 iterations: buckets of width 4 (≤ 1024 of them); each sampled bucket's first,
    last, min, max and mean equal those of the exact losses replayed for its range."""
    with app_client() as client:
        job = create(client, **SHUFFLED)
        step(client, job["id"], 2500)
        history = client.get(f"/api/jobs/{job['id']}/history").json()
        LossHistory.model_validate(history)
        assert (history["iterations"], history["width"]) == (2500, 4)
        assert len(history["mean"]) == 625
        for k in (0, 1, 300, 624):
            first, last = k * 4 + 1, min(k * 4 + 4, 2500)
            answer = client.get(f"/api/jobs/{job['id']}/history?from={first}&to={last}")
            exact = ExactLosses.model_validate(answer.json()).loss
            assert exact[0] == history["first"][k] and exact[-1] == history["last"][k]
            assert (min(exact), max(exact)) == (history["min"][k], history["max"][k])
            assert history["mean"][k] == pytest.approx(sum(exact) / len(exact), rel=1e-12)
        assert len(history["test"]) > 0


@pytest.mark.parametrize(
    ("query", "status"),
    [("from=1", 422), ("to=5", 422), ("from=5&to=4", 422), ("from=1&to=70000", 422),
     ("from=10&to=200", 404), ("from=0&to=3", 422)],
)
def test_exact_ranges_out_of_bounds_are_refused(query: str, status: int) -> None:
    with app_client() as client:
        job = create(client)
        step(client, job["id"], 100)
        assert client.get(f"/api/jobs/{job['id']}/history?{query}").status_code == status


def test_the_snapshot_and_history_stay_small_however_long_the_run() -> None:
    """300,000 iterations of 3-5-2 on a real server: the history is ≤ 1024 buckets and the
    stream's snapshot, with the last iteration's trace, < 256 KB."""
    with live_server() as server:
        created = httpx.post(server.url("/api/jobs"), json=spec(training={"epochs": 10**6}))
        job_id, key = created.json()["id"], created.json()["key"]
        for _ in range(3):
            answer = httpx.post(
                server.url(f"/api/jobs/{job_id}/step"),
                json={"iterations": 100_000},
                headers={"X-Job-Key": key},
                timeout=60,
            )
            assert answer.status_code == 200, answer.text
        history = httpx.get(server.url(f"/api/jobs/{job_id}/history")).json()
        assert history["iterations"] == 300_000 and len(history["mean"]) <= 1024
        with connect(server.ws_url(f"/api/jobs/{job_id}/stream"), max_size=None) as ws:
            text = ws.recv(timeout=30)
        assert isinstance(text, str) and len(text.encode()) < 256 * 1024
        message = json.loads(text)
        assert message["trace"]["iteration"] == 300_000
        assert message["history"]["iterations"] == 300_000
