"""Training from the page: play, the four phases of explain mode, a second viewer, 2-D data."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.server import LiveServer

from .helpers import (
    edge_widths,
    fast_animation,
    job_id,
    long_run,
    loss,
    number,
    readout,
    states,
    url,
    use_train_mode,
    wait_phase_end,
    wait_until,
)

BACKWARD_PULSE = "#c51b7d"
DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshot.png"
MAX_DOCS_BYTES = 300_000


def chart_points(page: Page) -> int:
    return int(page.locator("#loss-chart").get_attribute("data-points") or 0)


def test_play_in_train_mode_makes_the_loss_fall_and_the_chart_grow(page: Page) -> None:
    long_run(page)
    use_train_mode(page)
    page.click('[data-action="step-iteration"]')  # one iteration: the loss of the first weights
    first = wait_until(lambda: loss(page), what="a first loss")
    page.click('[data-action="play"]')
    expect(page.locator('[data-action="pause"]')).to_be_visible()
    wait_until(lambda: number(page, "iteration") > 2000, 30, "2000 iterations")
    later = loss(page)
    assert later is not None and later < first / 2, (first, later)
    # the chart draws the server's buckets: one per iteration up to 1024, then between 512
    # and 1024 of them as each bucket's width doubles
    assert chart_points(page) > 512
    assert number(page, "epoch") > 1
    page.click('[data-action="pause"]')
    expect(page.locator('[data-action="play"]')).to_be_visible()
    wait_until(
        lambda: "paused" in page.locator("#connection").inner_text(), what="the job to pause"
    )


def test_play_in_explain_mode_animates_iteration_after_iteration(page: Page) -> None:
    fast_animation(page)
    page.click('[data-action="play"]')
    seen: set[str] = set()

    def phases() -> bool:
        seen.add(readout(page, "phase"))
        return {"forward", "loss", "backward", "update"} <= seen and number(page, "iteration") >= 2

    wait_until(phases, 30, "two animated iterations")
    wait_until(lambda: chart_points(page) >= 2, what="the chart to grow")
    page.click('[data-action="pause"]')


def test_stepping_phases_walks_forward_loss_backward_update(page: Page) -> None:
    fast_animation(page)
    step = page.locator('[data-action="step-phase"]')
    svg = page.locator("#network svg")

    step.click()  # forward: every neuron lit with its activation, eqs. (1)–(2)
    expect(svg).to_have_attribute("data-phase", "forward")
    wait_phase_end(page, "forward")
    assert set(states(page, "[data-neuron]")) == {"forward"}
    assert readout(page, "phase") == "forward"
    assert set(states(page, "[data-edge]")) == {"done"}
    values = page.eval_on_selector_all("[data-neuron] text", "els => els.map(e => e.textContent)")
    assert all(v not in ("", "—") for v in values)
    before = edge_widths(page)

    step.click()  # loss: the outputs against their targets, ℓ (eq. 5)
    expect(svg).to_have_attribute("data-phase", "loss")
    wait_phase_end(page, "loss")
    assert states(page, '[data-neuron^="2-"]') == ["loss", "loss"]
    expect(page.locator(".loss-box")).to_be_visible()
    expect(page.locator(".loss-box")).to_contain_text("ℓ =")

    step.click()  # backward: ∂ℓ/∂z on neurons, ∂ℓ/∂w on lines, output to input (Figure 4)
    expect(svg).to_have_attribute("data-phase", "backward")
    wait_phase_end(page, "backward")
    assert set(states(page, '[data-neuron^="1-"], [data-neuron^="2-"]')) == {"backward"}
    strokes = page.eval_on_selector_all(
        "[data-edge]", "els => els.map(e => e.getAttribute('stroke'))"
    )
    assert set(strokes) == {BACKWARD_PULSE}

    step.click()  # update: each weight eases from its old to its new value
    expect(svg).to_have_attribute("data-phase", "update")
    wait_phase_end(page, "update")
    assert set(states(page, "[data-edge]")) == {"update"}
    after = edge_widths(page)
    assert after.keys() == before.keys()
    assert any(after[k] != before[k] for k in after), "no weight line changed at the update"
    assert readout(page, "iteration") == "1"

    step.click()  # the next iteration starts over with the forward pass
    expect(svg).to_have_attribute("data-phase", "forward")
    wait_until(lambda: readout(page, "iteration") == "2", what="the second iteration")


def test_step_epoch_and_reset(page: Page) -> None:
    page.click('[data-action="step-epoch"]')
    wait_until(
        lambda: readout(page, "iteration") == "3", what="one epoch: 3 mini-batches of 2 rows"
    )
    assert readout(page, "epoch") == "1"
    page.click('[data-action="reset"]')
    wait_until(lambda: readout(page, "iteration") == "0", what="the reset")
    assert readout(page, "phase") == "idle"
    wait_until(lambda: chart_points(page) == 0, what="the chart to clear")


def test_a_second_page_attached_to_the_job_receives_its_frames(page: Page, open_page) -> None:
    long_run(page)
    use_train_mode(page)
    page.click('[data-action="step-iteration"]')  # the first training step makes the job
    job = wait_until(lambda: job_id(page), what="the job id in the URL")
    other = open_page(f"/?job={job}&view=train")
    expect(other.locator(f'[data-job="{job}"].current')).to_have_count(1)
    page.click('[data-action="play"]')
    wait_until(lambda: number(other, "iteration") > 100, what="frames on the second page")
    seen = number(other, "iteration")
    wait_until(lambda: number(other, "iteration") > seen, what="more frames on the second page")
    assert other.locator("[data-neuron]").count() == 10
    page.click('[data-action="pause"]')
    wait_until(
        lambda: "paused" in other.locator("#connection").inner_text(),
        what="the pause, seen by both",
    )


def test_a_2d_data_set_trains_and_is_pictured(page: Page, artifacts: Path) -> None:
    page.select_option('[data-field="dataset.name"]', "xor")
    page.fill('[data-field="network.layers"]', "6, 4")
    page.click('[data-action="remove-neuron"][data-layer="3"]')  # one output: the class
    page.select_option('[data-field="network.activation"]', "tanh")
    page.fill('[data-field="training.learning_rate"]', "0.05")
    page.select_option('[data-field="training.mode"]', "minibatch")
    page.fill('[data-field="training.batch_size"]', "10")
    long_run(page)
    expect(page.locator("[data-edge]")).to_have_count(2 * 6 + 6 * 4 + 4 * 1)
    wait_until(lambda: "layers=2-6-4-1" in url(page) and "dataset=xor" in url(page), what="the URL")
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: number(page, "epoch") > 20, 30, "20 epochs of xor")
    equations = page.locator("#equations")
    wait_until(lambda: "is-empty" not in (equations.get_attribute("class") or ""), what="equations")
    # Typeset by KaTeX (in slices across frames): readable math, no TeX source on screen.
    wait_until(lambda: page.locator("#equations .ev-math .katex").count() >= 5, what="KaTeX")
    assert "\\" not in page.locator("#equations .ev-rows").inner_text()
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(0, 0)
    page.wait_for_timeout(300)
    shot = artifacts / "running-2d.png"
    page.screenshot(path=str(shot))
    page.click('[data-action="pause"]')
    assert page.locator("#output canvas").count() > 0  # the decision surface is drawn
    # ... computed by the page's worker (planeWorker.js), not on the main thread
    output = page.locator("#output")
    wait_until(lambda: int(output.get_attribute("data-draws") or 0) > 0, what="the surface drawn")
    assert output.get_attribute("data-computed") == "worker"
    if os.environ.get("PLAYGROUND_UPDATE_SCREENSHOT") == "1":  # refreshes the README's picture
        assert shot.stat().st_size < MAX_DOCS_BYTES, shot.stat().st_size
        shutil.copyfile(shot, DOCS_SCREENSHOT)


def test_the_train_speed_paces_the_job(page: Page, server: LiveServer) -> None:
    use_train_mode(page)
    page.select_option('[data-control="train-speed"]', "5")
    page.click('[data-action="play"]')
    wait_until(lambda: number(page, "iteration") >= 1, what="the first paced iteration")
    job = server.jobs.get(job_id(page))
    assert job.speed == 5  # the page asked for 5 iterations a second
    began, start = time.monotonic(), job.trainer.iteration
    wait_until(lambda: number(page, "iteration") >= start + 3, what="three more iterations")
    done, elapsed = job.trainer.iteration - start, time.monotonic() - began
    # Paced, not flat out: a busy machine can slow the job down, never speed it past 5 a
    # second (the pace catches up 0.1 s at most after a slow spell).
    assert done <= 5 * (elapsed + 0.1) + 1, (done, elapsed)
    page.click('[data-action="pause"]')
