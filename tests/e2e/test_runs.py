"""Runs the page owns, revisits and replays: preview before any job, read-only watching and
fork, delete, the replay timeline, and jobs that open on their last iteration."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect

from backend.api.app import create_app
from backend.config import Settings
from backend.jobs.limits import Limits
from tests.process import ServerProcess
from tests.server import LiveServer, live_server

from .conftest import VIEWPORT, Console
from .helpers import (
    fast_animation,
    job_id,
    readout,
    synced,
    url,
    use_train_mode,
    wait_until,
)

CONTROLS = ("play", "step-phase", "step-iteration", "step-epoch", "reset")


def get(server: LiveServer, path: str) -> Any:
    """GET an /api path of the test server: its JSON."""
    response = httpx.get(server.url(path), timeout=30.0)
    assert response.status_code == 200, response.text
    return response.json()


def neuron_value(page: Page, neuron: str) -> float | None:
    """The exact number a neuron of the diagram shows (its data-value), None when blank."""
    value = page.locator(f'[data-neuron="{neuron}"]').get_attribute("data-value")
    return float(value) if value else None


def shows(page: Page, trace: dict[str, Any]) -> bool:
    """True when the diagram shows the frame `trace`: hidden neuron 1's y for sample 1."""
    return neuron_value(page, "1-0") == trace["layers"][0]["y"][0][0]


def diagram_drawn(page: Page) -> bool:
    """True when every neuron of the diagram shows a number (not a blank network)."""
    texts = page.eval_on_selector_all("[data-neuron] text", "els => els.map(e => e.textContent)")
    return bool(texts) and all(t not in ("", "—") for t in texts)


def trained(page: Page, epochs: int) -> str:
    """Train the page's job `epochs` epochs of 3 iterations in train mode; its id."""
    use_train_mode(page)
    for done in range(1, epochs + 1):
        page.click('[data-action="step-epoch"]')
        wait_until(lambda n=3 * done: readout(page, "iteration") == str(n), what=f"{3 * done} its")
    return job_id(page)


def set_timeline(page: Page, iteration: int) -> None:
    """Move the replay timeline to `iteration` as the keyboard would (an input event)."""
    page.locator('[data-control="timeline"]').fill(str(iteration))


def test_the_page_stores_no_job_until_it_trains(page: Page, server: LiveServer) -> None:
    expect(page.locator("[data-edge]")).to_have_count(25)
    wait_until(  # the preview's weights are drawn
        lambda: page.locator("[data-edge]").first.get_attribute("stroke") not in (None, "#c9c9c9"),
        what="the preview's weights",
    )
    assert get(server, "/api/jobs") == []
    assert job_id(page) == ""
    page.fill('[data-field="network.layers"]', "4")
    page.fill('[data-field="training.learning_rate"]', "0.3")
    synced(page)  # the edited setup is previewed
    expect(page.locator("[data-edge]")).to_have_count(3 * 4 + 4 * 2)
    assert get(server, "/api/jobs") == []
    assert "job=" not in url(page)
    page.click('[data-action="step-iteration"]')  # the first training step makes the job
    wait_until(lambda: job_id(page), what="a job")
    jobs = get(server, "/api/jobs")
    assert [j["id"] for j in jobs] == [job_id(page)]
    assert jobs[0]["spec"]["network"]["layers"] == [3, 4, 2]
    expect(page.locator('[data-readout="owner"]')).to_have_text("Your job")
    expect(page.locator('[data-action="delete-job"]')).to_be_visible()
    expect(page.locator('[data-action="fork"]')).to_be_hidden()


def test_a_watcher_cannot_change_the_job_and_forks_its_own_copy(
    page: Page, open_page: Any, server: LiveServer
) -> None:
    job = trained(page, 2)
    before = get(server, f"/api/jobs/{job}")
    other = open_page(f"/?job={job}")
    sent: list[Request] = []
    other.on("request", lambda r: sent.append(r) if r.method != "GET" else None)
    wait_until(lambda: readout(other, "iteration") == "6", what="the watched job")
    expect(other.locator('[data-readout="owner"]')).to_contain_text("read-only")
    for action in CONTROLS:
        expect(other.locator(f'#toolbar [data-action="{action}"]')).to_be_disabled()
    expect(other.locator('[data-field="training.learning_rate"]')).to_be_disabled()
    expect(other.locator('[data-action="delete-job"]')).to_be_hidden()
    # Clicks that get past the disabled state (enabled by hand) still change nothing: the page
    # never sends a change of a job it has no key for.
    for action in CONTROLS:
        other.evaluate(
            """a => { const b = document.querySelector(`#toolbar [data-action="${a}"]`);
                      b.disabled = false; b.click(); }""",
            action,
        )
    other.locator('label:has([data-mode="train"])').click()
    other.locator('label:has([data-mode="explain"])').click()
    with other.expect_response(lambda r: r.url.endswith(f"/api/jobs/{job}/fork")) as forked:
        other.click('[data-action="fork"]')  # also a barrier: every click above came first
    assert [(r.method, r.url) for r in sent if "/fork" not in r.url] == []
    after = get(server, f"/api/jobs/{job}")
    assert (after["status"], after["iteration"]) == (before["status"], before["iteration"])
    assert after["spec"]["training"]["learning_rate"] == before["spec"]["training"]["learning_rate"]

    copy = forked.value.json()["id"]
    wait_until(lambda: job_id(other) == copy, what="the page on its fork")
    expect(other.locator('[data-readout="owner"]')).to_have_text("Your job")
    view = get(server, f"/api/jobs/{copy}")
    assert (view["status"], view["iteration"]) == ("paused", 0)
    assert get(server, f"/api/jobs/{copy}/weights") == get(server, f"/api/jobs/{job}/weights")
    expect(other.locator('#toolbar [data-action="step-iteration"]')).to_be_enabled()
    other.click('#toolbar [data-action="step-iteration"]')  # the fork is the watcher's own
    wait_until(lambda: get(server, f"/api/jobs/{copy}")["iteration"] == 1, what="the fork's step")
    assert get(server, f"/api/jobs/{job}")["iteration"] == 6


