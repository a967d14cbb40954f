"""Your own data in the page: a CSV with a text target uploaded and trained to high accuracy,
bad CSVs refused with the server's line and column beside the input, and jobs with CSV or
inline data drawn and stepped as themselves when watched or reloaded."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import httpx
from playwright.sync_api import Page

from tests.fixtures.csv_data import CLASSES, blobs
from tests.server import LiveServer

from .conftest import VIEWPORT, Console
from .helpers import job_id, synced, url, use_train_mode, wait_until

CSV_INPUT = 'input[type=file][data-input="csv"]'
SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "data.png"


def upload(page: Page, text: str, name: str = "blobs.csv") -> None:
    """Choose `text` as a file in the CSV input, as a person picking a file does."""
    payload = {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    page.set_input_files(CSV_INPUT, files=[payload])


def data_state(page: Page) -> str:
    return page.locator("#data").get_attribute("data-state") or ""


def accuracy(page: Page) -> float | None:
    """The toolbar's training accuracy (its data-value), None while there is none."""
    value = page.locator('[data-readout="accuracy"]').first.get_attribute("data-value")
    return float(value) if value else None


def network_name(page: Page) -> str:
    return page.locator('[data-readout="network"]').first.inner_text().strip()


def output_labels(page: Page) -> list[str]:
    return page.eval_on_selector_all(".io-label", "els => els.map(e => e.textContent)")


def create_job(server: LiveServer, spec: dict[str, Any]) -> dict[str, Any]:
    answer = httpx.post(server.url("/api/jobs"), json=spec, timeout=30.0)
    assert answer.status_code == 201, answer.text
    job: dict[str, Any] = answer.json()
    return job


def test_an_uploaded_csv_with_a_text_target_trains_to_high_accuracy(
    page: Page, server: LiveServer, artifacts: Path
) -> None:
    upload(page, blobs())
    wait_until(lambda: data_state(page) == "read", what="the file read")
    synced(page)
    assert network_name(page).startswith("2-")  # two number columns in
    assert network_name(page).endswith(f"-{len(CLASSES)}")  # one output per class
    classes = page.locator('[data-readout="classes"]').inner_text()
    assert all(f"{c} (100)" in classes for c in CLASSES)
    assert page.locator('select[data-role-column="colour"]').input_value() == "target"
    assert (
        "μ, σ of the training rows: width"
        in page.locator('[data-readout="csv-scaling"]').inner_text()
    )
    assert page.locator('[data-field="network.output_activation"]').input_value() == "softmax"
    assert page.locator('[data-field="training.loss"]').input_value() == "cross_entropy"
    assert page.locator('[data-field="dataset.name"]').input_value() == "csv"
    page.set_viewport_size({"width": 1280, "height": 2000})  # the panel whole, no scrolling
    panel = page.locator("section.panel-data")
    panel.screenshot(path=str(artifacts / "data-panel.png"))
    if os.environ.get("PLAYGROUND_UPDATE_SCREENSHOT"):
        SCREENSHOT.parent.mkdir(exist_ok=True)
        panel.screenshot(path=str(SCREENSHOT))
    page.set_viewport_size(VIEWPORT)

    page.fill('[data-field="training.epochs"]', "100000")  # far more than it needs
    synced(page)
    use_train_mode(page)
    page.click('#toolbar [data-action="play"]')
    wait_until(lambda: (accuracy(page) or 0) >= 0.9, timeout=60, what="training accuracy ≥ 0.9")
    job = httpx.get(server.url(f"/api/jobs/{job_id(page)}"), timeout=30.0).json()
    assert job["spec"]["dataset"]["csv"] == blobs()
    assert job["spec"]["dataset"]["target_columns"] == ["colour"]
    assert [j.id for j in server.jobs.list()] == [job["id"]]


