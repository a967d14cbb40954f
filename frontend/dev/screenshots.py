"""The page's screenshots in docs/screenshots/, taken from the real page on a real server.

    .venv/bin/python frontend/dev/screenshots.py

A server (tests/server.py, in memory) and headless Chromium (tests/chromium.py): the toolbar's
honest numbers on a classification with a test split, the loss chart's whole-set losses over
the batch-loss band, a 3-200-2 network's wide layer, and the 390 × 844 phone layout in the loss
phase. Each is a PNG of the part of the page it shows.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # the repository's tests/ (its server and Chromium's flags)

from tests.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.server import live_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
CIRCLE = "/?dataset=circle&samples=300&noise=0.1&test=0.2&layers=2-6-1&loss=cross_entropy&lr=0.3"


def opened(page: Page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("body[data-synced=true]")


def epochs(page: Page, count: int) -> None:
    """Step `count` epochs in train mode, each once the previous one is in."""
    page.locator('label:has([data-mode="train"])').click()
    for _ in range(count):
        page.click('[data-action="step-epoch"]')
        page.wait_for_selector('[data-action="step-epoch"]:not([disabled])')


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with live_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        opened(page, server.url(CIRCLE + "&epochs=400&batch=10&mode=minibatch"))
        epochs(page, 6)
        page.wait_for_function("document.querySelector('[data-readout=accuracy]').dataset.value")
        page.locator("#toolbar").screenshot(path=str(OUT / "toolbar.png"))
        page.click('[data-action="play"]')  # on to the end: the chart's whole run
        page.wait_for_selector('[data-readout="status"]:text("finished")', timeout=60_000)
        page.wait_for_function(
            "Number(document.querySelector('#loss-chart').dataset.wholePoints) > 100"
        )
        page.locator(".side-right .panel").first.screenshot(path=str(OUT / "loss-chart.png"))
        opened(page, server.url("/?layers=3-200-2&view=train"))
        page.click('[data-action="step-iteration"]')
        page.wait_for_function(
            "document.querySelector('[data-readout=iteration]').textContent === '1'"
        )
        page.wait_for_timeout(300)
        page.locator(".panel-network").screenshot(path=str(OUT / "wide-layer.png"))
        page.close()
        phone = browser.new_page(viewport={"width": 390, "height": 844})
        opened(phone, server.url("/"))
        phone.click('[data-action="step-phase"]')
        phone.wait_for_selector('.phase-step[data-phase-step="forward"][data-progress="1.000"]')
        phone.click('[data-action="step-phase"]')
        phone.wait_for_selector('.phase-step[data-phase-step="loss"][data-progress="1.000"]')
        phone.screenshot(path=str(OUT / "phone.png"))
        browser.close()
    for name in sorted(OUT.glob("*.png")):
        print(f"{name.name}: {name.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
