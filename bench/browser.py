"""The page in a browser: frames per second and long tasks, at 1280 × 800 and on a 390 × 844 phone.

Each server is ``python -m backend`` from a source tree (``--tree DIR``, repeatable, with
``--label NAME``; default this repository), a child process on 127.0.0.1 with a fresh SQLite
file; it serves that tree's page, so the benchmark compares two versions of the page (and the
backend under it) side by side. Headless Chromium opens each case on each tree in turn,
interleaved, ROUNDS times: train mode on 2-8-8-8-8-8-8-1 `spiral` (500 samples, minibatches of
10, unpaced) and explain mode on Figure 1's 3-5-2 network playing at 1×, each at both sizes. For
SECONDS after a 2 s warm-up the page counts requestAnimationFrame callbacks (the frames it
rendered), notes every long task over 50 ms (PerformanceObserver 'longtask') and counts nodes
added to or removed from the diagram's SVG (updates change attributes in place, so none are
expected). Results are printed as markdown and written to docs/benchmarks.md.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Browser, ViewportSize, sync_playwright

from bench._browser_report import Window, report
from bench._runs_server import Server, serve
from bench._trees import Options, load_average, options
from bench.report import write_section
from tests.chromium import CHROMIUM, CHROMIUM_ARGS

SECONDS = 10.0
WARMUP_MS = 2000
ROUNDS = 2
LONG_TASK_MS = 50.0
DEEP = (
    "/?dataset=spiral&samples=500&layers=2-8-8-8-8-8-8-1&act=tanh&out=sigmoid&loss=half_sse"
    "&mode=minibatch&batch=10&lr=0.03&epochs=20000&view=train"
)
DESKTOP: ViewportSize = {"width": 1280, "height": 800}
PHONE: ViewportSize = {"width": 390, "height": 844}


@dataclass(frozen=True)
class Case:
    """One measured window: a page, its mode and the browser's viewport."""

    name: str
    path: str
    mode: str
    viewport: ViewportSize


TRAIN = "train mode, 2-8-8-8-8-8-8-1, spiral, minibatch 10, unpaced"
EXPLAIN = "explain mode, 3-5-2, article, playing at 1×"
CASES = (
    Case(f"{TRAIN} · 1280 × 800", DEEP, "train", DESKTOP),
    Case(f"{EXPLAIN} · 1280 × 800", "/?view=explain", "explain", DESKTOP),
    Case(f"{TRAIN} · 390 × 844", DEEP, "train", PHONE),
    Case(f"{EXPLAIN} · 390 × 844", "/?view=explain", "explain", PHONE),
)

# Runs in the page: rAF timestamps, long tasks and structural DOM changes for `seconds`.
MEASURE = """async (seconds) => {
  const longTasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) longTasks.push(e.duration);
  });
  observer.observe({ type: "longtask" });
  let rebuilt = 0;
  const svg = document.querySelector("#network svg");
  const mutations = new MutationObserver((records) => {
    for (const r of records) rebuilt += r.addedNodes.length + r.removedNodes.length;
  });
  mutations.observe(svg, { childList: true, subtree: true });
  const iteration = () => Number(document.querySelector('[data-readout="iteration"]')
    .textContent.replace(/,/g, ""));
  const startIteration = iteration();
  const stamps = [];
  await new Promise((done) => {
    const t0 = performance.now();
    const frame = (t) => {
      stamps.push(t);
      if (t - t0 < seconds * 1000) requestAnimationFrame(frame);
      else done();
    };
    requestAnimationFrame(frame);
  });
  observer.disconnect();
  mutations.disconnect();
  const gaps = stamps.slice(1).map((t, i) => t - stamps[i]).sort((a, b) => a - b);
  return {
    frames: stamps.length - 1,
    seconds: (stamps[stamps.length - 1] - stamps[0]) / 1000,
    p95: gaps[Math.floor(gaps.length * 0.95)] ?? 0,
    worst: gaps[gaps.length - 1] ?? 0,
    longTasks,
    rebuilt,
    iterations: iteration() - startIteration,
  };
}"""


def measure(browser: Browser, server: Server, case: Case) -> Window:
    """Open the case's page on `server`, start it playing, and measure one window."""
    page = browser.new_page(viewport=case.viewport)
    try:
        page.goto(server.url(case.path))
        page.wait_for_selector("body[data-ready=true]")
        page.wait_for_selector("body[data-synced=true]")
        page.click('#toolbar [data-action="play"]')
        page.wait_for_selector('#toolbar [data-action="pause"]')
        page.wait_for_timeout(WARMUP_MS)  # the stream and the chart under way
        result: dict[str, Any] = page.evaluate(MEASURE, SECONDS)
        page.click('#toolbar [data-action="pause"]')
    finally:
        page.close()
    seconds = result["seconds"] or 1.0
    over = [d for d in result["longTasks"] if d > LONG_TASK_MS]
    fps = result["frames"] / seconds
    rebuilt, iterations = result["rebuilt"], result["iterations"]
    return Window(fps, result["p95"], result["worst"], over, rebuilt, iterations)


def run(chosen: Options) -> tuple[dict[tuple[str, str], list[Window]], str]:
    """ROUNDS windows of every case on every tree, interleaved (case by case, tree after tree):
    {(case, tree): windows}, and the browser's version."""
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    results: dict[tuple[str, str], list[Window]] = {}
    with contextlib.ExitStack() as stack, sync_playwright() as p:
        servers = [(tree, stack.enter_context(serve(tree.path))) for tree in chosen.trees]
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for round_ in range(ROUNDS):
                for case in CASES:
                    for tree, server in servers:
                        print(f"  round {round_ + 1}, {tree.name}: {case.name}…", flush=True)
                        window = measure(browser, server, case)
                        results.setdefault((case.name, tree.name), []).append(window)
            version = browser.version
        finally:
            browser.close()
    return results, version


def main(argv: Sequence[str] | None = None) -> None:
    chosen = options("python -m bench.browser", __doc__, argv)
    load = load_average()
    results, version = run(chosen)
    modes = {c.name: c.mode for c in CASES}
    section = report(chosen.trees, modes, results, version, (load, load_average()), SECONDS, ROUNDS)
    print(section, flush=True)
    if chosen.docs:
        write_section("browser", section)


if __name__ == "__main__":
    main(sys.argv[1:])
