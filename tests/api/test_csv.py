"""CSV data over HTTP: POST /api/csv previews a file; a job spec's CSV data set is read
and encoded when the job is made, so the stored spec holds the data and replay and restore give
the same numbers; refusals are 422s naming the line, the column and the limit."""

from __future__ import annotations

import statistics
from pathlib import Path
from typing import Any

from backend.api.schemas.dataset import CsvPreview
from backend.config import Settings
from backend.engine.table import MAX_CSV_CHARS
from tests.fixtures.csv_data import CLASSES, blobs, plane

from .support import KeyedClient, app_client, error_at, invalid, wait_for
from .test_replay import record_live, step, trace

IRIS = (
    "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n4.9,1.5,setosa\n"
)


def csv_preview(client: KeyedClient, **body: Any) -> dict[str, Any]:
    answer = client.post("/api/csv", json=body)
    assert answer.status_code == 200, answer.text
    CsvPreview.model_validate(answer.json())
    data: dict[str, Any] = answer.json()
    return data


def csv_spec(text: str, layers: list[int], **dataset: Any) -> dict[str, Any]:
    """A paused job on CSV text with softmax and cross-entropy (a class target)."""
    return {
        "network": {"layers": layers, "output_activation": "softmax"},
        "training": {"loss": "cross_entropy", "epochs": 100_000, "learning_rate": 0.5},
        "dataset": {"csv": text, **dataset},
        "start": "paused",
    }


def test_a_preview_gives_columns_roles_first_rows_and_the_encoding() -> None:
    with app_client() as client:
        answer = csv_preview(client, csv=IRIS)
    assert [c["name"] for c in answer["columns"]] == ["sepal", "petal", "species"]
    assert [c["kind"] for c in answer["columns"]] == ["number", "number", "text"]
    assert [c["role"] for c in answer["columns"]] == ["input", "input", "target"]
    assert answer["input_columns"] == ["sepal", "petal"]
    assert answer["target_columns"] == ["species"]
    assert answer["classes"] == answer["target_names"] == ["setosa", "versicolor", "virginica"]
    assert answer["columns"][2]["counts"] == [2, 1, 1]
    assert (answer["output_activation"], answer["loss"]) == ("softmax", "cross_entropy")
    assert (answer["rows"], answer["header"], answer["first_lines"][0]) == (4, True, 2)
    assert answer["first_rows"][1] == ["7.0", "4.7", "versicolor"]
    assert abs(answer["mean"][0] - statistics.fmean([5.1, 7.0, 6.3, 4.9])) < 1e-12
    assert abs(answer["std"][1] - statistics.pstdev([1.4, 4.7, 6.0, 1.5])) < 1e-12
    assert answer["problem"] is None


def test_a_ragged_file_is_a_422_naming_the_line() -> None:
    with app_client() as client:
        answer = client.post("/api/csv", json={"csv": "a,b,c\n1,2,3\n4,5\n"})
    (error,) = invalid(answer)
    assert error["loc"] == ["body", "csv"]
    assert "CSV line 3 has 2 columns, expected 3" in error["msg"]
    assert error["ctx"] == {"line": 3, "column": None}


def test_roles_asked_for_that_cannot_train_are_a_422_on_their_field() -> None:
    text = "a,b,t\n1,2,0\n3,oops,1\n"
    with app_client() as client:
        answer = client.post("/api/csv", json={"csv": text, "input_columns": ["a", "b"]})
        (error,) = invalid(answer)
        assert error["msg"].startswith("CSV line 3, column 2 (b): 'oops' is not a number")
        assert error["ctx"] == {"line": 3, "column": 2}
        missing = client.post("/api/csv", json={"csv": text, "target_columns": ["z"]})
        assert "no column named 'z'" in error_at(missing, ["body", "target_columns"])


def test_default_roles_that_cannot_train_are_answered_with_the_problem() -> None:
    with app_client() as client:
        answer = csv_preview(client, csv="x,t\n1,same\n2,same\n")
    assert answer["problem"]["field"] == "target_columns"
    assert "one class ('same')" in answer["problem"]["message"]
    assert answer["kind"] is None and answer["columns"][1]["role"] == "target"


