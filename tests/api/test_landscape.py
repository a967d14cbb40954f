"""GET /api/jobs/{id}/landscape through the app: the grid's shape and axes, the centre against the
job's metrics.train_loss, a corner against a forward pass of GET /weights written here, the path
ending at GET /weights, and the refusals (422 naming the field and the limit, 404)."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from .support import SLOW, KeyedClient, app_client, create, error_at, spec
from .test_metrics import forward, rows

# loss, output, layers, data set (with test rows: the landscape is of the training rows only)
CASES = {
    "half_sse, linear, the article": ("half_sse", "linear", [3, 5, 2], {"name": "article"}),
    "cross_entropy, softmax, test rows": (
        "cross_entropy", "softmax", [2, 4, 3, 2],
        {"name": "xor", "samples": 40, "test_fraction": 0.25},
    ),
    "mse, sigmoid, test rows": (
        "mse", "sigmoid", [2, 5, 1], {"name": "circle", "samples": 30, "test_fraction": 0.2},
    ),
}  # fmt: skip
URL = "/api/jobs/{}/landscape"


@pytest.fixture(scope="module")
def client() -> Any:
    with app_client() as c:
        yield c


def body(case: str) -> dict[str, Any]:
    loss, output, layers, dataset = CASES[case]
    network = {"layers": layers, "activation": "tanh", "output_activation": output}
    training = {"loss": loss, "batch_size": 4, "learning_rate": 0.1, "seed": 3, "epochs": 10**4}
    return spec(network=network, training=training, dataset=dataset)


def get(client: KeyedClient, job: str, **query: Any) -> Any:
    answer = client.get(URL.format(job), params=query)
    assert answer.status_code == 200, answer.text
    return answer.json()


def per_row_loss(loss: str, output: str, y: np.ndarray, t: np.ndarray) -> float:
    """The mean over rows of each row's loss, y and t (rows, n_L)."""
    if loss == "half_sse":
        return float(np.mean(0.5 * np.sum((y - t) ** 2, axis=1)))
    if loss == "mse":
        return float(np.mean(np.mean((y - t) ** 2, axis=1)))
    if output == "softmax":
        return float(np.mean(-np.sum(t * np.maximum(np.log(y), -100), axis=1)))
    terms = t * np.maximum(np.log(y), -100) + (1 - t) * np.maximum(np.log(1 - y), -100)
    return float(np.mean(-np.mean(terms, axis=1)))


@pytest.mark.parametrize("case", list(CASES))
def test_the_grid_its_centre_a_corner_and_the_path(client: KeyedClient, case: str) -> None:
    loss, output, layers, _ = CASES[case]
    spec_body = body(case)
    job = client.post("/api/jobs", json=spec_body).json()["id"]
    initial = client.get(f"/api/jobs/{job}/weights").json()["layers"]
    view = client.post(f"/api/jobs/{job}/step", json={"iterations": 150}).json()
    weights = client.get(f"/api/jobs/{job}/weights").json()["layers"]
    last = len(layers) - 2
    a, b = (0, 1, 2), (last, 0, 0)  # a weight of W^1 and the output layer's first bias
    answer = get(client, job, a="0,1,2", b=f"{last},0,0", span=0.75, grid=7)
    assert set(answer) == {"a", "b", "loss", "path", "includes_penalty"}
    assert answer["includes_penalty"] is False
    assert len(answer["a"]) == len(answer["b"]) == 7
    assert len(answer["loss"]) == 7 and all(len(r) == 7 for r in answer["loss"])
    wa, wb = weights[a[0]][a[1]][a[2]], weights[b[0]][b[1]][b[2]]
    assert answer["a"][3] == wa and answer["b"][3] == wb
    assert answer["a"][0] == pytest.approx(wa - 0.75) and answer["b"][-1] == pytest.approx(
        wb + 0.75
    )
    train_loss = view["metrics"]["train_loss"]
    assert answer["loss"][3][3] == pytest.approx(train_loss, rel=1e-9)
    data = rows(client, spec_body)  # the training rows, as the metrics' tests read them
    moved = [np.array(w, dtype=float) for w in weights]
    moved[a[0]][a[1], a[2]], moved[b[0]][b[1], b[2]] = answer["a"][0], answer["b"][6]
    y = forward([m.tolist() for m in moved], output, data["inputs"])
    expected = per_row_loss(loss, output, y, data["targets"])
    assert answer["loss"][0][6] == pytest.approx(expected, rel=1e-9)
    path = answer["path"]
    assert 2 <= len(path) <= 512
    assert path[0] == [initial[a[0]][a[1]][a[2]], initial[b[0]][b[1]][b[2]]]
    assert path[-1] == [wa, wb]


