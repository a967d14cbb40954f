"""The compare view's screenshot for the docs, from the real page on a real server.

    .venv/bin/python -m tests.compare_screenshot

serves the app on a free port (tests/server.py), drives Debian's Chromium at 1280 × 800 and
writes docs/compare.png: the three runs trained to their end on the circle data set, the
x-axis on epochs, and their paths on the batch run's loss landscape.
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.server import live_server

OUT = Path(__file__).resolve().parents[1] / "docs" / "compare.png"
COMPARE = (
    "/compare.html?dataset=circle&epochs=100&seed=1&batch=20"
    "&lr-batch=0.02&lr-sgd=0.3&lr-minibatch=0.1&x=epochs"
)


def main() -> None:
    with live_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.set_default_timeout(120_000)
        page.goto(server.url(COMPARE))
        page.wait_for_selector("body[data-ready=true]")
        page.click('[data-action="play"]')
        page.wait_for_selector("[data-view=compare][data-state=ended][data-same-weights=true]")
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-picker=dataset] canvas')]"
            ".every(c => c.dataset.drawn === 'true')"
        )
        if (OUT.parents[1] / "frontend" / "js" / "views" / "landscape.js").exists():
            page.wait_for_selector('#compare-landscape[data-state="ready"][data-paths="3"]')
        page.wait_for_timeout(500)  # the last throttled redraw of the runs' panels
        page.screenshot(path=str(OUT), full_page=True)
        browser.close()


if __name__ == "__main__":
    main()
