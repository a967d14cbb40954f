"""GET /api/datasets/{name}: a registry set's rows for a preview; 404 and 422 for bad requests."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from backend.engine.datasets import DATASETS, make_dataset

from .support import app_client, error_at


@pytest.fixture(scope="module")
def client() -> Any:
    with app_client() as c:
        yield c


@pytest.mark.parametrize("name", list(DATASETS))
def test_every_registry_set(client: TestClient, name: str) -> None:
    response = client.get(f"/api/datasets/{name}", params={"samples": 10})
    assert response.status_code == 200
    body = response.json()
    info = DATASETS[name]
    assert (body["name"], body["kind"]) == (name, info.kind)
    inputs, targets = np.asarray(body["inputs"]), np.asarray(body["targets"])
    assert inputs.shape == (info.fixed_rows or 10, info.n_inputs)
    assert targets.shape == (len(inputs), info.outputs[0])
    assert len(body["feature_names"]) == info.n_inputs
    assert len(body["target_names"]) == info.outputs[0]
    assert body["test_inputs"] == [] and body["test_targets"] == []


def test_parameters_reach_the_generator(client: TestClient) -> None:
    params: dict[str, Any] = {
        "samples": 40,
        "noise": 0.25,
        "test_fraction": 0.25,
        "seed": 3,
        "features": ["x1_x2", "sin_x1"],
        "n_outputs": 2,
    }
    body = client.get("/api/datasets/circle", params=params).json()
    expected = make_dataset("circle", **params)
    assert body["feature_names"] == ["x1", "x2", "x1·x2", "sin x1"]
    assert body["target_names"] == ["class 0", "class 1"]
    np.testing.assert_array_equal(body["inputs"], expected.inputs)
    np.testing.assert_array_equal(body["targets"], expected.targets)
    np.testing.assert_array_equal(body["test_inputs"], expected.test_inputs)
    assert (len(body["inputs"]), len(body["test_targets"])) == (30, 10)


def test_unknown_name_is_404(client: TestClient) -> None:
    response = client.get("/api/datasets/mnist")
    assert response.status_code == 404
    assert "no dataset named 'mnist'" in response.json()["detail"]


@pytest.mark.parametrize(
    ("name", "params", "field", "words"),
    [
        ("circle", {"samples": 0}, "samples", "greater than or equal to 1"),
        ("circle", {"samples": 5001}, "samples", "less than or equal to 5000"),
        ("circle", {"noise": 2}, "noise", "less than or equal to 1"),
        ("circle", {"noise": "nan"}, "noise", "finite number"),
        ("circle", {"test_fraction": 0.95}, "test_fraction", "less than or equal to 0.9"),
        ("circle", {"seed": -1}, "seed", "greater than or equal to 0"),
        ("circle", {"seed": 2**32}, "seed", "less than or equal to 4294967295"),
        ("circle", {"features": ["x3"]}, ("features", 0), "'x1_squared'"),
        ("circle", {"n_outputs": 3}, "n_outputs", "n_outputs must be 1 or 2 for 'circle'"),
        ("article", {"features": ["x1_x2"]}, "features", "only to the 2-D sets"),
        ("article", {"test_fraction": 0.5}, "test_fraction", "must be 0 for 'article'"),
        ("circle", {"colour": "red"}, "colour", "Extra inputs are not permitted"),
    ],
)
def test_bad_parameters_are_422(
    client: TestClient, name: str, params: dict[str, Any], field: str | tuple[str, int], words: str
) -> None:
    response = client.get(f"/api/datasets/{name}", params=params)
    loc = ["query", *field] if isinstance(field, tuple) else ["query", field]
    assert words in error_at(response, loc)
