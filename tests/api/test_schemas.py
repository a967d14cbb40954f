"""The job spec and the other request bodies: defaults, bounds, names and unknown fields → 422."""

from __future__ import annotations

from typing import Any, get_args

import pytest
from fastapi.testclient import TestClient

from backend.api.schemas import choices
from backend.api.schemas.spec import JobSpec, default_spec
from backend.engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from backend.engine.batching import MODES
from backend.engine.datasets import DATASETS, FEATURES
from backend.engine.losses import LOSS_NAMES
from backend.jobs.job import ENDED

from .support import app_client, error_at, invalid, spec

ARTICLE_DEFAULTS = {
    "network": {
        "layers": [3, 5, 2],
        "activation": "sigmoid",
        "output_activation": "sigmoid",
        "weights": None,
    },
    "training": {
        "loss": "half_sse",
        "mode": "minibatch",
        "batch_size": 2,
        "learning_rate": 0.5,
        "epochs": 1000,
        "tolerance": 0.0,
        "shuffle": False,
        "seed": 0,
        "regularization": "none",
        "regularization_rate": 0.0,
    },
    "dataset": {
        "name": "article",
        "samples": 200,
        "noise": 0.0,
        "test_fraction": 0.0,
        "features": None,
    },
    "start": "running",
    "speed": None,
}


@pytest.fixture(scope="module")
def client() -> Any:
    with app_client() as c:
        yield c


def test_only_layers_is_required_and_defaults_fill_the_stored_spec(client: TestClient) -> None:
    response = client.post("/api/jobs", json={"network": {"layers": [3, 5, 2]}, "start": "paused"})
    assert response.status_code == 201
    assert response.json()["spec"] == {**ARTICLE_DEFAULTS, "start": "paused"}
    assert default_spec() == ARTICLE_DEFAULTS
    assert (
        JobSpec.model_validate({"network": {"layers": [3, 5, 2]}}).model_dump() == ARTICLE_DEFAULTS
    )


def test_choices_are_the_registries() -> None:
    assert get_args(choices.HiddenActivation) == HIDDEN_ACTIVATIONS
    assert get_args(choices.OutputActivation) == OUTPUT_ACTIVATIONS
    assert get_args(choices.LossName) == LOSS_NAMES
    assert get_args(choices.ModeName) == tuple(MODES)
    assert get_args(choices.DatasetName) == tuple(DATASETS)
    assert get_args(choices.FeatureName) == tuple(FEATURES)
    assert set(get_args(choices.Status)) == {"paused", "running", *ENDED}


BOUNDS = [
    # (section, field, value, loc after "body", words the message must contain)
    ("training", "learning_rate", 0, ["training", "learning_rate"], "greater than 0"),
    (
        "training",
        "learning_rate",
        1e9,
        ["training", "learning_rate"],
        "less than or equal to 1000000",
    ),
    ("training", "learning_rate", -0.1, ["training", "learning_rate"], "greater than 0"),
    ("training", "epochs", 0, ["training", "epochs"], "greater than or equal to 1"),
    ("training", "epochs", 10**9 + 1, ["training", "epochs"], "less than or equal to 1000000000"),
    ("training", "batch_size", 0, ["training", "batch_size"], "greater than or equal to 1"),
    ("training", "batch_size", 10_001, ["training", "batch_size"], "less than or equal to 10000"),
    ("training", "tolerance", -1e-9, ["training", "tolerance"], "greater than or equal to 0"),
    ("training", "tolerance", 1001, ["training", "tolerance"], "less than or equal to 1000"),
    ("training", "seed", -1, ["training", "seed"], "greater than or equal to 0"),
    ("training", "seed", 2**32, ["training", "seed"], "less than or equal to 4294967295"),
    ("dataset", "samples", 0, ["dataset", "samples"], "greater than or equal to 1"),
    ("dataset", "samples", 5001, ["dataset", "samples"], "less than or equal to 5000"),
    ("dataset", "noise", 1.5, ["dataset", "noise"], "less than or equal to 1"),
    ("dataset", "noise", -0.5, ["dataset", "noise"], "greater than or equal to 0"),
    ("dataset", "test_fraction", 0.95, ["dataset", "test_fraction"], "less than or equal to 0.9"),
    ("network", "layers", [3, 0, 2], ["network", "layers", 1], "greater than or equal to 1"),
    ("network", "layers", [3, 1025, 2], ["network", "layers", 1], "less than or equal to 1024"),
    ("network", "layers", [3] * 13, ["network", "layers"], "at most 12 items"),
    ("network", "layers", [3], ["network", "layers"], "at least 2 items"),
    ("network", "layers", [], ["network", "layers"], "at least 2 items"),
]


