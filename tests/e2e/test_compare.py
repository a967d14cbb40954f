"""The compare view (compare.html) in real Chromium: batch, stochastic and mini-batch gradient
descent trained at once on the article's six rows, from the same initial weights."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

from playwright.sync_api import Page, Route

from backend.api.app import FRONTEND
from tests.server import LiveServer

RUNS = ("batch", "sgd", "minibatch")
EPOCHS = 30
ROWS = 6  # the article's data set


def get(server: LiveServer, path: str) -> Any:
    """A GET of the API, as any client makes it."""
    with urllib.request.urlopen(server.url(path), timeout=10) as response:
        return json.load(response)


def chart(page: Page) -> dict[str, str]:
    return dict(page.eval_on_selector(".cmp-chart", "e => ({...e.dataset})"))


def ends(page: Page) -> dict[str, float]:
    return {k: float(v) for k, v in json.loads(chart(page)["ends"]).items()}


def set_axis(page: Page, axis: str) -> None:
    page.locator(f'label:has([data-axis="{axis}"])').click()
    page.wait_for_selector(f'.cmp-chart[data-axis="{axis}"]')


def test_three_runs_from_the_same_weights_on_one_chart(open_page: Any, server: LiveServer) -> None:
    page: Page = open_page(f"/compare.html?epochs={EPOCHS}")
    per_epoch = {
        run: page.locator(f'.cmp-run[data-run="{run}"]').get_attribute("data-per-epoch")
        for run in RUNS
    }
    assert per_epoch == {"batch": "1", "sgd": "6", "minibatch": "3"}  # b = 2 of 6 rows

    # hold the three resumes: the jobs exist, paused at iteration 0, until the test lets go
    held: list[Route] = []
    page.route("**/api/jobs/*/resume", lambda route: held.append(route))
    page.locator('[data-action="play"]').click()
    deadline = 300  # × 0.1 s: generous
    while len(held) < 3 and deadline:
        page.wait_for_timeout(100)  # lets Playwright hand the held requests over
        deadline -= 1
    assert len(held) == 3, "the page did not resume three jobs"
    ids = page.eval_on_selector("[data-view=compare]", "e => e.dataset.jobs").split(",")
    assert len(set(ids)) == 3 and all(ids)
    views = [get(server, f"/api/jobs/{i}") for i in ids]
    assert [v["status"] for v in views] == ["paused"] * 3
    assert [v["iteration"] for v in views] == [0, 0, 0]
    assert [v["spec"]["training"]["mode"] for v in views] == list(RUNS)
    assert len({v["spec"]["training"]["seed"] for v in views}) == 1
    weights = [get(server, f"/api/jobs/{i}/weights") for i in ids]
    assert weights[0] == weights[1] == weights[2]
    for route in held:
        route.continue_()
    page.unroute("**/api/jobs/*/resume")

    page.wait_for_selector("[data-view=compare][data-state=ended]", timeout=30_000)
    page.wait_for_selector("[data-view=compare][data-same-weights=true]")
    page.wait_for_function(
        "() => JSON.parse(document.querySelector('.cmp-chart').dataset.ends || '{}').sgd === 180"
    )
    assert chart(page)["seriesCount"] == "3"
    assert [get(server, f"/api/jobs/{i}")["iteration"] for i in ids] == [30, 180, 90]
    # iterations: SGD updates six times per epoch on six rows, batch once
    e = ends(page)
    assert e["sgd"] == 6 * e["batch"] == 6 * EPOCHS and e["minibatch"] == 3 * EPOCHS
    set_axis(page, "epochs")
    assert set(ends(page).values()) == {EPOCHS}
    assert float(chart(page)["xMax"]) == EPOCHS
    set_axis(page, "samples")
    assert set(ends(page).values()) == {EPOCHS * ROWS}
    set_axis(page, "epochs")

    if (FRONTEND / "js" / "views" / "landscape.js").exists():  # the landscape view, when built
        page.wait_for_selector('#compare-landscape[data-state="ready"][data-paths="3"]')

    sgd = page.locator('.cmp-run[data-run="sgd"]')
    alone = sgd.locator('[data-action="open-alone"]').get_attribute("href")
    assert alone == f"./?job={ids[1]}&view=train"

    # the link reproduces the comparison: the same jobs, the same axis
    page.wait_for_function("() => location.search.includes('x=epochs')")
    link = str(page.evaluate("location.href"))
    assert all(f"job-{run}={i}" in link for run, i in zip(RUNS, ids, strict=True))
    page.goto(link)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector(f'[data-view=compare][data-jobs="{",".join(ids)}"]')
    page.wait_for_selector('.cmp-chart[data-axis="epochs"][data-series-count="3"]')
    assert set(ends(page).values()) == {EPOCHS}


def test_a_bad_rate_names_its_field_and_stops_play(open_page: Any) -> None:
    page: Page = open_page("/compare.html")
    rate = page.locator('[data-control="lr-sgd"]')
    rate.fill("-1")
    rate.press("Enter")
    page.wait_for_function(
        "() => document.querySelector('.cmp-run[data-run=sgd] .field-error').textContent"
        ".includes('Learning rate α must be a number > 0')"
    )
    assert page.locator('[data-action="play"]').is_disabled()
    page.wait_for_function("() => location.search.includes('lr-sgd=-1')")  # the link keeps it


def test_a_link_to_gone_jobs_keeps_its_settings_and_makes_new_ones(
    open_page: Any, console: Any
) -> None:
    console.allow("404")  # the browser's note on GET /api/jobs/{id} of a job that is gone
    gone = "&".join(f"job-{run}=gone{run}" for run in RUNS)
    page: Page = open_page(f"/compare.html?epochs=3&lr-sgd=0.25&{gone}")
    page.wait_for_selector(".cmp-message:not([hidden])")
    assert "no longer exist" in page.locator(".cmp-message").inner_text()
    assert page.locator("[data-view=compare]").get_attribute("data-state") == "setup"
    assert page.locator('[data-control="lr-sgd"]').input_value() == "0.25"
    page.wait_for_function("() => !location.search.includes('job-')")
    page.locator('[data-action="play"]').click()
    page.wait_for_selector("[data-view=compare][data-state=ended]", timeout=30_000)
    ids = page.eval_on_selector("[data-view=compare]", "e => e.dataset.jobs").split(",")
    assert len(set(ids)) == 3 and not any(i.startswith("gone") for i in ids)
    assert page.locator('[data-action="reset"]').is_enabled()  # the page owns them
    page.wait_for_function(f"() => location.search.includes('job-sgd={ids[1]}')")
