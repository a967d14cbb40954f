"""Issue 12 on the page: a regularised run's update row in the equations panel shows the
penalty's term λ ∂R/∂w for the weights, the bias without it, and numbers that satisfy
W := W − α (∂ℓ/∂W + λ ∂R/∂W) against the server's own weights before and after."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page, expect

from tests.server import LiveServer

from .helpers import fast_animation, job_id, readout, wait_phase_end, wait_until

TOLERANCE = 1e-9  # the page's numbers against the server's (JSON round trips are exact)


def get(server: LiveServer, path: str) -> Any:
    answer = httpx.get(server.url(path), timeout=30.0)
    assert answer.status_code == 200, answer.text
    return answer.json()


def slope(kind: str, w: float) -> float:
    """∂R/∂w written out: w (L2, R = ½ Σ w²) or sign(w) (L1, R = Σ |w|, 0 at 0)."""
    if kind == "l2":
        return w
    return (w > 0) - (w < 0)


def update_row(page: Page) -> dict[str, Any]:
    """The exact numbers the update row shows (its data-numbers) and which penalty it shows."""
    row = page.locator('#equations .ev-row[data-eq="update"]')
    numbers = json.loads(row.get_attribute("data-numbers") or "{}")
    return {"penalty": row.get_attribute("data-penalty"), **numbers}


def typeset_update(page: Page, symbol: str) -> str:
    """The TeX KaTeX typeset in the update row, once it is the row of the neuron `symbol`."""
    annotation = page.locator('#equations .ev-row[data-eq="update"] .ev-math annotation').first

    def typeset() -> str:
        tex = annotation.text_content() or ""
        return tex if symbol in tex else ""

    return wait_until(typeset, what=f"the update row of {symbol}")


def at_update(page: Page, iteration: int) -> None:
    """Step phase by phase through `iteration` to the end of its update."""
    for phase in ("forward", "loss", "backward", "update"):
        page.click('[data-action="step-phase"]')
        wait_phase_end(page, phase)
    expect(page.locator("#equations")).to_have_attribute("data-iteration", str(iteration))


@pytest.mark.parametrize(("kind", "rate"), [("l2", 0.1), ("l1", 0.05)])
def test_the_update_row_shows_the_penalty_and_its_numbers_hold(
    open_page: Any, server: LiveServer, kind: str, rate: float
) -> None:
    page: Page = open_page(f"/?reg={kind}&lambda={rate}")
    fast_animation(page)
    page.click('[data-action="step-iteration"]')  # iteration 1: its weights are W_old of 2
    wait_until(lambda: readout(page, "iteration") == "1", what="iteration 1")
    wait_phase_end(page, "update")
    job = job_id(page)
    training = get(server, f"/api/jobs/{job}")["spec"]["training"]
    assert (training["regularization"], training["regularization_rate"]) == (kind, rate)
    before = get(server, f"/api/jobs/{job}/weights")["layers"]

    at_update(page, 2)
    after = get(server, f"/api/jobs/{job}/weights")["layers"]
    grads = [layer["grad"] for layer in get(server, f"/api/jobs/{job}/trace")["layers"]]
    text = page.locator('#equations .ev-row[data-eq="update"] .ev-math')
    for pick in (None, "1:0"):  # the first output neuron (shown by default), then a hidden one
        if pick:
            page.select_option("#equations .ev-select", pick)
            expect(page.locator("#equations")).to_have_attribute("data-layer", "1")
        equations = page.locator("#equations")
        i = int(equations.get_attribute("data-layer") or 0) - 1
        j = int(equations.get_attribute("data-index") or 0)
        row = update_row(page)  # written as the panel renders the neuron
        assert row["penalty"] == kind
        assert row["lambda"] == rate
        alpha = row["alpha"]
        for m, (old, grad, new) in enumerate(zip(row["old"], row["grad"], row["new"], strict=True)):
            # The numbers are the server's: W_old before the step, ∂ℓ/∂W and W_new after it
            assert old == pytest.approx(before[i][j][m], abs=TOLERANCE)
            assert grad == pytest.approx(grads[i][j][m], abs=TOLERANCE)
            assert new == pytest.approx(after[i][j][m], abs=TOLERANCE)
            # … and satisfy the penalised update, the bias (m = 0) without λ
            term = 0.0 if m == 0 else rate * slope(kind, old)
            assert row["slope"][m] == (0.0 if m == 0 else slope(kind, old))
            assert new == pytest.approx(old - alpha * (grad + term), abs=1e-12)
        # The row says it: the λ term for w, and the bias without it
        tex = typeset_update(page, f"\\vec{{w}}^{{{i + 1}}}_{{{j + 1}}}")
        assert "λ" in text.inner_text()
        assert "\\lambda" in tex and "is not penalised" in tex
        assert ("\\operatorname{sign}" in tex) == (kind == "l1")


def test_an_unregularised_run_keeps_the_articles_update_row(page: Page) -> None:
    fast_animation(page)
    page.click('[data-action="step-iteration"]')
    wait_until(lambda: readout(page, "iteration") == "1", what="iteration 1")
    wait_phase_end(page, "update")
    row = update_row(page)
    assert row["penalty"] == "none"
    text = page.locator('#equations .ev-row[data-eq="update"] .ev-math')
    wait_until(lambda: "α" in text.inner_text(), what="the typeset update row")
    assert "λ" not in text.inner_text()
    for old, grad, new in zip(row["old"], row["grad"], row["new"], strict=True):
        assert new == pytest.approx(old - row["alpha"] * grad, abs=1e-12)