@pytest.mark.parametrize(("section", "field", "value", "loc", "words"), BOUNDS)
def test_bounds(
    client: TestClient, section: str, field: str, value: Any, loc: list[Any], words: str
) -> None:
    response = client.post("/api/jobs", json=spec(**{section: {field: value}}))
    assert words in error_at(response, ["body", *loc])


@pytest.mark.parametrize(
    ("speed", "words"), [(0, "greater than 0"), (10_001, "less than or equal to 10000")]
)
def test_speed_bounds(client: TestClient, speed: float, words: str) -> None:
    assert words in error_at(client.post("/api/jobs", json=spec(speed=speed)), ["body", "speed"])


@pytest.mark.parametrize(
    ("section", "field", "valid"),
    [
        ("network", "activation", HIDDEN_ACTIVATIONS),
        ("network", "output_activation", OUTPUT_ACTIVATIONS),
        ("training", "loss", LOSS_NAMES),
        ("training", "mode", tuple(MODES)),
        ("dataset", "name", tuple(DATASETS)),
    ],
)
def test_unknown_names_list_the_valid_ones(
    client: TestClient, section: str, field: str, valid: tuple[str, ...]
) -> None:
    message = error_at(
        client.post("/api/jobs", json=spec(**{section: {field: "nope"}})), ["body", section, field]
    )
    assert all(f"'{name}'" in message for name in valid), message


def test_softmax_is_refused_on_hidden_layers(client: TestClient) -> None:
    response = client.post("/api/jobs", json=spec(network={"activation": "softmax"}))
    assert "'sigmoid'" in error_at(response, ["body", "network", "activation"])


def test_unknown_feature_names_the_item(client: TestClient) -> None:
    body = spec(
        network={"layers": [3, 4, 1]}, dataset={"name": "circle", "features": ["x1_x2", "nope"]}
    )
    assert "'sin_x1'" in error_at(
        client.post("/api/jobs", json=body), ["body", "dataset", "features", 1]
    )


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"network": {"layers": [3, 5, 2]}, "colour": "red"}, ["body", "colour"]),
        ({"network": {"layers": [3, 5, 2], "bias": True}}, ["body", "network", "bias"]),
        (
            {"network": {"layers": [3, 5, 2]}, "training": {"momentum": 0.9}},
            ["body", "training", "momentum"],
        ),
        (
            {"network": {"layers": [3, 5, 2]}, "dataset": {"name": "article", "rows": 3}},
            ["body", "dataset", "rows"],
        ),
        (
            {
                "network": {"layers": [1, 1]},
                "dataset": {"inputs": [[1]], "targets": [[1]], "name": "article"},
            },
            ["body", "dataset", "name"],
        ),
    ],
)
def test_unknown_fields_are_refused_at_every_level(
    client: TestClient, body: dict[str, Any], loc: list[str]
) -> None:
    assert "Extra inputs are not permitted" in error_at(client.post("/api/jobs", json=body), loc)


@pytest.mark.parametrize(
    ("section", "field", "value"),
    [
        ("training", "learning_rate", "0.5"),
        ("training", "epochs", 2.5),
        ("training", "epochs", True),
        ("training", "shuffle", 1),
        ("network", "layers", ["3", 5, 2]),
    ],
)
def test_wrong_types_are_refused_not_coerced(
    client: TestClient, section: str, field: str, value: Any
) -> None:
    errors = invalid(client.post("/api/jobs", json=spec(**{section: {field: value}})))
    assert errors[0]["loc"][:3] == ["body", section, field]


def test_network_is_required(client: TestClient) -> None:
    assert error_at(client.post("/api/jobs", json={}), ["body", "network"]) == "Field required"


def test_malformed_json_is_a_422(client: TestClient) -> None:
    response = client.post(
        "/api/jobs", content=b'{"network": ', headers={"content-type": "application/json"}
    )
    assert invalid(response)[0]["type"] == "json_invalid"
