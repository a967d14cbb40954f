"""The page in a browser: frames per second while the diagram follows training, and long tasks.

A real server (tests/server.py) trains 2-8-8-8-8-8-8-1 on `spiral` (500 samples, minibatches of
10, unpaced) while headless Chromium shows it in train mode at 1280 × 800. For ~10 s the page
counts requestAnimationFrame callbacks (the frames it rendered), notes every long task over
50 ms (PerformanceObserver 'longtask') and counts the diagram's DOM mutations that add or remove
nodes (updates change attributes in place, so there should be none). The same is measured for
train mode with the equations panel folded away, and for explain mode on Figure 1's 3-5-2
network, playing at 1×. Results are printed as markdown and written to docs/benchmarks.md.
"""

from __future__ import annotations

import datetime
import os
import platform
from importlib.metadata import version
from pathlib import Path
from typing import Any

from playwright.sync_api import Page, sync_playwright

from bench.report import write_section
from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.server import live_server

SECONDS = 10.0
GOAL_FPS = 55.0
LONG_TASK_MS = 50.0
DEEP = (
    "/?dataset=spiral&samples=500&layers=2-8-8-8-8-8-8-1&act=tanh&out=sigmoid&loss=half_sse"
    "&mode=minibatch&batch=10&lr=0.03&epochs=20000&view=train"
)
# (name, path, mode, headings of panels folded first)
CASES: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("train mode, 2-8-8-8-8-8-8-1, spiral, minibatch 10, unpaced", DEEP, "train", ()),
    ("the same, equations panel folded", DEEP, "train", ("#equations-title",)),
    ("explain mode, 3-5-2, article, playing at 1×", "/?view=explain", "explain", ()),
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


def measure(page: Page, path: str, mode: str, base: str, fold: tuple[str, ...]) -> dict[str, Any]:
    """Open `path`, fold the `fold` panels, start training, and measure one window."""
    page.goto(base + path)
    page.wait_for_selector("body[data-ready=true]")
    page.wait_for_selector("body[data-synced=true]")
    for heading in fold:
        page.click(f"{heading} button.collapse")
    page.click('[data-action="play"]')
    page.wait_for_selector('[data-action="pause"]')
    page.wait_for_timeout(2000)  # warm-up: the stream and the chart under way
    result: dict[str, Any] = page.evaluate(MEASURE, SECONDS)
    page.click('[data-action="pause"]')
    result["fps"] = result["frames"] / result["seconds"] if result["seconds"] else 0.0
    result["over"] = [d for d in result["longTasks"] if d > LONG_TASK_MS]
    result["mode"] = mode
    return result


def cpu_model() -> str:
    info = Path("/proc/cpuinfo")
    text = info.read_text() if info.exists() else ""
    names = [ln for ln in text.splitlines() if ln.startswith("model name")]
    return names[0].split(":", 1)[1].strip() if names else platform.processor() or "unknown"


def report(
    rows: list[tuple[str, dict[str, Any]]], browser_version: str, load: tuple[float, float]
) -> str:
    today = datetime.date.today().isoformat()
    lines = [
        "## The page in a browser",
        "",
        f"Run {today}: Chromium {browser_version} headless (software rendering, `--disable-gpu`), "
        f"Playwright {version('playwright')}, Python {platform.python_version()}, CPU "
        f"{cpu_model()} ({os.cpu_count()} logical CPUs); the server and its training thread "
        "run on the same machine, whose 1-minute load average was "
        f"{load[0]:.1f} before and {load[1]:.1f} after the run (other work on the machine "
        "takes frames from the page). The page is 1280 × 800. For "
        f"{SECONDS:g} s after a 2 s warm-up the page counts `requestAnimationFrame` callbacks "
        "(frames rendered), records long tasks (PerformanceObserver `longtask`, > 50 ms) and "
        "counts nodes added to or removed from the diagram's SVG (it updates attributes in "
        "place, so 0 is expected). Goal: ≥ 55 fps and no long task over 50 ms in train mode. "
        "While training runs at speed the page updates the diagram every frame, the toolbar 10 "
        "times a second, the output and batches panels 4 times and the equations panel once; "
        "a folded panel is not updated. The second row folds the equations panel, whose every "
        "update re-typesets its equations with KaTeX, to show what that panel costs.",
        "",
        "| case | fps | frame gap p95 | worst gap | long tasks > 50 ms | SVG nodes added/removed "
        "| iterations shown | goal |",
        "|---|--:|--:|--:|--:|--:|--:|---|",
    ]
    for name, r in rows:
        goal = "—"
        if r["mode"] == "train":
            fps_ok, tasks_ok = r["fps"] >= GOAL_FPS, not r["over"]
            goal = (
                f"≥ {GOAL_FPS:g} fps: {'met' if fps_ok else '**not met**'}; "
                f"no long task: {'met' if tasks_ok else '**not met**'}"
            )
        longest = f" (longest {max(r['over']):.0f} ms)" if r["over"] else ""
        lines.append(
            f"| {name} | {r['fps']:.1f} | {r['p95']:.1f} ms | {r['worst']:.1f} ms "
            f"| {len(r['over'])}{longest} | {r['rebuilt']} | {r['iterations']:,} | {goal} |"
        )
    return "\n".join(lines)


def main(docs: bool = True) -> None:
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install -y chromium")
    rows = []
    load_before = os.getloadavg()[0]
    with live_server() as server, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            for name, path, mode, fold in CASES:
                print(f"  {name}…", flush=True)
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                rows.append((name, measure(page, path, mode, server.url(""), fold)))
                page.close()
                for job in server.jobs.list():
                    server.jobs.delete(job.id)
            browser_version = browser.version
        finally:
            browser.close()
    section = report(rows, browser_version, (load_before, os.getloadavg()[0]))
    print(section, flush=True)
    if docs:
        write_section("browser", section)


if __name__ == "__main__":
    main()
