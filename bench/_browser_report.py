"""The report of bench/browser.py: the page's frame rate and long tasks per case and tree."""

from __future__ import annotations

import platform
from dataclasses import dataclass
from importlib.metadata import version

from bench._trees import Tree, measured_on

GOAL_FPS = 55.0


@dataclass(frozen=True)
class Window:
    """One measured window of a page."""

    fps: float
    p95: float  # ms between frames, 95th percentile
    worst: float  # ms, the longest gap
    over: list[float]  # long tasks over 50 ms, their durations in ms
    rebuilt: int  # SVG nodes added to or removed from the diagram
    iterations: int  # iterations the read-out moved on during the window


def cell(windows: list[Window]) -> str:
    """The windows of one case on one tree: fps (each round), p95 and worst gap, long tasks."""
    fps = " / ".join(f"{w.fps:.1f}" for w in windows)
    p95 = max(w.p95 for w in windows)
    worst = max(w.worst for w in windows)
    tasks = [d for w in windows for d in w.over]
    longest = f", longest {max(tasks):.0f} ms" if tasks else ""
    rebuilt = sum(w.rebuilt for w in windows)
    its = sum(w.iterations for w in windows) // len(windows)
    return (
        f"{fps} fps · p95 gap {p95:.1f} ms, worst {worst:.0f} ms · {len(tasks)} long tasks"
        f"{longest} · {rebuilt} SVG nodes rebuilt · {its:,} it/window"
    )


def report(
    trees: list[Tree],
    modes: dict[str, str],
    results: dict[tuple[str, str], list[Window]],
    browser: str,
    load: tuple[str, str],
    seconds: float,
    rounds: int,
) -> str:
    """The section of docs/benchmarks.md."""
    lines = ["## The page in a browser", "", *measured_on(trees, load[0]), ""]
    lines.append(
        f"Chromium {browser} headless (software rendering, `--disable-gpu`), Playwright "
        f"{version('playwright')}, Python {platform.python_version()}; load average {load[1]} at "
        "the end. The machine is shared and was busy with other work during the run (2 cores "
        "for the servers, their training threads, the browser and everything else): read the "
        "figures side by side, not as absolute speeds. Each case ran on each tree in turn, "
        f"interleaved, {rounds} times; each window is {seconds:g} s after a 2 s warm-up. The page "
        "counts `requestAnimationFrame` callbacks (frames rendered), records long tasks "
        "(PerformanceObserver `longtask`, > 50 ms) and counts nodes added to or removed from the "
        "diagram's SVG (it updates attributes in place, so 0 is expected). Goal: ≥ "
        f"{GOAL_FPS:g} fps and no long task in train mode. fps is given per window (round 1 / "
        "round 2); gaps and long tasks over both."
    )
    lines += [
        "",
        "| case | " + " | ".join(t.name for t in trees) + " |",
        "|---|" + "---|" * len(trees),
    ]
    for case in modes:
        cells = [cell(results[(case, t.name)]) for t in trees]
        lines.append(f"| {case} | " + " | ".join(cells) + " |")
    last = trees[-1].name
    goals = []
    for case, mode in modes.items():
        if mode != "train":
            continue
        ws = results[(case, last)]
        fps_ok = min(w.fps for w in ws) >= GOAL_FPS
        tasks_ok = not any(w.over for w in ws)
        goals.append(
            f"{case}: ≥ {GOAL_FPS:g} fps {'met' if fps_ok else '**not met**'}, "
            f"no long task {'met' if tasks_ok else '**not met**'}"
        )
    lines += ["", f"Goals, {last}: " + "; ".join(goals) + "."]
    return "\n".join(lines)