def test_delete_from_the_page_removes_the_job(page: Page, server: LiveServer) -> None:
    job = trained(page, 1)
    page.once("dialog", lambda d: d.dismiss())
    page.click('[data-action="delete-job"]')
    assert get(server, f"/api/jobs/{job}")["id"] == job  # dismissed: kept
    page.once("dialog", lambda d: d.accept())
    page.click('[data-action="delete-job"]')
    wait_until(
        lambda: httpx.get(server.url(f"/api/jobs/{job}")).status_code == 404, what="the deletion"
    )
    # back to the preview of the form's setup: no job, the weights drawn, nothing stored
    wait_until(lambda: job_id(page) == "", what="the page to leave the job")
    wait_until(lambda: readout(page, "iteration") == "0", what="the preview")
    expect(page.locator('[data-readout="owner"]')).to_have_text("Preview")
    wait_until(lambda: "job=" not in url(page), what="the address to drop the job")
    assert get(server, "/api/jobs") == []
    expect(page.locator("#error")).to_be_hidden()


def test_the_timeline_replays_past_iterations(page: Page, server: LiveServer) -> None:
    job = trained(page, 4)  # 12 iterations
    timeline = page.locator('[data-control="timeline"]')
    expect(timeline).to_have_value("12")
    assert timeline.get_attribute("max") == "12"
    set_timeline(page, 5)
    wait_until(lambda: readout(page, "iteration") == "5", what="iteration 5 shown")
    trace = get(server, f"/api/jobs/{job}/trace?iteration=5")
    wait_until(lambda: shows(page, trace), what="its numbers")
    assert neuron_value(page, "2-1") == trace["layers"][1]["y"][1][0]
    expect(page.locator("#equations")).to_have_attribute("data-iteration", "5")
    expect(page.locator("#batches")).to_have_attribute("data-iteration", "5")
    assert get(server, f"/api/jobs/{job}")["iteration"] == 12  # replay does not train

    # explain mode replays forward: the next past iteration, animated, the job untouched
    page.locator('label:has([data-mode="explain"])').click()
    fast_animation(page)
    page.click('[data-action="step-iteration"]')
    wait_until(lambda: readout(page, "iteration") == "6", what="iteration 6 replayed")
    six = get(server, f"/api/jobs/{job}/trace?iteration=6")
    wait_until(lambda: shows(page, six), 20, "its numbers")  # y again once its phases played
    assert get(server, f"/api/jobs/{job}")["iteration"] == 12

    # a real drag of the range's thumb in Chromium: the iteration under it is shown
    box = timeline.bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + (6 - 1) / 11 * box["width"], y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.2, y, steps=8)
    page.mouse.up()
    dragged = int(timeline.input_value())
    assert 1 <= dragged < 6
    wait_until(lambda: readout(page, "iteration") == str(dragged), what="the dragged iteration")
    there = get(server, f"/api/jobs/{job}/trace?iteration={dragged}")
    wait_until(lambda: shows(page, there), what="its numbers")

    # ▶ replays on to the newest iteration and stops there: the job is not trained further
    set_timeline(page, 10)
    wait_until(lambda: readout(page, "iteration") == "10", what="iteration 10 shown")
    page.click('[data-action="play"]')
    wait_until(lambda: readout(page, "iteration") == "12", 20, "the replay to reach the newest")
    expect(page.locator('[data-action="play"]')).to_be_visible(timeout=20_000)  # stopped
    expect(page.locator("#timeline")).to_have_attribute("data-live", "true")
    assert get(server, f"/api/jobs/{job}")["iteration"] == 12

    set_timeline(page, 3)
    wait_until(lambda: readout(page, "iteration") == "3", what="iteration 3 shown")
    page.click('[data-action="live"]')
    wait_until(lambda: readout(page, "iteration") == "12", what="back to live")
    last = get(server, f"/api/jobs/{job}/trace")
    wait_until(lambda: shows(page, last), what="the newest")
    expect(timeline).to_have_value("12")
    expect(page.locator('[data-action="live"]')).to_be_disabled()