def test_schema_bounds_name_the_field() -> None:
    with app_client() as client:
        long = client.post("/api/csv", json={"csv": "x" * (MAX_CSV_CHARS + 1)})
        assert str(MAX_CSV_CHARS) in error_at(long, ["body", "csv"])
        split = client.post("/api/csv", json={"csv": IRIS, "test_fraction": 0.95})
        error_at(split, ["body", "test_fraction"])
        extra = client.post("/api/preview", json={**csv_spec(IRIS, [2, 3, 3]), "x": 1})
        invalid(extra)


def test_a_job_on_csv_stores_the_text_and_names_the_classes() -> None:
    with app_client() as client:
        answer = client.post("/api/jobs", json=csv_spec(IRIS, [2, 4, 3]))
        assert answer.status_code == 201, answer.text
        job = answer.json()
        assert job["spec"]["dataset"]["csv"] == IRIS
        assert job["spec"]["dataset"]["standardize"] is True
        preview = client.post("/api/preview", json=csv_spec(IRIS, [2, 4, 3])).json()
    data = preview["dataset"]
    assert (data["name"], data["kind"]) == ("csv", "classification")
    assert data["feature_names"] == ["sepal", "petal"]
    assert data["target_names"] == ["setosa", "versicolor", "virginica"]
    sepal = [5.1, 7.0, 6.3, 4.9]
    mean, std = statistics.fmean(sepal), statistics.pstdev(sepal)
    for row, x in zip(data["inputs"], sepal, strict=True):
        assert abs(row[0] - (x - mean) / std) < 1e-12
    assert data["targets"] == [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]


def test_a_job_refuses_bad_csv_at_the_line_and_layers_that_do_not_fit() -> None:
    with app_client() as client:
        bad = client.post("/api/jobs", json=csv_spec(IRIS + "5.0,,setosa\n", [2, 3, 3]))
        message = error_at(bad, ["body", "dataset", "csv"])
        assert message.startswith("dataset.csv: CSV line 6, column 2 (petal): the cell is empty")
        wrong = client.post("/api/jobs", json=csv_spec(IRIS, [2, 3, 2]))
        assert "3 target columns" in error_at(wrong, ["body", "network", "layers", 2])
        roles = client.post(
            "/api/jobs", json=csv_spec(IRIS, [2, 3, 3], target_columns=["species", "sepal"])
        )
        assert "only target" in error_at(roles, ["body", "dataset", "target_columns"])
        assert client.get("/api/jobs").json() == []  # nothing refused is stored


def test_a_csv_with_a_text_target_trains_to_high_accuracy() -> None:
    spec = csv_spec(blobs(), [2, 6, len(CLASSES)], test_fraction=0.2)
    spec["start"] = "running"
    with app_client() as client:
        job = client.post("/api/jobs", json=spec).json()
        view = wait_for(
            client,
            job["id"],
            lambda v: (
                (v.get("metrics") or {}).get("train_accuracy") is not None
                and v["metrics"]["train_accuracy"] >= 0.95
                and v["metrics"]["test_accuracy"] >= 0.9
            ),
            timeout=60,
        )
        client.post(f"/api/jobs/{job['id']}/pause")
    assert view["metrics"]["test_loss"] is not None


def test_a_regression_csv_is_linear_and_mse() -> None:
    with app_client() as client:
        answer = csv_preview(client, csv=plane())
    assert (answer["kind"], answer["output_activation"], answer["loss"]) == (
        "regression",
        "linear",
        "mse",
    )
    assert answer["classes"] is None and answer["target_names"] == ["z"]


def test_a_csv_job_replays_and_restores_bit_for_bit(tmp_path: Path) -> None:
    settings = Settings(db_path=str(tmp_path / "p.db"))
    spec = csv_spec(blobs(60), [2, 4, 3], test_fraction=0.25)
    spec["training"] |= {"shuffle": True, "seed": 5, "batch_size": 4}
    with app_client(settings=settings) as client:
        job = client.post("/api/jobs", json=spec).json()
        live = record_live(client, job["id"], 80)
        keys = client.keyring.keys
        assert all(trace(client, job["id"], n) == live[n] for n in (1, 40, 64, 65, 80))
    with app_client(settings=settings) as client:
        client.keyring.keys.update(keys)
        assert client.get(f"/api/jobs/{job['id']}").json()["spec"]["dataset"]["csv"] == blobs(60)
        for n in (1, 2, 63, 64, 65, 79, 80):
            assert trace(client, job["id"], n) == live[n]
        step(client, job["id"], 1)
        assert trace(client, job["id"])["iteration"] == 81
