"""Wide networks: frames, the snapshot and the bulk reads carry what the page draws (the first
64 neurons a layer, 64 samples a batch) and say so; every array is there on request, compactly.

The largest network (3-1024-1024-900-2, 2M weights) is trained for one iteration; the rest use
small networks with the caps lowered (sampling.MAX_SHOWN, MAX_SAMPLES) to stay fast.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

import numpy as np
import orjson
import pytest
from websockets.sync.client import connect

from backend.api import binary
from backend.api.schemas.spec import JobSpec
from backend.api.schemas.wire import Frame
from backend.api.snapshot import snapshot
from backend.jobs import sampling
from backend.jobs.job import Job
from tests.server import live_server

from .support import KeyedClient, app_client, create

LARGEST = [3, 1024, 1024, 900, 2]
SMALL_BODY = 1_000_000  # bytes: what a cut frame of the largest network stays under
Arrays = dict[str, np.ndarray[Any, Any]]


@pytest.fixture(scope="module")
def largest() -> Iterator[tuple[KeyedClient, str]]:
    """A client and a job of the largest network, one iteration in."""
    with app_client() as client:
        job = create(client, network={"layers": LARGEST})["id"]
        assert client.post(f"/api/jobs/{job}/step", json={"iterations": 1}).status_code == 200
        yield client, job


def complete(client: KeyedClient, path: str, dtype: str = "f64") -> tuple[dict[str, Any], Arrays]:
    """GET path?format=dtype, unpacked."""
    answer = client.get(f"{path}?format={dtype}")
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == binary.MEDIA_TYPE
    return binary.unpack(answer.content)


def check_cut(frame: dict[str, Any], sizes: list[int], batch: int) -> None:
    """The frame carries the first min(n, cap) neurons of each layer and says so."""
    shown = [min(n, sampling.MAX_SHOWN) for n in sizes]
    samples = min(batch, sampling.MAX_SAMPLES)
    assert frame["neurons"] == [list(range(k)) for k in shown]
    assert frame["sizes"] == sizes and frame["samples"] == list(range(samples))
    assert len(frame["rows"]) == batch  # the whole batch's rows
    assert np.shape(frame["inputs"]) == (shown[0], samples)
    assert np.shape(frame["targets"]) == (shown[-1], samples)
    for i, layer in enumerate(frame["layers"], start=1):
        assert np.shape(frame["weights"][i - 1]) == (shown[i], 1 + shown[i - 1])
        assert np.shape(layer["grad"]) == (shown[i], 1 + shown[i - 1])
        for name in ("z", "y", "dy", "dz"):
            assert np.shape(layer[name]) == (shown[i], samples)
    Frame.model_validate(frame)


def test_a_trace_of_the_largest_network_carries_what_the_page_draws(largest: Any) -> None:
    client, job = largest
    answer = client.get(f"/api/jobs/{job}/trace")
    assert answer.status_code == 200 and len(answer.content) < SMALL_BODY
    cut = answer.json()
    check_cut(cut, LARGEST, batch=2)
    # ... and those are exactly the first neurons of the complete record
    header, arrays = complete(client, f"/api/jobs/{job}/trace")
    assert header["iteration"] == cut["iteration"] == 1 and header["rows"] == cut["rows"]
    assert arrays["weights.1"].shape == (1024, 1025) and arrays["layers.2.z"].shape == (900, 2)
    for i, w in enumerate(cut["weights"]):
        k, m = np.shape(w)
        assert np.array_equal(np.array(w), arrays[f"weights.{i}"][:k, :m])
        assert np.array_equal(np.array(cut["layers"][i]["dz"]), arrays[f"layers.{i}.dz"][:k])


def test_weights_of_the_largest_network_are_cut_by_default_and_complete_on_request(
    largest: Any,
) -> None:
    client, job = largest
    answer = client.get(f"/api/jobs/{job}/weights")
    assert answer.status_code == 200 and len(answer.content) < SMALL_BODY
    cut = answer.json()
    assert cut["sizes"] == LARGEST and [len(n) for n in cut["neurons"]] == [3, 64, 64, 64, 2]
    _, f64 = complete(client, f"/api/jobs/{job}/weights")
    header, f32 = complete(client, f"/api/jobs/{job}/weights", "f32")
    assert header["dtype"] == "<f4"
    shapes = [[n, 1 + p] for p, n in itertools.pairwise(LARGEST)]
    assert [a["shape"] for a in header["arrays"]] == shapes
    for i, w in enumerate(cut["layers"]):
        exact = f64[f"layers.{i}"]
        assert np.array_equal(f32[f"layers.{i}"], exact.astype(np.float32))  # every weight
        k, m = np.shape(w)
        assert np.array_equal(np.array(w), exact[:k, :m])
    # the header is padded so that the data can be viewed in place as float64
    body = client.get(f"/api/jobs/{job}/weights?format=f64").content
    assert (4 + int.from_bytes(body[:4], "little")) % 8 == 0


def test_the_snapshot_of_the_largest_network_is_cut_too(largest: Any) -> None:
    client, job_id = largest
    job: Job = client.app.state.jobs.get(job_id)  # type: ignore[attr-defined]
    text, _ = snapshot(job, lambda: None)
    assert len(text) < SMALL_BODY
    message = orjson.loads(text)
    assert message["sizes"] == LARGEST and len(message["neurons"][1]) == 64
    assert [np.shape(w) for w in message["weights"]] == [(64, 4), (64, 65), (64, 65), (2, 65)]
    check_cut(message["trace"], LARGEST, batch=2)


def test_the_export_of_the_largest_network_holds_every_weight_sent_in_pieces(largest: Any) -> None:
    client, job = largest
    with client.stream("GET", f"/api/jobs/{job}/export") as answer:
        assert answer.status_code == 200
        pieces = list(answer.iter_raw())
    assert len(pieces) > 10  # encoded and sent as it goes, never as one 83 MB string
    model = orjson.loads(b"".join(pieces))
    _, f64 = complete(client, f"/api/jobs/{job}/weights")
    for i, w in enumerate(model["weights"]):
        assert np.array_equal(np.array(w), f64[f"layers.{i}"])  # float64, exactly


@pytest.fixture
def caps(monkeypatch: pytest.MonkeyPatch) -> None:
    """Small caps, so that small networks are cut."""
    monkeypatch.setattr(sampling, "MAX_SHOWN", 4)
    monkeypatch.setattr(sampling, "MAX_SAMPLES", 3)


WIDE = {
    "network": {"layers": [2, 9, 6, 1]},
    "training": {"mode": "minibatch", "batch_size": 5, "shuffle": True, "seed": 3},
    "dataset": {"name": "circle", "samples": 40, "test_fraction": 0.25},
}


def test_a_replayed_cut_frame_equals_the_live_one_bit_for_bit(caps: None) -> None:
    with app_client() as client:
        job = create(client, **WIDE)["id"]
        assert client.post(f"/api/jobs/{job}/step", json={"iterations": 7}).status_code == 200
        live = client.get(f"/api/jobs/{job}/trace").content
        assert client.post(f"/api/jobs/{job}/step", json={"iterations": 5}).status_code == 200
        replayed = client.get(f"/api/jobs/{job}/trace?iteration=7").content
    assert replayed == live
    check_cut(orjson.loads(live), [2, 9, 6, 1], batch=5)


def test_a_stream_frame_of_a_wide_network_is_cut(caps: None) -> None:
    with live_server() as server:
        job = server.jobs.create(JobSpec.model_validate({**WIDE, "start": "paused"}).to_job())
        with connect(server.ws_url(f"/api/jobs/{job.id}/stream"), max_size=None) as ws:
            assert json.loads(ws.recv(timeout=10))["type"] == "snapshot"
            job.step(iterations=1).result(timeout=10)
            message = json.loads(ws.recv(timeout=10))
            while message["type"] != "frame":
                message = json.loads(ws.recv(timeout=10))
    check_cut(message, [2, 9, 6, 1], batch=5)


def test_an_export_of_a_cut_network_starts_a_job_with_exactly_its_weights(caps: None) -> None:
    with app_client() as client:
        job = create(client, **WIDE)["id"]
        client.post(f"/api/jobs/{job}/step", json={"iterations": 3})
        model = client.get(f"/api/jobs/{job}/export").json()
        assert [np.shape(w) for w in model["weights"]] == [(9, 3), (6, 10), (1, 7)]  # not cut
        spec = {**WIDE, "network": {**WIDE["network"], "weights": model["weights"]}}
        copy = create(client, **spec)["id"]
        ours, theirs = (client.get(f"/api/jobs/{j}/weights?format=f64") for j in (job, copy))
    assert ours.content == theirs.content


def test_a_network_within_the_caps_is_never_cut() -> None:
    with app_client() as client:
        job = create(client)["id"]  # 3-5-2, minibatches of 2
        client.post(f"/api/jobs/{job}/step", json={"iterations": 2})
        frame = client.get(f"/api/jobs/{job}/trace").json()
        weights = client.get(f"/api/jobs/{job}/weights").json()
    assert not {"neurons", "sizes", "samples"} & set(frame) and set(weights) == {"layers"}
    assert np.shape(frame["weights"][0]) == (5, 4) and np.shape(frame["inputs"]) == (3, 2)


def test_packed_arrays_keep_every_bit_and_the_other_fields() -> None:
    w = np.array([[1.0, np.nan, -np.inf], [1e-300, 2.5, 1 / 3]])
    message = {"type": "frame", "rows": np.arange(3), "weights": [w, w[:1]], "layers": [{"z": w}]}
    header, arrays = binary.unpack(binary.pack(message, "<f8"))
    assert header["type"] == "frame" and header["rows"] == [0, 1, 2]
    assert list(arrays) == ["weights.0", "weights.1", "layers.0.z"]
    assert np.array_equal(arrays["weights.0"], w, equal_nan=True)
    assert np.array_equal(arrays["layers.0.z"], w, equal_nan=True)
