"""Issue 11 for the learner: honest numbers (the batch ℓ and the whole sets' losses and
accuracies), clear states (one answer in the header, the toolbar and ▶/⏸; the loss in the loss
phase; the server's message), hints (dead ReLUs, τ), wide layers drawn as themselves, and the
page on a 390 × 844 phone."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.process import ServerProcess
from tests.server import LiveServer

from .conftest import Console
from .helpers import (
    fast_animation,
    job_id,
    long_run,
    readout,
    synced,
    use_train_mode,
    wait_phase_end,
    wait_until,
)

PHONE = {"width": 390, "height": 844}

# Text boxes that must not overlap: the header, the toolbar's read-outs, the diagram's labels.
TEXTS = (
    ".top h1, .top .connection, #toolbar dt, #toolbar dd, #toolbar .group-caption, "
    "#toolbar .tolerance, .panel-network h2, .phase-step, .phase-detail, #network .col-name, "
    "#network .col-count, #network .arch, #network .sample-text, #network svg text"
)
OVERLAPS = """(selector) => {
  const shown = (e) => {
    const r = e.getBoundingClientRect(), st = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && st.visibility !== "hidden" && st.display !== "none"
      && !e.closest("[hidden], [visibility=hidden]") && e.textContent.trim() !== "";
  };
  const boxes = [...document.querySelectorAll(selector)].filter(shown)
    .map((e) => ({ e, r: e.getBoundingClientRect() }));
  const out = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const [a, b] = [boxes[i], boxes[j]];
    if (a.e.contains(b.e) || b.e.contains(a.e)) continue;
    const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
    const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
    if (w > 0.5 && h > 0.5) out.push(`"${a.e.textContent.trim()}" on "${b.e.textContent.trim()}"`);
  }
  return out;
}"""
# Font sizes (CSS px) of the numbers the diagram shows inside its neurons.
NUMBER_SIZES = """() => [...document.querySelectorAll('[data-neuron] text.value')]
  .filter((t) => t.getAttribute('display') !== 'none' && t.textContent !== '')
  .map((t) => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a)"""
# Every button, input and select of the page that is not hidden: is it on screen sideways and
# the topmost element at its centre once scrolled into view (nothing covers it)?
UNREACHABLE = """() => {
  const out = [];
  for (const e of document.querySelectorAll('button, input, select, textarea, [tabindex="0"]')) {
    const r0 = e.getBoundingClientRect();
    if (r0.width === 0 || r0.height === 0 || e.closest('[hidden], .sr-only')) continue;
    if (getComputedStyle(e).visibility === 'hidden' || e.closest('.tour')) continue;
    e.scrollIntoView({ block: 'center', inline: 'nearest' });
    const r = e.getBoundingClientRect();
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const top = document.elementFromPoint(x, y);
    const label = e.getAttribute('aria-label') || e.dataset.action || e.dataset.field
      || e.textContent.trim() || e.tagName;
    const mine = top && (e === top || e.contains(top) || top.contains(e)
      || e.closest('label')?.contains(top));
    if (r.left < -1 || r.right > innerWidth + 1) out.push(`${label}: off screen sideways`);
    else if (!mine) out.push(`${label}: covered by ${top?.className || top?.tagName}`);
  }
  window.scrollTo(0, 0);
  return out;
}"""


def post(server: LiveServer, path: str, body: Any, key: str | None = None) -> Any:
    headers = {"X-Job-Key": key} if key else {}
    answer = httpx.post(server.url(path), json=body, headers=headers, timeout=30.0)
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def get(server: LiveServer, path: str) -> Any:
    answer = httpx.get(server.url(path), timeout=30.0)
    assert answer.status_code == 200, answer.text
    return answer.json()


def value(page: Page, name: str) -> float | None:
    """The exact number of a [data-readout] (its data-value), None when it has none."""
    text = page.locator(f'[data-readout="{name}"]').first.get_attribute("data-value")
    return float(text) if text else None


def finished(page: Page) -> bool:
    return readout(page, "status") in ("finished", "converged", "diverged")


def check_phone_layout(page: Page, what: str) -> None:
    """No sideways scroll, no text on another, numbers ≥ 11 px, every control reachable."""
    width = page.evaluate("[document.scrollingElement.scrollWidth, innerWidth]")
    assert width[0] <= width[1], f"{what}: the page scrolls sideways ({width})"
    assert page.evaluate(OVERLAPS, TEXTS) == [], what
    sizes = page.evaluate(NUMBER_SIZES)
    assert all(s >= 11 - 1e-6 for s in sizes), f"{what}: numbers of {min(sizes):.1f} px"
    assert page.evaluate(UNREACHABLE) == [], what


# ---------------------------------------------------------------- honest numbers


def test_accuracy_and_whole_set_losses_are_the_jobs_metrics(page: Page, server: LiveServer) -> None:
    page.goto(server.url("/?dataset=circle&samples=200&test=0.2&layers=2-6-1&loss=cross_entropy"))
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    use_train_mode(page)
    for _ in range(3):
        page.click('[data-action="step-epoch"]')
        page.wait_for_selector('[data-action="step-epoch"]:not([disabled])')
    job = job_id(page)
    wait_until(lambda: get(server, f"/api/jobs/{job}")["epoch"] == 3, what="three epochs")
    metrics = get(server, f"/api/jobs/{job}")["metrics"]
    wait_until(lambda: value(page, "accuracy") == metrics["train_accuracy"], what="the accuracy")
    assert 0 <= metrics["train_accuracy"] <= 1 and 0 <= metrics["test_accuracy"] <= 1
    assert value(page, "test-accuracy") == metrics["test_accuracy"]
    assert value(page, "train-loss") == metrics["train_loss"]
    assert value(page, "test-loss") == metrics["test_loss"]
    assert readout(page, "accuracy") == f"{metrics['train_accuracy'] * 100:.1f} %"
    caption = readout(page, "metrics-iteration")
    assert caption == f"whole set · after it. {metrics['iteration']:,}"
    # the batch ℓ is the last batch's, labelled as such, beside the whole set's
    expect(page.locator(".readout-loss dt")).to_have_text("Batch ℓ")
    assert value(page, "loss") == get(server, f"/api/jobs/{job}")["loss"]
    # the chart: the whole-set losses per metric point over the batch band, which hides
    chart = page.locator("#loss-chart")
    wait_until(
        lambda: int(chart.get_attribute("data-whole-points") or 0) >= 3, what="metric points"
    )
    page.locator('[data-control="batch-band"]').uncheck()
    expect(chart).to_have_attribute("data-batch", "false")
    assert int(chart.get_attribute("data-whole-points") or 0) >= 3


def test_a_regression_has_no_accuracy(page: Page) -> None:
    page.click('[data-action="step-iteration"]')
    wait_until(
        lambda: readout(page, "status") in ("paused", "explaining iteration 1"), what="a step"
    )
    wait_until(lambda: value(page, "train-loss") is not None, what="the whole set's loss")
    assert page.locator('[data-readout="accuracy"]').get_attribute("data-value") in (None, "")
    assert page.locator('[data-readout="test-accuracy"]').get_attribute("data-value") in (None, "")


def test_the_loss_appears_in_the_loss_phase(page: Page) -> None:
    page.click('[data-action="step-phase"]')
    expect(page.locator("#network svg")).to_have_attribute("data-phase", "forward")
    assert readout(page, "loss") == "…"
    assert value(page, "loss") is None
    expect(page.locator('.ev-row[data-eq="loss"]')).to_have_class("ev-row is-ahead")
    wait_until(
        lambda: (
            page.locator('.phase-step[data-phase-step="forward"]').get_attribute("data-progress")
            == "1.000"
        ),
        what="the forward pass played",
    )
    assert value(page, "loss") is None
    page.click('[data-action="step-phase"]')
    expect(page.locator("#network svg")).to_have_attribute("data-phase", "loss")
    wait_until(lambda: value(page, "loss") is not None, what="ℓ in the loss phase")


# ---------------------------------------------------------------- clear states


def test_explain_mode_says_what_it_explains_while_the_job_waits(
    page: Page, server: LiveServer
) -> None:
    page.click('[data-action="play"]')
    expect(page.locator('#toolbar [data-action="pause"]')).to_be_visible()
    wait_until(lambda: readout(page, "status").startswith("explaining iteration"), what="explain")
    job = job_id(page)
    assert get(server, f"/api/jobs/{job}")["status"] == "paused"  # the server's job waits
    header = page.locator("#connection")
    expect(header).to_contain_text("explaining iteration")
    expect(header).not_to_contain_text("paused")
    page.click('#toolbar [data-action="pause"]')
    expect(page.locator('#toolbar [data-action="play"]')).to_be_visible()


def test_a_watcher_sees_the_jobs_real_status_and_button(
    page: Page, open_page: Any, server: LiveServer
) -> None:
    long_run(page)
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: readout(page, "status") == "running", what="the job to run")
    job = job_id(page)
    for mode in ("explain", "train"):
        other = open_page(f"/?job={job}&view={mode}")
        button = other.locator("#toolbar .play-button")
        expect(button).to_have_attribute("data-action", "pause")  # it runs: ⏸, not ▶
        expect(button).to_be_disabled()  # and it is not the watcher's to pause
        expect(other.locator("#connection")).to_contain_text("running")
        expect(other.locator('[data-readout="status"]')).to_have_text("running")
    page.click('#toolbar [data-action="pause"]')
    expect(other.locator("#toolbar .play-button")).to_have_attribute("data-action", "play")
    expect(other.locator('[data-readout="status"]')).to_have_text("paused")


def test_a_divergence_shows_the_servers_message(page: Page) -> None:
    page.goto(page.url.split("?")[0] + "?act=linear&out=linear&loss=mse&lr=1000&view=train")
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    page.click('[data-action="play"]')
    message = page.locator('[data-readout="job-message"]')
    expect(message).to_contain_text("Diverged at iteration")
    expect(message).to_contain_text("lower the learning rate")
    expect(page.locator('[data-readout="status"]')).to_have_text("diverged")
    expect(page.locator("#connection")).to_contain_text("diverged")


@pytest.mark.timeout(180)
def test_a_restart_shows_why_the_job_paused(browser: Browser, tmp_path: Path) -> None:
    first = ServerProcess(tmp_path).start()
    spec = {
        "network": {"layers": [3, 5, 2]},
        "training": {"epochs": 100000},
        "speed": 50,
        "start": "running",
    }
    created = first.request("POST", "/api/jobs", json=spec)
    assert created.status_code == 201, created.text
    job = created.json()["id"]
    wait_until(lambda: first.request("GET", f"/api/jobs/{job}").json()["iteration"] > 5, what="run")
    first.stop(signal.SIGTERM)
    again = ServerProcess(tmp_path).start()
    console = Console()
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        page = console.watch(context.new_page())
        page.set_default_timeout(15_000)
        page.goto(f"{again.url}/?job={job}")
        page.wait_for_selector("body[data-ready=true]")
        message = page.locator('[data-readout="job-message"]')
        expect(message).to_contain_text("the server restarted")
        expect(page.locator('[data-readout="status"]')).to_have_text("paused")
    finally:
        context.close()
        again.stop()
    assert console.errors == []


# ---------------------------------------------------------------- hints


def test_dead_relus_are_marked_and_explained(page: Page) -> None:
    page.goto(page.url.split("?")[0] + "?act=relu&lr=50&epochs=1000&view=train")
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    page.click('[data-action="play"]')
    wait_until(lambda: finished(page), 30, "the run's end")
    hint = page.locator('[data-hint="dead-relu"]')
    expect(hint).to_be_visible()
    expect(hint).to_contain_text("hidden ReLU neurons")
    expect(hint).to_contain_text("α = 50")
    dead = page.locator('[data-neuron^="1-"][data-dead="true"]').count()
    assert dead >= 1
    assert hint.inner_text().startswith(f"{dead} of 5 hidden ReLU neurons")


def test_a_tolerance_above_the_updates_is_explained(page: Page) -> None:
    page.goto(page.url.split("?")[0] + "?tol=0.5")
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    use_train_mode(page)
    page.click('[data-action="play"]')
    expect(page.locator('[data-readout="status"]')).to_have_text("converged")
    hint = page.locator('[data-hint="tolerance"]')
    expect(hint).to_contain_text("Converged")
    expect(hint).to_contain_text("τ = 0.5")
    expect(hint).to_contain_text("A sensible τ")
    delta = value(page, "max-delta")
    assert delta is not None and 0 < delta < 0.5
    expect(page.locator('[data-readout="tolerance"]')).to_have_text("τ = 0.5")


# ---------------------------------------------------------------- wide layers


def wide_diagram(page: Page) -> None:
    """The diagram and its header name 3-200-2 and draw part of the wide layer, marked."""
    expect(page.locator('[data-readout="network"]')).to_have_text("3-200-2")
    expect(page.locator('[data-readout="architecture"]')).to_contain_text("3-200-2")
    marker = page.locator('[data-more="1"]')
    expect(marker).to_have_attribute("data-total", "200")
    expect(marker).to_contain_text("200")
    shown = int(marker.get_attribute("data-shown") or 0)
    assert 1 <= shown < 200
    expect(page.locator('[data-neuron^="1-"]')).to_have_count(shown)
    expect(page.locator('[data-neuron^="0-"]')).to_have_count(3)
    expect(page.locator('[data-neuron^="2-"]')).to_have_count(2)


def test_a_3_200_2_network_is_drawn_as_3_200_2(
    page: Page, server: LiveServer, artifacts: Path
) -> None:
    page.goto(page.url.split("?")[0] + "?layers=3-200-2")
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    wide_diagram(page)
    use_train_mode(page)  # a step without animation: the diagram shows each neuron's y
    page.click('[data-action="step-iteration"]')
    wait_until(lambda: readout(page, "iteration") == "1", what="the first iteration")
    trace = get(server, f"/api/jobs/{job_id(page)}/trace")
    y = trace["layers"][0]["y"][3][0]  # a drawn neuron of the wide layer, from the cut frames
    neuron = page.locator('[data-neuron="1-3"]')
    wait_until(lambda: neuron.get_attribute("data-value") == str(y), what="hidden neuron 4's y")
    page.screenshot(path=str(artifacts / "wide-3-200-2.png"))


def test_a_watched_3_200_2_job_is_drawn_as_itself(page: Page, server: LiveServer) -> None:
    """The page was showing 3-5-2: a 3-200-2 job opened by its link replaces it."""
    expect(page.locator('[data-readout="network"]')).to_have_text("3-5-2")
    spec = {"network": {"layers": [3, 200, 2]}, "start": "paused"}
    created = post(server, "/api/jobs", spec)
    post(server, f"/api/jobs/{created['id']}/step", {"iterations": 4}, created["key"])
    page.goto(page.url.split("?")[0] + f"?job={created['id']}")
    page.wait_for_selector("body[data-ready=true]")
    wait_until(lambda: readout(page, "iteration") == "4", what="the job's iteration")
    wide_diagram(page)


# ---------------------------------------------------------------- phones


def test_the_phone_layout(open_page: Any, artifacts: Path) -> None:
    page = open_page("/", viewport=PHONE)
    synced(page)
    # the network panel comes first, right under the toolbar
    network = page.locator(".panel-network").bounding_box()
    setup = page.locator("#controls").bounding_box()
    assert network and setup and network["y"] < setup["y"]
    check_phone_layout(page, "the preview")
    fast_animation(page)
    page.click('[data-action="step-phase"]')
    wait_phase_end(page, "forward")
    page.click('[data-action="step-phase"]')  # into the loss phase: targets, ŷ and ℓ shown
    expect(page.locator("#network svg")).to_have_attribute("data-phase", "loss")
    wait_until(lambda: page.locator(".loss-box").get_attribute("visibility") == "visible", what="ℓ")
    check_phone_layout(page, "the loss phase")
    page.screenshot(path=str(artifacts / "phone-loss-phase.png"))
    for path in (
        "/?layers=3-4-4-4-2",
        "/?dataset=spiral&layers=2-8-8-8-8-8-8-1&test=0.2",
        "/?layers=3-200-2",
    ):
        page.goto(page.url.split("?")[0] + path.lstrip("/"))
        page.wait_for_selector("body[data-ready=true]")
        synced(page)
        page.click('[data-action="step-iteration"]')
        wait_until(lambda: readout(page, "iteration") == "1", what="a first iteration")
        page.wait_for_selector('#network svg[data-phase="update"], #network svg[data-phase="idle"]')
        check_phone_layout(page, path)