def test_a_finished_job_opens_on_its_last_iteration(open_page: Any, server: LiveServer) -> None:
    spec = {"network": {"layers": [3, 5, 2]}, "training": {"epochs": 5}, "start": "running"}
    created = httpx.post(server.url("/api/jobs"), json=spec, timeout=30.0)
    assert created.status_code == 201, created.text
    job = created.json()["id"]
    wait_until(lambda: get(server, f"/api/jobs/{job}")["status"] == "finished", what="the run")
    page = open_page(f"/?job={job}")
    wait_until(lambda: readout(page, "iteration") == "15", what="its last iteration")
    wait_until(lambda: diagram_drawn(page), what="the diagram's numbers")
    last = get(server, f"/api/jobs/{job}/trace")
    assert shows(page, last)
    expect(page.locator('[data-control="timeline"]')).to_have_value("15")
    expect(page.locator("#equations")).to_have_attribute("data-iteration", "15")


@pytest.mark.timeout(180)
def test_a_job_restored_after_a_restart_opens_on_its_last_iteration(
    browser: Browser, tmp_path: Path
) -> None:
    first = ServerProcess(tmp_path).start()
    spec = {"network": {"layers": [3, 5, 2]}, "training": {"epochs": 1000}, "start": "paused"}
    created = first.request("POST", "/api/jobs", json=spec)
    assert created.status_code == 201, created.text
    job, key = created.json()["id"], created.json()["key"]
    stepped = first.request(
        "POST", f"/api/jobs/{job}/step", json={"iterations": 7}, headers={"X-Job-Key": key}
    )
    assert stepped.status_code == 200, stepped.text
    first.stop(signal.SIGTERM)
    again = ServerProcess(tmp_path).start()
    console = Console()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = console.watch(context.new_page())
        page.set_default_timeout(15_000)
        page.goto(f"{again.url}/?job={job}")
        page.wait_for_selector("body[data-ready=true]")
        wait_until(lambda: readout(page, "iteration") == "7", what="the restored iteration")
        wait_until(lambda: diagram_drawn(page), what="the diagram's numbers")
        last = again.request("GET", f"/api/jobs/{job}/trace").json()
        assert shows(page, last)
        expect(page.locator('[data-readout="owner"]')).to_contain_text("read-only")  # not its key
    finally:
        context.close()
        again.stop()
    assert console.errors == []


def test_a_drag_across_the_loss_chart_zooms_to_exact_losses(page: Page, server: LiveServer) -> None:
    # A run of a known length (3,000 epochs of 3 batches), played to its end: how far an unpaced
    # run gets before a pause lands depends on the machine, and a drag over too many iterations
    # is answered in buckets, not exactly.
    page.fill('[data-field="training.epochs"]', "3000")
    synced(page)
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: bool(job_id(page)), what="the job")
    job = job_id(page)
    wait_until(lambda: get(server, f"/api/jobs/{job}")["status"] == "finished", 60, "the end")
    assert get(server, f"/api/jobs/{job}")["iteration"] == 9000
    chart = page.locator("#loss-chart")
    buckets = get(server, f"/api/jobs/{job}/history")
    assert buckets["width"] >= 2  # more iterations than buckets
    wait_until(lambda: chart.get_attribute("data-points") == str(len(buckets["mean"])), what="all")
    box = page.locator("#loss-chart .u-over").bounding_box()
    assert box is not None
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.3, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.5, y, steps=6)
    page.mouse.up()
    expect(chart).to_have_attribute("data-zoom", "exact")
    start, end = (int(chart.get_attribute(f"data-{a}") or 0) for a in ("from", "to"))
    exact = get(server, f"/api/jobs/{job}/history?from={start}&to={end}")["loss"]
    assert 100 < len(exact) == end - start + 1
    expect(chart).to_have_attribute("data-points", str(len(exact)))
    page.click('[data-action="reset-zoom"]')
    expect(chart).to_have_attribute("data-zoom", "none")
    expect(chart).to_have_attribute("data-points", str(len(buckets["mean"])))


def test_a_full_store_refuses_a_new_job_with_the_servers_message(browser: Browser) -> None:
    app = create_app(Settings(), limits=Limits(max_jobs=1))
    with live_server(app) as full:
        spec = {"network": {"layers": [3, 5, 2]}, "start": "paused"}
        assert httpx.post(full.url("/api/jobs"), json=spec).status_code == 201
        refused = httpx.post(full.url("/api/jobs"), json=spec)
        assert refused.status_code == 429
        console = Console()
        console.allow("status of 429")  # Chromium notes the refused request in the console
        context = browser.new_context(viewport=VIEWPORT)
        try:
            page = console.watch(context.new_page())
            page.goto(full.url("/"))
            page.wait_for_selector("body[data-ready=true]")
            page.click('[data-action="step-iteration"]')
            expect(page.locator("#error")).to_contain_text(refused.json()["detail"])
            assert job_id(page) == ""
        finally:
            context.close()
        assert console.errors == []
