"""GET /api/options: the registries, the limits and the default spec, as the page sees them."""

from __future__ import annotations

from backend.api.limits import MAX_BODY_BYTES
from backend.engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from backend.engine.batching import MODES
from backend.engine.datasets import DATASETS, FEATURES
from backend.engine.losses import LOSS_NAMES
from backend.jobs.limits import Limits
from backend.jobs.sampling import MAX_SAMPLES, MAX_SHOWN

from .support import app_client


def test_options_list_every_registry() -> None:
    with app_client() as client:
        response = client.get("/api/options")
    assert response.status_code == 200
    options = response.json()
    assert set(options) == {
        "activations", "losses", "modes", "regularizations", "datasets", "features", "limits",
        "defaults",
    }  # fmt: skip
    assert options["activations"] == {
        "hidden": list(HIDDEN_ACTIVATIONS),
        "output": list(OUTPUT_ACTIVATIONS),
    }
    assert [loss["name"] for loss in options["losses"]] == list(LOSS_NAMES)
    by_name = {loss["name"]: loss for loss in options["losses"]}
    assert by_name["half_sse"] == {
        "name": "half_sse",
        "description": "½ Σ (y − t)², eq. (5)",
        "outputs": None,
    }
    assert by_name["cross_entropy"]["outputs"] == ["sigmoid", "softmax"]
    assert "binary" in by_name["cross_entropy"]["description"]
    assert "categorical" in by_name["cross_entropy"]["description"]
    assert options["modes"] == [{"name": k, "description": v} for k, v in MODES.items()]
    assert [d["name"] for d in options["datasets"]] == list(DATASETS)
    assert options["datasets"][0] == {
        "name": "article",
        "kind": "regression",
        "description": DATASETS["article"].description,
        "n_inputs": 3,
        "outputs": [2],
        "two_d": False,
        "fixed_rows": 6,
    }
    assert options["features"] == [{"name": k, "label": v} for k, v in FEATURES.items()]


def test_options_limits_are_the_servers() -> None:
    with app_client(Limits(max_running_jobs=2)) as client:
        limits = client.get("/api/options").json()["limits"]
    shown = {"max_shown_neurons": MAX_SHOWN, "max_shown_samples": MAX_SAMPLES}
    assert limits == {
        **Limits(max_running_jobs=2).as_dict(),
        "max_body_bytes": MAX_BODY_BYTES,
        **shown,
    }
    assert isinstance(limits["max_layers"], int) and limits["max_learning_rate"] == 1e6


def test_default_spec_is_a_valid_job() -> None:
    with app_client() as client:
        defaults = client.get("/api/options").json()["defaults"]
        assert defaults["network"]["layers"] == [3, 5, 2]
        assert defaults["start"] == "running"
        response = client.post("/api/jobs", json={**defaults, "start": "paused"})
        assert response.status_code == 201
        assert response.json()["spec"] == {**defaults, "start": "paused"}


def test_openapi_documents_every_route() -> None:
    with app_client() as client:
        schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert {"post", "get"} <= set(paths["/api/jobs"])
    assert {"get", "patch", "delete"} <= set(paths["/api/jobs/{job_id}"])
    for action in ("pause", "resume", "stop", "reset", "step", "predict"):
        assert "post" in paths[f"/api/jobs/{{job_id}}/{action}"]
    for read in ("weights", "history", "trace"):
        assert "get" in paths[f"/api/jobs/{{job_id}}/{read}"]
    assert "get" in paths["/api/options"] and "get" in paths["/api/datasets/{name}"]
