"""training.regularization and regularization_rate through the API: stored and read back,
refused by name and limit, listed in /api/options, metrics.penalty against the weights, and a
job stored before the fields existed loads without a penalty."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from backend.api.app import create_app
from backend.config import Settings

from .support import KeyedClient, app_client, create, error_at, spec

BOUND = 10.0  # the published bound on λ


@pytest.fixture(scope="module")
def client() -> Any:
    with app_client() as c:
        yield c


def penalty_of(weights: list[list[list[float]]], kind: str, rate: float) -> float:
    """λR by a plain loop over W^1..W^L, column 0 (the bias) left out."""
    total = 0.0
    for w in weights:
        for row in w:
            for v in row[1:]:
                total += abs(v) if kind == "l1" else 0.5 * v * v
    return rate * total


def weights(client: TestClient, job: str) -> list[list[list[float]]]:
    layers: list[list[list[float]]] = client.get(f"/api/jobs/{job}/weights").json()["layers"]
    return layers


@pytest.mark.parametrize(("kind", "rate"), [("l1", 0.25), ("l2", 3.0), ("none", 0.0)])
def test_the_fields_round_trip(client: TestClient, kind: str, rate: float) -> None:
    """What POST /api/jobs takes is what the view and GET /api/jobs/{id} show."""
    view = create(client, training={"regularization": kind, "regularization_rate": rate})
    training = client.get(f"/api/jobs/{view['id']}").json()["spec"]["training"]
    for shown in (view["spec"]["training"], training):
        assert (shown["regularization"], shown["regularization_rate"]) == (kind, rate)


def test_the_defaults_are_no_penalty(client: TestClient) -> None:
    """Left out: "none" and λ = 0, and the metrics' penalty is 0.0."""
    view = create(client)
    training = view["spec"]["training"]
    assert (training["regularization"], training["regularization_rate"]) == ("none", 0.0)
    assert view["metrics"]["penalty"] == 0.0


@pytest.mark.parametrize(
    ("training", "field", "words"),
    [
        ({"regularization_rate": -0.1}, "regularization_rate", "greater than or equal to 0"),
        ({"regularization_rate": BOUND * 1.5}, "regularization_rate", "less than or equal to 10"),
        ({"regularization_rate": "0.1"}, "regularization_rate", "valid number"),
        ({"regularization": "l3"}, "regularization", "'none', 'l1' or 'l2'"),
        ({"regularization": None}, "regularization", "'none', 'l1' or 'l2'"),
    ],
)
def test_bad_values_are_refused_by_field_and_limit(
    client: TestClient, training: dict[str, Any], field: str, words: str
) -> None:
    """λ < 0, λ above the bound, a string, an unknown kind: a 422 at the field, with the limit."""
    response = client.post("/api/jobs", json=spec(training=training))
    assert words in error_at(response, ["body", "training", field])


def test_options_list_the_kinds_and_the_bound(client: TestClient) -> None:
    """/api/options: each kind with a description, λ's bound in the limits, the defaults."""
    options = client.get("/api/options").json()
    kinds = options["regularizations"]
    assert [k["name"] for k in kinds] == ["none", "l1", "l2"]
    assert all(isinstance(k["description"], str) and k["description"] for k in kinds)
    assert options["limits"]["max_regularization_rate"] == BOUND
    training = options["defaults"]["training"]
    assert (training["regularization"], training["regularization_rate"]) == ("none", 0.0)
    # the bound published is the one enforced
    at_bound = spec(training={"regularization": "l2", "regularization_rate": BOUND})
    assert client.post("/api/jobs", json=at_bound).status_code == 201


@pytest.mark.parametrize(("kind", "rate"), [("l1", 0.05), ("l2", 0.3)])
def test_metrics_penalty_is_lambda_r_of_the_weights(
    client: TestClient, kind: str, rate: float
) -> None:
    """metrics.penalty = λR of GET /weights, at the initial weights and after steps; the
    train loss is the data loss alone, as without a penalty at the same weights."""
    training = {"regularization": kind, "regularization_rate": rate, "batch_size": 3}
    view = create(client, training=training)
    job = view["id"]
    assert view["metrics"]["penalty"] == pytest.approx(
        penalty_of(weights(client, job), kind, rate), rel=1e-12
    )
    stepped = client.post(f"/api/jobs/{job}/step", json={"iterations": 40}).json()
    assert stepped["metrics"]["iteration"] == 40
    now = weights(client, job)
    assert stepped["metrics"]["penalty"] == pytest.approx(penalty_of(now, kind, rate), rel=1e-12)
    assert stepped["metrics"]["penalty"] != view["metrics"]["penalty"]
    # the same weights in a job without a penalty: the same train loss
    plain = create(client, network={"layers": [3, 5, 2], "weights": now})
    assert plain["metrics"]["train_loss"] == pytest.approx(
        stepped["metrics"]["train_loss"], rel=1e-12
    )


def test_a_penalty_trains_other_weights_than_none(client: TestClient) -> None:
    """The same job with and without L2 (λ = 0.5): the L2 one ends with smaller weights."""
    runs = []
    for kind in ("none", "l2"):
        training = {"regularization": kind, "regularization_rate": 0.5}
        job = create(client, training=training)["id"]
        client.post(f"/api/jobs/{job}/step", json={"iterations": 200})
        w = weights(client, job)
        runs.append(penalty_of(w, "l2", 1.0))
    assert runs[1] < runs[0]


def test_a_job_stored_before_the_fields_loads_without_a_penalty(tmp_path: Path) -> None:
    """A stored spec without the two fields (an older release's) comes back as none and 0."""
    path = str(tmp_path / "old.db")
    with KeyedClient(create_app(Settings(db_path=path))) as c:
        job = create(c)["id"]
        c.post(f"/api/jobs/{job}/step", json={"iterations": 10})
        keyring = c.keyring  # the job's key, for its owner's requests after the restart
    with sqlite3.connect(path) as db:
        (text,) = db.execute("SELECT spec FROM jobs WHERE id = ?", (job,)).fetchone()
        old = json.loads(text)
        del old["training"]["regularization"], old["training"]["regularization_rate"]
        db.execute("UPDATE jobs SET spec = ? WHERE id = ?", (json.dumps(old), job))
    with KeyedClient(create_app(Settings(db_path=path))) as c:
        c.keyring = keyring
        view = c.get(f"/api/jobs/{job}").json()
        training = view["spec"]["training"]
        assert (training["regularization"], training["regularization_rate"]) == ("none", 0.0)
        assert view["metrics"]["penalty"] == 0.0 and view["iteration"] == 10
        stepped = c.post(f"/api/jobs/{job}/step", json={"iterations": 5})
        assert stepped.status_code == 200 and stepped.json()["iteration"] == 15
