"""Small helpers the browser tests share: read-outs, waiting, the diagram's attributes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from playwright.sync_api import Page

T = TypeVar("T")


def readout(page: Page, name: str) -> str:
    """The text of a [data-readout=name] element."""
    return page.locator(f'[data-readout="{name}"]').first.inner_text().strip()


def number(page: Page, name: str) -> float:
    """A numeric read-out as a float (thousands separators removed)."""
    text = readout(page, name).replace(",", "").replace("−", "-")
    return float(text)


def url(page: Page) -> str:
    """The page's address now (page.url lags behind history.replaceState)."""
    return str(page.evaluate("location.href"))


def job_id(page: Page) -> str:
    """The id of the job the page watches."""
    return page.locator("body").get_attribute("data-job") or ""


def loss(page: Page) -> float | None:
    """The loss read-out's exact value (its data-value), None before the first iteration."""
    value = page.locator('[data-readout="loss"]').get_attribute("data-value")
    return float(value) if value else None


def wait_until(check: Callable[[], T], timeout: float = 15.0, what: str = "condition") -> T:
    """Poll check() until it returns something truthy; its last value, or AssertionError."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


def edge_widths(page: Page) -> dict[str, str]:
    """stroke-width of every weight line, by data-edge."""
    return page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll('[data-edge]')]
            .map(e => [e.dataset.edge, e.getAttribute('stroke-width')]))"""
    )


def states(page: Page, selector: str) -> list[str]:
    """data-state of every element matching selector."""
    return page.eval_on_selector_all(selector, "els => els.map(e => e.dataset.state || '')")


def fast_animation(page: Page) -> None:
    """Animation speed 8× (the slider, by keyboard)."""
    slider = page.locator('[data-control="anim-speed"]')
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")


def use_train_mode(page: Page) -> None:
    page.locator('label:has([data-mode="train"])').click()


def wait_phase_end(page: Page, phase: str) -> None:
    """Until the phase stepper shows `phase` played to its end."""
    step = page.locator(f'.phase-step[data-phase-step="{phase}"]')
    wait_until(
        lambda: readout(page, "phase") == phase and step.get_attribute("data-progress") == "1.000",
        what=f"the end of {phase}",
    )


def synced(page: Page) -> None:
    """Until the page watches a job made from its form's current setup."""
    # Two animation frames, not a pause: the page's loop renders and marks the body once a
    # frame, so by then data-synced speaks of the edited form, however slow the machine.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.wait_for_selector("body[data-synced=true]")


def long_run(page: Page) -> None:
    """Enough epochs that a run at full speed is still going when the test looks (the compiled
    step trains the article's network at about a million iterations a second)."""
    page.fill('[data-field="training.epochs"]', "10000000")
    synced(page)
