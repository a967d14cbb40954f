"""Data and cross-field checks of a job spec: inline rows, layer widths, loss pairing, limits."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from .support import app_client, error_at, spec


@pytest.fixture(scope="module")
def client() -> Any:
    with app_client() as c:
        yield c


@pytest.mark.parametrize("token", ["NaN", "Infinity", "-Infinity"])
def test_inline_data_must_be_finite(client: TestClient, token: str) -> None:
    text = '{"network": {"layers": [2, 2, 1]}, "dataset": {"inputs": [[1, X]], "targets": [[1]]}}'
    text = text.replace("X", token)
    response = client.post("/api/jobs", content=text, headers={"content-type": "application/json"})
    assert (
        error_at(response, ["body", "dataset", "inputs", 0, 1]) == "Input should be a finite number"
    )
    assert "input" not in response.json()["detail"][0]  # the bad value is not echoed back


def test_inline_rows_must_be_rectangular(client: TestClient) -> None:
    body = spec(
        network={"layers": [2, 2, 1]}, dataset={"inputs": [[1, 2], [3]], "targets": [[1], [0]]}
    )
    assert "row 1 has 1 columns, but row 0 has 2" in error_at(
        client.post("/api/jobs", json=body), ["body", "dataset", "inputs"]
    )


def test_inline_rows_and_targets_must_pair(client: TestClient) -> None:
    body = spec(network={"layers": [2, 2, 1]}, dataset={"inputs": [[1, 2]], "targets": [[1], [0]]})
    assert "rows" in error_at(client.post("/api/jobs", json=body), ["body", "dataset"])


def test_dataset_must_be_an_object(client: TestClient) -> None:
    assert "expected an object" in error_at(
        client.post("/api/jobs", json=spec(dataset=3)), ["body", "dataset"]
    )


@pytest.mark.parametrize(
    ("parts", "loc", "words"),
    [
        ({"network": {"layers": [2, 5, 2]}}, ["network", "layers", 0], "3 input columns"),
        ({"network": {"layers": [3, 5, 1]}}, ["network", "layers", 2], "2 target columns"),
        (
            {"network": {"layers": [3, 2, 1]}, "dataset": {"inputs": [[1, 2]], "targets": [[1]]}},
            ["network", "layers", 0],
            "2 input columns",
        ),
        (
            {"network": {"layers": [2, 2, 3]}, "dataset": {"inputs": [[1, 2]], "targets": [[1]]}},
            ["network", "layers", 2],
            "1 target columns",
        ),
    ],
)
def test_layers_must_match_the_dataset(
    client: TestClient, parts: dict[str, Any], loc: list[Any], words: str
) -> None:
    assert words in error_at(client.post("/api/jobs", json=spec(**parts)), ["body", *loc])


def test_derived_features_are_inputs(client: TestClient) -> None:
    dataset = {"name": "circle", "features": ["x1_x2", "sin_x1"]}
    response = client.post("/api/jobs", json=spec(network={"layers": [4, 3, 1]}, dataset=dataset))
    assert response.status_code == 201
    response = client.post("/api/jobs", json=spec(network={"layers": [2, 3, 1]}, dataset=dataset))
    assert "the dataset has 4 input columns" in error_at(response, ["body", "network", "layers", 0])


def test_features_need_a_2d_set(client: TestClient) -> None:
    response = client.post("/api/jobs", json=spec(dataset={"features": ["x1_x2"]}))
    assert "2-D sets" in error_at(response, ["body", "dataset", "features"])


def test_cross_entropy_needs_a_sigmoid_or_softmax_output(client: TestClient) -> None:
    body = spec(network={"output_activation": "linear"}, training={"loss": "cross_entropy"})
    assert "'sigmoid' or 'softmax'" in error_at(
        client.post("/api/jobs", json=body), ["body", "training", "loss"]
    )


def test_weights_must_have_the_layers_shapes(client: TestClient) -> None:
    weights = [[[0.0] * 4] * 5, [[0.0] * 5] * 2]  # W² needs 1 + 5 columns
    response = client.post("/api/jobs", json=spec(network={"weights": weights}))
    assert "expected [2, 6]" in error_at(response, ["body", "network", "weights", 1])


def test_weight_matrices_must_be_rectangular(client: TestClient) -> None:
    weights = [[[0.0] * 4] * 4 + [[0.0] * 3], [[0.0] * 6] * 2]
    response = client.post("/api/jobs", json=spec(network={"weights": weights}))
    assert "row 4 has 3 columns" in error_at(response, ["body", "network", "weights", 0])


def test_too_many_weights_is_refused(client: TestClient) -> None:
    body = spec(network={"layers": [2, 1024, 1024, 1024, 1]}, dataset={"name": "circle"})
    assert "exceed the limit" in error_at(
        client.post("/api/jobs", json=body), ["body", "network", "layers"]
    )


def test_too_many_iterations_is_refused(client: TestClient) -> None:
    body = spec(
        network={"layers": [2, 4, 1]},
        dataset={"name": "circle"},
        training={"mode": "sgd", "epochs": 10_000_000},
    )
    assert "1000000000 iterations" in error_at(
        client.post("/api/jobs", json=body), ["body", "training", "epochs"]
    )


def test_batch_buffers_are_bounded() -> None:
    """A wide network on a big full batch is refused at training.batch_size, not left to OOM."""
    from backend.jobs.builder import build
    from backend.jobs.errors import SpecError
    from backend.jobs.limits import Limits
    from backend.jobs.spec import JobSpec

    rows = [[0.0, 0.0]] * 2000
    spec = {
        "network": {
            "layers": [2, 1024, 1024, 1],
            "activation": "tanh",
            "output_activation": "linear",
            "weights": None,
        },
        "training": {
            "loss": "mse",
            "mode": "batch",
            "batch_size": 2,
            "learning_rate": 0.1,
            "epochs": 1,
            "tolerance": 0.0,
            "shuffle": False,
            "seed": 0,
        },
        "dataset": {"inputs": rows, "targets": [[0.0]] * 2000},
    }
    with pytest.raises(SpecError, match=r"training.batch_size: 2000 rows × 2051 neurons") as info:
        build(JobSpec.from_dict(spec), Limits())
    assert info.value.loc == ("training", "batch_size")
