"""Screenshots of the page's views for the docs, from the real page on a real server.

    .venv/bin/python -m tests.screenshots [NAME ...]

serves the app on a free port (tests/server.py), drives Debian's Chromium at 1280 × 800 and
writes docs/screenshots/NAME.png for each of: neuron-maps (each neuron's output over the plane,
after some training on circle), dataset-picker (the thumbnails), weight-editor (typing a weight
of a paused job), tour (a step of the Learn tour), landscape (the loss over two weights of W¹
with the descent path, after a run on xor). Without names it takes them all.
"""

from __future__ import annotations

import json
import sys
import urllib.request
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, ViewportSize, sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.e2e.helpers import (
    job_id,
    readout,
    synced,
    use_train_mode,
    wait_phase_end,
    wait_until,
)
from tests.server import LiveServer, live_server

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
VIEWPORT: ViewportSize = {"width": 1280, "height": 800}
CIRCLE = (
    "/?dataset=circle&samples=200&noise=0.1&layers=2-6-4-1&act=tanh&out=sigmoid&lr=0.03&epochs=400"
)
STATIC_BAR = ".bar { position: static !important; }"  # the sticky toolbar off element shots
# mini-batches of 2 (the default): the path zig-zags down into the bowl and stays in view
XOR = "/?dataset=xor&samples=200&noise=0.05&layers=2-4-1&act=tanh&out=sigmoid&lr=0.1&epochs=300"
LANDSCAPE = "#landscape"
PAIR = ("0,0,1", "0,0,2")  # W¹'s weights into hidden neuron 1 from x₁ and from x₂


def iteration(page: Page) -> int:
    return int(readout(page, "iteration").replace(",", "") or 0)


def train_to_end(page: Page, server: LiveServer, path: str) -> None:
    """Open the page on `path`'s setup and train it in train mode until the run ends."""
    page.goto(server.url(path))
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: "finished" in page.locator("#connection").inner_text(), 120, "the run's end")


def neuron_maps(page: Page, server: LiveServer) -> None:
    train_to_end(page, server, CIRCLE)
    wait_until(lambda: page.locator("#network .node-maps").get_attribute("data-iteration")
               == str(iteration(page)), what="the last maps")
    page.add_style_tag(content=STATIC_BAR)
    page.locator(".panel-network").screenshot(path=str(OUT / "neuron-maps.png"))


def dataset_picker(page: Page, server: LiveServer) -> None:
    page.goto(server.url("/"))
    page.wait_for_selector("body[data-ready=true]")
    page.click('[data-dataset="spiral"]')
    synced(page)
    wait_until(lambda: page.eval_on_selector_all(
        '[data-picker="dataset"] canvas', "cs => cs.every(c => c.dataset.drawn === 'true')"),
        what="every thumbnail")
    page.add_style_tag(content=STATIC_BAR)
    page.locator(".section-data").screenshot(path=str(OUT / "dataset-picker.png"))


def weight_editor(page: Page, server: LiveServer) -> None:
    page.goto(server.url("/?dataset=xor&layers=2-4-1&act=tanh&out=sigmoid"))
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    page.click('[data-action="step-epoch"]')
    wait_until(lambda: iteration(page) > 0, what="an epoch")
    page.focus('[data-edge="1-2-0"]')
    page.keyboard.press("Enter")
    page.fill('[data-input="weight"]', "-1.5")
    page.add_style_tag(content=STATIC_BAR)
    page.locator(".panel-network").screenshot(path=str(OUT / "weight-editor.png"))


def tour(page: Page, server: LiveServer) -> None:
    page.goto(server.url("/"))
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    page.click('[data-action="step-iteration"]')
    wait_until(lambda: page.locator('#equations [data-eq="dz"]').count() == 1, what="equations")
    wait_phase_end(page, "update")
    page.click('[data-action="tour"]')
    page.click('[data-action="tour-next"]')
    page.wait_for_timeout(600)  # the smooth scroll to the step's panel settles (a picture only)
    page.screenshot(path=str(OUT / "tour.png"))


def path_points(server: LiveServer, job: str, a: str, b: str) -> int:
    """The points of the pair's path the endpoint answers now (a 3 × 3 grid: cheap)."""
    query = f"a={a}&b={b}&span=1&grid=3"
    with urllib.request.urlopen(server.url(f"/api/jobs/{job}/landscape?{query}")) as response:
        return len(json.loads(response.read())["path"])


def landscape(page: Page, server: LiveServer) -> None:
    train_to_end(page, server, XOR)
    page.click("#landscape-title button.collapse")
    page.wait_for_selector('[data-panel="landscape"][data-collapsed="false"]')
    a, b = PAIR
    page.select_option(f'{LANDSCAPE} [data-param="a"]', a)
    page.select_option(f'{LANDSCAPE} [data-param="b"]', b)
    root = page.locator(LANDSCAPE)
    points = path_points(server, job_id(page), a, b)  # the run has ended: its whole path
    wait_until(
        lambda: (
            root.get_attribute("data-state") == "ready"
            and root.get_attribute("data-a") == a
            and root.get_attribute("data-b") == b
            and root.get_attribute("data-points") == str(points)
        ),
        30,
        "the pair's surface and its whole path",
    )
    page.add_style_tag(content=STATIC_BAR)
    page.locator(".panel-landscape").screenshot(path=str(OUT / "landscape.png"))


SHOTS: dict[str, Callable[[Page, LiveServer], None]] = {
    "neuron-maps": neuron_maps,
    "dataset-picker": dataset_picker,
    "weight-editor": weight_editor,
    "tour": tour,
    "landscape": landscape,
}


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(SHOTS))
    if unknown:
        print(f"unknown: {', '.join(unknown)}; known: {', '.join(SHOTS)}")
        return 2
    OUT.mkdir(parents=True, exist_ok=True)
    with live_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name in names or list(SHOTS):
            context = browser.new_context(viewport=VIEWPORT)
            page = context.new_page()
            page.set_default_timeout(30_000)
            SHOTS[name](page, server)
            context.close()
            print(f"wrote {OUT / name}.png")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
