"""A job's weights, history, predictions and trace, checked against the article's equations."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient

from .support import app_client, create, error_at, spec

# Figure 1's 3-5-2 network on two rows: W¹ (5, 1 + 3) and W² (2, 1 + 5), the bias in column 0.
RNG = np.random.default_rng(7)
W1 = RNG.uniform(-1.0, 1.0, (5, 4))
W2 = RNG.uniform(-1.0, 1.0, (2, 6))
X = np.array([[0.1, 0.6, 0.3], [0.9, 0.2, 0.5]])
T = np.array([[0.4, 0.8], [0.7, 0.1]])
ALPHA = 0.5


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Eq. (6)."""
    return 1.0 / (1.0 + np.exp(-z))


def with_one(v: np.ndarray) -> np.ndarray:
    """[1; v]: the leading 1 that multiplies the bias column."""
    return np.concatenate(([1.0], v))


def article_update(w1: np.ndarray, w2: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One batch iteration, sample by sample, as the article writes it; ℓ = ½ Σ_k |y_k − t_k|²."""
    dw1, dw2 = np.zeros_like(w1), np.zeros_like(w2)
    for x, t in zip(X, T, strict=True):  # Σ_k over the batch's samples
        x1 = with_one(x)
        y1 = sigmoid(w1 @ x1)  # z¹ = W¹ [1; x], y¹ = σ(z¹)
        y2 = sigmoid(w2 @ with_one(y1))  # z² = W² [1; y¹], y² = σ(z²)
        dl_dy2 = y2 - t
        dl_dz2 = dl_dy2 * y2 * (1.0 - y2)  # eq. (7)
        dw2 += np.outer(dl_dz2, with_one(y1))  # ∂ℓ/∂W² = ∂ℓ/∂z² [1; y¹]^T
        dl_dy1 = w2[:, 1:].T @ dl_dz2  # (W² without its bias column)^T ∂ℓ/∂z²
        dl_dz1 = dl_dy1 * y1 * (1.0 - y1)
        dw1 += np.outer(dl_dz1, x1)  # ∂ℓ/∂W¹ = ∂ℓ/∂z¹ [1; x]^T
    return w1 - ALPHA * dw1, w2 - ALPHA * dw2  # W := W − α ∂ℓ/∂W


def article_job(client: TestClient) -> str:
    """A paused 3-5-2 sigmoid job with W¹, W² given, batch mode on the two rows."""
    view = create(
        client,
        network={"weights": [W1.tolist(), W2.tolist()]},
        training={"mode": "batch", "loss": "half_sse", "learning_rate": ALPHA, "epochs": 10},
        dataset={"inputs": X.tolist(), "targets": T.tolist()},
    )
    job: str = view["id"]
    return job


@pytest.fixture
def client() -> Any:
    with app_client() as c:
        yield c


def test_weights_start_as_given(client: TestClient) -> None:
    layers = client.get(f"/api/jobs/{article_job(client)}/weights").json()["layers"]
    np.testing.assert_array_equal(layers[0], W1)
    np.testing.assert_array_equal(layers[1], W2)


def test_one_step_applies_the_article_update_rule(client: TestClient) -> None:
    job = article_job(client)
    view = client.post(f"/api/jobs/{job}/step", json={"iterations": 1}).json()
    assert (view["status"], view["epoch"], view["iteration"]) == ("paused", 1, 1)
    layers = client.get(f"/api/jobs/{job}/weights").json()["layers"]
    expected1, expected2 = article_update(W1, W2)
    np.testing.assert_allclose(layers[0], expected1, rtol=1e-12)
    np.testing.assert_allclose(layers[1], expected2, rtol=1e-12)
    # The loss is eq. (5) on the weights before the update.
    y2 = sigmoid(W2 @ np.vstack([np.ones(2), sigmoid(W1 @ np.vstack([np.ones(2), X.T]))]))
    np.testing.assert_allclose(view["loss"], 0.5 * np.sum((y2 - T.T) ** 2), rtol=1e-12)


def test_trace_holds_the_last_iteration(client: TestClient) -> None:
    job = article_job(client)
    response = client.get(f"/api/jobs/{job}/trace")
    assert response.status_code == 409
    assert "no iteration has run yet" in response.json()["detail"]
    client.post(f"/api/jobs/{job}/step", json={"iterations": 1})
    trace = client.get(f"/api/jobs/{job}/trace").json()
    assert (trace["type"], trace["job"], trace["iteration"], trace["epoch"]) == ("frame", job, 1, 0)
    assert trace["learning_rate"] == ALPHA and trace["rows"] == [0, 1]
    np.testing.assert_array_equal(trace["inputs"], X.T)  # a column per sample
    np.testing.assert_array_equal(trace["targets"], T.T)
    first, second = trace["layers"]
    y1 = sigmoid(W1 @ np.vstack([np.ones(2), X.T]))
    np.testing.assert_allclose(first["y"], y1, rtol=1e-12)
    np.testing.assert_allclose(second["dy"], np.asarray(second["y"]) - T.T, rtol=1e-12)
    expected1, expected2 = article_update(W1, W2)
    np.testing.assert_allclose(first["grad"], (W1 - expected1) / ALPHA, rtol=1e-9)
    np.testing.assert_allclose(second["grad"], (W2 - expected2) / ALPHA, rtol=1e-9)
    np.testing.assert_allclose(trace["weights"][1], expected2, rtol=1e-12)


def test_history_has_a_bucket_per_iteration_while_the_run_is_short(client: TestClient) -> None:
    job = create(client)["id"]
    client.post(f"/api/jobs/{job}/step", json={"iterations": 7})
    full = client.get(f"/api/jobs/{job}/history").json()
    assert (full["iterations"], full["width"], full["start"]) == (7, 1, 0)
    exact = client.get(f"/api/jobs/{job}/history", params={"from": 1, "to": 7}).json()
    assert exact == {"from": 1, "to": 7, "loss": full["first"]}
    assert full["first"] == full["last"] == full["min"] == full["max"] == full["mean"]
    assert full["last"][-1] == client.get(f"/api/jobs/{job}").json()["loss"]
    assert full["test"] == []


def test_history_takes_test_losses_at_epoch_ends(client: TestClient) -> None:
    """10 training rows in mini-batches of 2: an epoch every 5 iterations, a test loss each."""
    job = create(
        client,
        network={"layers": [2, 4, 1]},
        dataset={"name": "circle", "samples": 20, "test_fraction": 0.5},
    )["id"]
    view = client.post(f"/api/jobs/{job}/step", json={"iterations": 5}).json()
    test = client.get(f"/api/jobs/{job}/history").json()["test"]
    assert test == [[5, view["test_loss"]]]
    client.post(f"/api/jobs/{job}/step", json={"iterations": 12})
    test = client.get(f"/api/jobs/{job}/history").json()["test"]
    assert [i for i, _ in test] == [5, 10, 15]


def test_predict_is_the_forward_pass_of_the_current_weights(client: TestClient) -> None:
    job = article_job(client)
    client.post(f"/api/jobs/{job}/step", json={"iterations": 3})
    w1, w2 = (np.asarray(w) for w in client.get(f"/api/jobs/{job}/weights").json()["layers"])
    inputs = [[0.0, 0.0, 0.0], [1.0, -2.0, 0.5], [0.3, 0.3, 0.3]]
    response = client.post(f"/api/jobs/{job}/predict", json={"inputs": inputs})
    assert response.status_code == 200
    x = np.vstack([np.ones(3), np.asarray(inputs).T])
    expected = sigmoid(w2 @ np.vstack([np.ones(3), sigmoid(w1 @ x)])).T
    np.testing.assert_allclose(response.json()["outputs"], expected, rtol=1e-12)


@pytest.mark.parametrize(
    ("inputs", "loc", "words"),
    [
        ([[1.0, 2.0]], ["body", "inputs"], "inputs: expected shape (rows, 3), got [1, 2]"),
        ([], ["body", "inputs"], "at least 1 item"),
        ([[1.0, 2.0, 3.0], [1.0]], ["body", "inputs"], "row 1 has 1 columns"),
        ([[0.0, 0.0, 0.0]] * 10_001, ["body", "inputs"], "at most 10000 items"),
        ([[1.0, "2", 3.0]], ["body", "inputs", 0, 1], "valid number"),
    ],
)
def test_predict_inputs_are_validated(
    client: TestClient, inputs: Any, loc: list[Any], words: str
) -> None:
    job = create(client)["id"]
    response = client.post(f"/api/jobs/{job}/predict", json={"inputs": inputs})
    assert words in error_at(response, loc)


def test_predict_refuses_nan(client: TestClient) -> None:
    job = create(client)["id"]
    response = client.post(
        f"/api/jobs/{job}/predict",
        content='{"inputs": [[1, NaN, 3]]}',
        headers={"content-type": "application/json"},
    )
    assert error_at(response, ["body", "inputs", 0, 1]) == "Input should be a finite number"


def test_export_downloads_the_model_and_its_weights_start_a_new_job() -> None:
    """GET /export is a JSON file; its weights POSTed back give a job with exactly those weights."""
    with app_client() as client:
        job = client.post("/api/jobs", json=spec(start="paused")).json()["id"]
        client.post(f"/api/jobs/{job}/step", json={"iterations": 5})
        response = client.get(f"/api/jobs/{job}/export")
        assert response.status_code == 200
        assert "attachment" in response.headers["content-disposition"]
        model = response.json()
        assert model["format"] == "backprop-playground/1"
        assert model["weights"] == client.get(f"/api/jobs/{job}/weights").json()["layers"]
        assert model["initial_weights"] != model["weights"]
        assert model["history"]["iterations"] == 5 and model["job"]["iteration"] == 5
        again = {**model["spec"], "start": "paused"}
        again["network"] = {**again["network"], "weights": model["weights"]}
        copy = client.post("/api/jobs", json=again).json()["id"]
        assert client.get(f"/api/jobs/{copy}/weights").json()["layers"] == model["weights"]
        assert client.get("/api/jobs/nope/export").status_code == 404
