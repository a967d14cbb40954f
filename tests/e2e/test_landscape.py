"""The loss landscape on the page: pick two weights, see the surface and the descent path grow."""

from __future__ import annotations

import json
import urllib.request

from playwright.sync_api import Page

from tests.server import LiveServer

from .helpers import job_id, readout, use_train_mode, wait_until

VIEW = "#landscape"


def attr(page: Page, name: str) -> str:
    """An attribute of the landscape view's root ("" when absent)."""
    return page.locator(VIEW).get_attribute(name) or ""


def points(page: Page) -> int:
    return int(attr(page, "data-points") or 0)


def open_panel(page: Page) -> None:
    """Unfold the landscape's panel (folded by default, below the network)."""
    page.click("#landscape-title button.collapse")
    page.wait_for_selector('[data-panel="landscape"][data-collapsed="false"]')


def landscape(server: LiveServer, job: str, a: str, b: str, grid: int) -> dict[str, list]:
    """The endpoint's answer, read without the page."""
    query = f"a={a}&b={b}&span=1&grid={grid}"
    with urllib.request.urlopen(server.url(f"/api/jobs/{job}/landscape?{query}")) as response:
        return json.loads(response.read())


def test_the_landscape_waits_for_a_job_then_draws_the_two_weights_picked(page: Page) -> None:
    open_panel(page)
    # no job yet (the form's preview): a note, no request
    assert attr(page, "data-state") == "empty"
    assert "Create or train a job" in page.locator(f"{VIEW} .ls-message").inner_text()
    use_train_mode(page)
    page.click('[data-action="step-epoch"]')  # the first step makes the job: 3 iterations
    wait_until(lambda: job_id(page), what="the job")
    page.select_option(f'{VIEW} [data-param="a"]', "0,0,1")  # w₁,₁ of W¹
    page.select_option(f'{VIEW} [data-param="b"]', "0,1,0")  # bias b₂ of W¹
    page.select_option(f'{VIEW} [data-control="grid"]', "21")
    wait_until(
        lambda: attr(page, "data-grid") == "21" and attr(page, "data-b") == "0,1,0",
        what="the 21 × 21 landscape of the pair picked",
    )
    assert attr(page, "data-state") == "ready"
    assert points(page) >= 2  # iteration 0's keyframe and the weights now
    assert page.locator(f'{VIEW} [data-axis="a"]').inner_text().startswith("w₁,₁ of W¹")
    assert page.locator(f'{VIEW} [data-axis="b"]').inner_text().startswith("bias b₂ of W¹")
    # the canvas is painted: its centre pixel is opaque
    alpha = page.evaluate(
        """() => { const c = document.querySelector('#landscape canvas');
                   const ctx = c.getContext('2d');
                   return ctx.getImageData(c.width / 2, c.height / 2, 1, 1).data[3]; }"""
    )
    assert alpha == 255


def test_the_path_grows_while_the_job_trains_and_the_readout_names_the_loss(
    page: Page, server: LiveServer
) -> None:
    page.fill('[data-field="training.epochs"]', "2000")
    use_train_mode(page)
    page.click('[data-action="step-epoch"]')
    wait_until(lambda: job_id(page), what="the job")
    open_panel(page)
    wait_until(lambda: attr(page, "data-state") == "ready", what="the first landscape")
    first = points(page)
    page.click('[data-action="play"]')  # 6,000 iterations, a keyframe every 64: the path grows
    wait_until(lambda: "finished" in page.locator("#connection").inner_text(), 60, "the run's end")
    wait_until(lambda: points(page) > first + 2, 30, "a longer descent path")
    # the pointer over the canvas's centre: the current values, the path's last point
    page.locator(f"{VIEW} canvas").hover()  # scrolled into view, the pointer at its centre
    text = wait_until(lambda: readout(page, "landscape"), what="the read-out")
    assert "(now)" in text, text
    grid = int(attr(page, "data-grid"))
    answer = landscape(server, job_id(page), "1,0,1", "1,0,2", grid)  # the default pair
    centre = answer["loss"][grid // 2][grid // 2]
    shown = float(text.split("ℓ = ")[1].split(" ")[0].replace("−", "-"))
    assert abs(shown - centre) <= 1e-3 * abs(centre) + 1e-12, (shown, centre)
    assert f"path point {len(answer['path'])} of {len(answer['path'])}" in text
