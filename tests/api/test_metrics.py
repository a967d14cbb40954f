"""The job's `metrics`: each row's loss on its own averaged over the whole set, and accuracy,
against an independent computation from POST /predict (and, for the history's metric points,
from the weights GET /trace gives), for each loss and output; in frames; softmax over one
output refused."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from fastapi.testclient import TestClient
from numpy.typing import NDArray

from backend.api.messages import FrameMessage
from backend.api.schemas.view import JobView
from backend.api.schemas.wire import LossHistory
from tests.server import live_server

from .support import KeyedClient, app_client, error_at, spec, wait_for
from .test_stream import WAIT, make_spec, receive, until, watch

Rows = NDArray[np.float64]
INLINE_TEST = {  # a regression with test rows: y = x1 − x2 / 2 and its square
    "inputs": [[0.1 * i, 0.3 * ((i * 7) % 5)] for i in range(12)],
    "targets": [[0.1 * i - 0.15 * ((i * 7) % 5), (0.1 * i) ** 2] for i in range(12)],
    "test_inputs": [[0.05 + 0.2 * i, 0.3 * (i % 4)] for i in range(5)],
    "test_targets": [[0.05 + 0.2 * i - 0.15 * (i % 4), (0.05 + 0.2 * i) ** 2] for i in range(5)],
}

# loss, output activation, layers, dataset, whether it is a classification.
CASES: dict[str, tuple[str, str, list[int], dict[str, Any], bool]] = {
    "half_sse, sigmoid, 1 output, test rows": (
        "half_sse", "sigmoid", [2, 4, 1],
        {"name": "xor", "samples": 60, "test_fraction": 0.25}, True,
    ),
    "mse, sigmoid, 2 outputs, test rows": (
        "mse", "sigmoid", [2, 5, 2],
        {"name": "circle", "samples": 50, "test_fraction": 0.2}, True,
    ),
    "cross_entropy, softmax, 2 outputs, test rows": (
        "cross_entropy", "softmax", [2, 4, 2],
        {"name": "xor", "samples": 40, "test_fraction": 0.25}, True,
    ),
    "cross_entropy, sigmoid, 1 output, no test rows": (
        "cross_entropy", "sigmoid", [2, 3, 1], {"name": "circle", "samples": 30}, True,
    ),
    "half_sse, linear, no test rows": ("half_sse", "linear", [3, 5, 2], {"name": "article"}, False),
    "mse, linear, inline with test rows": ("mse", "linear", [2, 6, 2], INLINE_TEST, False),
    "half_sse, sigmoid, 2 outputs not classes": (
        "half_sse", "sigmoid", [3, 5, 2], {"name": "article"}, False,
    ),
}  # fmt: skip


def job_spec(case: str) -> dict[str, Any]:
    loss, output, layers, dataset, _ = CASES[case]
    return spec(
        network={"layers": layers, "activation": "tanh", "output_activation": output},
        training={"loss": loss, "batch_size": 4, "learning_rate": 0.2, "seed": 3, "epochs": 10**4},
        dataset=dataset,
    )


def rows(client: TestClient, body: dict[str, Any]) -> dict[str, Rows]:
    """The job's training and test rows: inline as given, a named set as GET /datasets gives
    it for the same parameters and seed (the protocol's promise)."""
    data, layers = body["dataset"], body["network"]["layers"]
    if "inputs" not in data:
        query = {k: v for k, v in data.items() if k != "name"}
        query |= {"seed": body["training"]["seed"], "n_outputs": layers[-1]}
        answer = client.get(f"/api/datasets/{data['name']}", params=query)
        assert answer.status_code == 200, answer.text
        data = answer.json()
    width = {"inputs": layers[0], "targets": layers[-1]}
    return {
        key: np.array(data.get(key) or [], dtype=float).reshape(-1, width[key.split("_")[-1]])
        for key in ("inputs", "targets", "test_inputs", "test_targets")
    }


def per_row(loss: str, output: str, y: Rows, t: Rows) -> Rows:
    """Each row's loss on its own, (rows,): the article's ½ Σ_j (y_j − t_j)² for half_sse."""
    if loss == "half_sse":
        return 0.5 * ((y - t) ** 2).sum(axis=1)
    if loss == "mse":
        return ((y - t) ** 2).mean(axis=1)
    log_y = np.maximum(np.log(y), -100.0)
    if output == "softmax":
        return -(t * log_y).sum(axis=1)
    log_1y = np.maximum(np.log(1.0 - y), -100.0)
    return -(t * log_y + (1.0 - t) * log_1y).mean(axis=1)


def accuracy(y: Rows, t: Rows) -> float:
    if y.shape[1] == 1:
        return float(np.mean((y[:, 0] >= 0.5) == (t[:, 0] >= 0.5)))
    return float(np.mean(np.argmax(y, axis=1) == np.argmax(t, axis=1)))


def expected(case: str, data: dict[str, Rows], outputs: Any) -> dict[str, float | None]:
    """The metrics computed here from outputs(x) for each split (None where there is none)."""
    loss, output, _, _, classes = CASES[case]
    want: dict[str, float | None] = {}
    for split, x, t in (("train", "inputs", "targets"), ("test", "test_inputs", "test_targets")):
        if not len(data[x]):
            want[f"{split}_loss"] = want[f"{split}_accuracy"] = None
            continue
        y = outputs(data[x])
        want[f"{split}_loss"] = float(per_row(loss, output, y, data[t]).mean())
        want[f"{split}_accuracy"] = accuracy(y, data[t]) if classes else None
    return want


def predicted(client: TestClient, job_id: str) -> Any:
    def outputs(x: Rows) -> Rows:
        answer = client.post(f"/api/jobs/{job_id}/predict", json={"inputs": x.tolist()})
        assert answer.status_code == 200, answer.text
        return np.array(answer.json()["outputs"], dtype=float)

    return outputs


def close(got: dict[str, Any], want: dict[str, float | None]) -> None:
    for key, value in want.items():
        if value is None:
            assert got[key] is None, key
        else:
            assert got[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


def check_view(client: TestClient, case: str, data: dict[str, Rows], view: dict[str, Any]) -> None:
    fields = {k: v for k, v in view.items() if k != "key"}  # a new job's answer has its key
    metrics = JobView.model_validate(fields).metrics.model_dump()
    assert (metrics["iteration"], metrics["epoch"]) == (view["iteration"], view["epoch"])
    close(metrics, expected(case, data, predicted(client, view["id"])))
    assert view["test_loss"] == metrics["test_loss"]


@pytest.fixture(scope="module")
def client() -> Any:
    with app_client() as c:
        yield c


@pytest.mark.parametrize("case", list(CASES))
def test_metrics_at_the_start_after_steps_and_after_a_pause(client: KeyedClient, case: str) -> None:
    body = job_spec(case)
    view = client.post("/api/jobs", json=body).json()
    data = rows(client, body)
    check_view(client, case, data, view)  # iteration 0: the initial weights
    job = view["id"]
    view = client.post(f"/api/jobs/{job}/step", json={"iterations": 37}).json()
    assert view["metrics"]["iteration"] == 37
    check_view(client, case, data, view)
    client.patch(f"/api/jobs/{job}", json={"speed": 2000.0})
    client.post(f"/api/jobs/{job}/resume")
    wait_for(client, job, lambda v: v["iteration"] > 100)
    view = client.post(f"/api/jobs/{job}/pause").json()
    assert view["status"] == "paused" and view["metrics"]["iteration"] == view["iteration"]
    check_view(client, case, data, view)
    assert client.get(f"/api/jobs/{job}").json()["metrics"] == view["metrics"]


def forward(weights: list[list[list[float]]], output: str, x: Rows) -> Rows:
    """Eqs. (1)–(2) here, from the article-form weights: tanh hidden layers."""
    y = x.T
    for i, w in enumerate(np.array(m, dtype=float) for m in weights):
        z = w[:, 1:] @ y + w[:, :1]
        if i < len(weights) - 1:
            y = np.tanh(z)
        elif output == "sigmoid":
            y = 1.0 / (1.0 + np.exp(-z))
        elif output == "softmax":
            e = np.exp(z - z.max(axis=0))
            y = e / e.sum(axis=0)
        else:
            y = z
    return np.asarray(y.T)


@pytest.mark.parametrize(
    "case", ["cross_entropy, softmax, 2 outputs, test rows", "half_sse, linear, no test rows"]
)
def test_the_historys_metric_points_are_of_the_weights_at_their_iterations(
    client: KeyedClient, case: str
) -> None:
    """Each point [iteration, train loss, test loss, train accuracy, test accuracy] at an
    epoch's end, as computed here from that iteration's weights; `test` its test losses."""
    body = job_spec(case)
    job = client.post("/api/jobs", json=body).json()["id"]
    client.post(f"/api/jobs/{job}/step", json={"iterations": 300})
    history = LossHistory.model_validate(client.get(f"/api/jobs/{job}/history").json())
    data, output = rows(client, body), CASES[case][1]
    per_epoch = -(-len(data["inputs"]) // 4)
    points = history.metrics
    assert [p[0] for p in points] == list(range(per_epoch, 301, per_epoch))  # width 1: each
    assert history.test == ([(p[0], p[2]) for p in points] if len(data["test_inputs"]) else [])
    for point in (points[0], points[len(points) // 2], points[-1]):
        weights = client.get(f"/api/jobs/{job}/trace?iteration={point[0]}").json()["weights"]
        want = expected(case, data, lambda x, w=weights: forward(w, output, x))
        names = ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
        got = dict(zip(names, point[1:], strict=True))
        close(got, want)


def frame_of(iteration: int) -> Any:
    return lambda m: m["type"] == "frame" and m["iteration"] == iteration


def test_history_chunks_carry_the_metric_points() -> None:
    """A viewer that applies every chunk from `test_start` holds the server's metric points."""
    with live_server() as server:
        job = server.jobs.create(
            make_spec((2, 4, 1), dataset="xor", epochs=1000, test_fraction=0.5)
        )
        with watch(server, job.id) as ws:
            receive(ws)  # the snapshot: no point yet
            held: list[Any] = []
            for size in (120, 7, 300):
                job.step(iterations=size).result(timeout=WAIT)
                for m in until(ws, frame_of(job.view()["iteration"])):
                    if m["type"] == "history":
                        held = held[: m["test_start"]] + m["metrics"]
            wire = job.history.wire()["metrics"]
            assert held == wire and [p[0] for p in wire] == list(range(50, 401, 50))


def test_frames_carry_the_newest_metrics() -> None:
    with live_server() as server:
        job = server.jobs.create(make_spec(speed=3000.0))
        with watch(server, job.id) as ws:
            assert receive(ws)["job"]["metrics"]["iteration"] == 0
            job.resume()
            frames = [m for m in until(ws, lambda m: m["type"] == "frame") if m["type"] == "frame"]
            for message in frames:
                frame = FrameMessage.model_validate(message)
                assert frame.metrics is not None and frame.metrics.iteration <= frame.iteration
                assert frame.metrics.iteration % 3 == 0  # an epoch's end (3 batches), or 0
            job.pause()
            at = job.view()["iteration"]
            last = until(ws, frame_of(at))[-1]
            assert last["metrics"] == job.view()["metrics"]  # measured where it stopped
            assert last["metrics"]["iteration"] == at


@pytest.mark.parametrize("path", ["/api/jobs", "/api/preview"])
def test_softmax_over_one_output_is_refused(client: KeyedClient, path: str) -> None:
    jobs = len(client.get("/api/jobs").json())
    for dataset in ({"name": "xor"}, {"inputs": [[0.0], [1.0]], "targets": [[0.0], [1.0]]}):
        layers = [2, 3, 1] if "name" in dataset else [1, 3, 1]
        body = spec(network={"layers": layers, "output_activation": "softmax"}, dataset=dataset)
        message = error_at(client.post(path, json=body), ["body", "network", "output_activation"])
        assert "softmax" in message and "always 1" in message and "sigmoid" in message
    assert len(client.get("/api/jobs").json()) == jobs  # nothing stored