def test_bad_csvs_show_the_servers_line_and_column_beside_the_input(
    page: Page, console: Console
) -> None:
    console.allow("422")  # the browser notes each refused request on its console
    error = page.locator('[data-error="csv"]')
    upload(page, "a,b,label\n1,2,x\n3,4\n", "ragged.csv")
    wait_until(lambda: "CSV line 3 has 2 columns, expected 3" in error.inner_text(), what="ragged")
    upload(page, "", "empty.csv")
    wait_until(lambda: "no rows" in error.inner_text(), what="empty")

    page.fill('[data-input="csv-text"]', "a,b,label\n1,2,x\n3,oops,y\n5,6,x\n")
    page.click('[data-action="csv-paste"]')
    wait_until(lambda: data_state(page) == "read", what="the pasted text read")
    assert "“oops” is not a number" in page.locator("#data .csv-notes").inner_text()
    page.select_option('select[data-role-column="b"]', "input")
    wait_until(
        lambda: "CSV line 3, column 2 (b): 'oops' is not a number" in error.inner_text(),
        what="the non-number named",
    )
    bad = page.locator("#data tbody td.bad")
    assert bad.count() == 1 and bad.inner_text() == "oops"  # the cell is marked where it is
    assert page.locator('select[data-role-column="b"]').input_value() == "ignored"  # not applied

    rows = "x,t\n" + "1,0\n" * 10_001
    upload(page, rows, "long.csv")
    wait_until(
        lambda: "CSV line 10002: more than MAX_ROWS = 10000" in error.inner_text(), what="rows"
    )


def test_a_watched_inline_data_job_draws_and_steps_itself(
    open_page: Any, server: LiveServer
) -> None:
    spec = {
        "network": {"layers": [2, 3, 1], "activation": "tanh"},
        "training": {"epochs": 1000, "batch_size": 2},
        "dataset": {"inputs": [[0, 0], [0, 1], [1, 0], [1, 1]], "targets": [[0], [1], [1], [0]]},
        "start": "paused",
    }
    job = create_job(server, spec)
    page = open_page(f"/?job={job['id']}")
    wait_until(lambda: job_id(page) == job["id"], what="the job attached")
    wait_until(lambda: network_name(page).startswith("2-3-1"), what="drawn as 2-3-1")
    assert page.locator('[data-neuron="0-1"]').count() == 1
    assert page.locator('[data-neuron="0-2"]').count() == 0  # not the article's 3 inputs
    assert page.locator('[data-field="dataset.name"]').input_value() == "inline"
    assert "sent through the API" in page.locator('[data-readout="csv"]').inner_text()
    synced(page)  # the form is the job's: nothing differs, so nothing new would be made

    key = job["key"]
    page.evaluate(  # the page holds this job's key, as if it had made it
        "([id, key]) => localStorage.setItem('playground-job-keys', JSON.stringify([[id, key]]))",
        [job["id"], key],
    )
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    wait_until(lambda: network_name(page).startswith("2-3-1"), what="drawn as 2-3-1 on reload")
    synced(page)
    page.click('#toolbar [data-action="step-iteration"]')
    wait_until(lambda: server.jobs.get(job["id"]).view()["iteration"] >= 1, what="the job stepped")
    assert [j.id for j in server.jobs.list()] == [job["id"]]  # no new article job


def test_a_reloaded_csv_job_is_drawn_with_its_columns_and_classes(
    page: Page, server: LiveServer
) -> None:
    upload(page, blobs(60))
    wait_until(lambda: data_state(page) == "read", what="the file read")
    synced(page)
    page.click('#toolbar [data-action="step-iteration"]')
    wait_until(lambda: job_id(page) != "", what="a job")
    made = job_id(page)
    wait_until(lambda: f"job={made}" in url(page), what="the job in the address")
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    wait_until(lambda: job_id(page) == made, what="the job attached again")
    wait_until(lambda: network_name(page).endswith("-3"), what="three outputs")
    wait_until(lambda: sorted(output_labels(page)[-3:]) == sorted(CLASSES), what="class names")
    wait_until(lambda: data_state(page) == "read", what="its data described")
    assert page.locator('select[data-role-column="colour"]').input_value() == "target"
    synced(page)
    page.click('#toolbar [data-action="step-iteration"]')
    wait_until(lambda: server.jobs.get(made).view()["iteration"] >= 2, what="stepped again")
    assert [j.id for j in server.jobs.list()] == [made]