def test_defaults_and_the_path_of_a_longer_run(client: KeyedClient) -> None:
    job = create(client)["id"]
    client.post(f"/api/jobs/{job}/step", json={"iterations": 3000})
    answer = get(client, job, a="1,1,3", b="0,4,0")
    assert len(answer["a"]) == 41 and len(answer["loss"]) == 41
    assert answer["a"][-1] - answer["a"][0] == pytest.approx(2.0)  # span 1
    weights = client.get(f"/api/jobs/{job}/weights").json()["layers"]
    # keyframes every 64 iterations while the run is short: 0, 64, …, 2944, then now
    assert len(answer["path"]) == 3000 // 64 + 2
    assert answer["path"][-1] == [weights[1][1][3], weights[0][4][0]]


def test_a_running_job_answers_too(client: KeyedClient) -> None:
    job = client.post("/api/jobs", json=spec(speed=SLOW, start="running")).json()["id"]
    try:
        answer = get(client, job, a="0,0,0", b="0,0,1", grid=3)
        assert len(answer["loss"]) == 3 and answer["path"]
    finally:
        client.post(f"/api/jobs/{job}/pause")


@pytest.mark.parametrize(
    ("query", "field", "says"),
    [
        ({"a": "0,1,2", "b": "0,1,2"}, "b", "same parameter as a"),
        ({"a": "2,0,0", "b": "0,0,0"}, "a", "layer 2 is outside 0..1"),
        ({"a": "0,0,0", "b": "1,2,0"}, "b", "row 2 is outside 0..1"),
        ({"a": "0,5,0", "b": "0,0,0"}, "a", "row 5 is outside 0..4"),
        ({"a": "0,0,4", "b": "0,0,0"}, "a", "column 4 is outside 0..3"),
        ({"a": "0,0,0", "b": "1,0,6"}, "b", "column 6 is outside 0..5"),
        ({"a": "0;1;2", "b": "0,0,0"}, "a", '"layer,row,column"'),
        ({"a": "0,0,0", "b": "-1,0,0"}, "b", '"layer,row,column"'),
        ({"a": "0,0,0", "b": "0,0"}, "b", '"layer,row,column"'),
        ({"a": "0,0,0", "b": "0,0,1", "span": 0}, "span", "greater than 0"),
        ({"a": "0,0,0", "b": "0,0,1", "span": -1}, "span", "greater than 0"),
        ({"a": "0,0,0", "b": "0,0,1", "span": 1001}, "span", "less than or equal to 1000"),
        ({"a": "0,0,0", "b": "0,0,1", "span": "nan"}, "span", "finite"),
        ({"a": "0,0,0", "b": "0,0,1", "grid": 2}, "grid", "greater than or equal to 3"),
        ({"a": "0,0,0", "b": "0,0,1", "grid": 102}, "grid", "less than or equal to 101"),
        ({"b": "0,0,1"}, "a", "required"),
    ],
)
def test_bad_queries_are_422s_naming_the_field(
    client: KeyedClient, query: dict[str, Any], field: str, says: str
) -> None:
    job = create(client)["id"]  # 3-5-2: W^1 (5, 4), W^2 (2, 6)
    message = error_at(client.get(URL.format(job), params=query), ["query", field])
    assert says in message


def test_too_much_work_is_a_422_at_grid(client: KeyedClient) -> None:
    network = {"layers": [2, 512, 512, 2], "output_activation": "softmax"}
    job = create(
        client,
        network=network,
        training={"loss": "cross_entropy"},
        dataset={"name": "xor", "samples": 1000},
    )["id"]
    message = error_at(
        client.get(URL.format(job), params={"a": "0,0,0", "b": "0,1,0", "grid": 101}),
        ["query", "grid"],
    )
    assert "over the limit of 1e+10" in message and "smaller grid" in message


def test_an_unknown_job_is_a_404(client: KeyedClient) -> None:
    answer = client.get(URL.format("nope"), params={"a": "0,0,0", "b": "0,0,1"})
    assert answer.status_code == 404 and "nope" in answer.json()["detail"]
