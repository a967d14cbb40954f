"""The guided "Learn" tour in real Chromium: a dialog that walks the article's order step by step,
lighting up the parts of the page each step explains; next/back by button and by → ←, Esc closes."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .helpers import readout, synced, wait_until

# (step id, words of its title, the citation, a panel lit, a part lit inside the page)
STEPS = [
    ("network", "network of layers", "Figure 1", "network", "#network .band"),
    ("forward", "Forward pass", "(1)–(2)", "equations", '#equations [data-eq="z"]'),
    ("loss", "Loss", "(5)", "network", '[data-readout="loss"]'),
    ("backward", "Backward pass", "(6)–(7)", "equations", '#equations [data-eq="dz"]'),
    ("update", "Update", "α", "controls", '[data-field="training.learning_rate"]'),
    ("iteration", "One iteration", "terms", "toolbar", '[data-action="step-iteration"]'),
    ("batches", "Batches", "Figure 2", "batches", '[data-field="training.mode"]'),
    ("epochs", "Epochs", "loop", "loss-chart", '[data-readout="epoch"]'),
]


def lit_panels(page: Page) -> list[str]:
    return page.eval_on_selector_all(".tour-target", "els => els.map(e => e.id)")


def check_step(page: Page, index: int) -> None:
    step, title, cite, panel, part = STEPS[index]
    tour = page.locator("#tour")
    expect(tour).to_have_attribute("data-step", step)
    expect(tour.locator("#tour-title")).to_contain_text(title)
    expect(tour.locator(".tour-cite")).to_contain_text(cite)
    count = tour.locator('[data-readout="tour-step"]')
    expect(count).to_have_text(f"Step {index + 1} of {len(STEPS)}")
    expect(tour.locator(".tour-math .katex").first).to_be_visible()  # the step's equation, typeset
    assert len(tour.locator("#tour-text").inner_text()) > 120
    assert panel in lit_panels(page), (step, lit_panels(page))
    expect(page.locator(part).first).to_have_class(re.compile(r"\btour-part\b"))
    assert page.locator(part).first.is_visible()


def test_the_tour_walks_every_step_and_closes(page: Page) -> None:
    synced(page)
    page.click('[data-action="step-iteration"]')  # the equations fill in with real numbers
    wait_until(lambda: readout(page, "iteration") == "1", what="one iteration")
    wait_until(lambda: page.locator('#equations [data-eq="dz"]').count() == 1, what="equations")
    learn = page.locator('[data-action="tour"]')
    learn.click()
    tour = page.locator("#tour")
    expect(tour).to_be_visible()
    expect(tour).to_have_attribute("role", "dialog")
    expect(tour).to_have_attribute("aria-labelledby", "tour-title")
    expect(learn).to_have_attribute("aria-expanded", "true")
    expect(page.locator('[data-action="tour-back"]')).to_be_disabled()
    for index in range(len(STEPS)):
        check_step(page, index)
        if index < len(STEPS) - 1:
            if index % 2:
                page.keyboard.press("ArrowRight")
            else:
                page.click('[data-action="tour-next"]')
    expect(page.locator('[data-action="tour-next"]')).to_have_text("Done ✓")
    # back, by button and by key, lights the earlier steps again
    page.click('[data-action="tour-back"]')
    check_step(page, len(STEPS) - 2)
    page.keyboard.press("ArrowLeft")
    check_step(page, len(STEPS) - 3)
    page.keyboard.press("Escape")
    expect(tour).to_be_hidden()
    assert lit_panels(page) == []
    assert page.locator(".tour-part").count() == 0
    expect(learn).to_have_attribute("aria-expanded", "false")
    expect(learn).to_be_focused()


def test_the_tour_opens_before_any_training_and_done_ends_it(page: Page) -> None:
    synced(page)
    page.click('[data-action="tour"]')
    check_step(page, 0)
    page.locator("#tour-title").focus()
    for _ in range(len(STEPS) - 1):
        page.keyboard.press("ArrowRight")
    expect(page.locator("#tour")).to_have_attribute("data-step", "epochs")
    page.keyboard.press("ArrowRight")  # past the last: done
    expect(page.locator("#tour")).to_be_hidden()
    assert page.locator(".tour-target, .tour-part").count() == 0
    page.click('[data-action="tour"]')
    page.click('[data-action="tour-close"]')
    expect(page.locator("#tour")).to_be_hidden()


def test_arrow_keys_in_a_field_do_not_turn_the_page(page: Page) -> None:
    synced(page)
    page.click('[data-action="tour"]')
    page.click('[data-action="tour-next"]')
    page.focus('[data-field="training.learning_rate"]')
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tour")).to_have_attribute("data-step", "forward")


def test_the_tour_fits_a_phone(open_page: object) -> None:
    phone = open_page("/", viewport={"width": 390, "height": 844})  # type: ignore[operator]
    phone.click('[data-action="tour"]')
    tour = phone.locator("#tour")
    expect(tour).to_be_visible()
    box = tour.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.click('[data-action="tour-next"]')
    expect(tour).to_have_attribute("data-step", "forward")
