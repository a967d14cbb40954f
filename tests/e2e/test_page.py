"""The page without training: Figure 1's diagram, architecture edits, form errors, access."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from .helpers import readout, url, wait_until


def test_default_page_draws_figure_1(page: Page, artifacts: Path) -> None:
    expect(page.locator("[data-neuron]")).to_have_count(10)  # 3 + 5 + 2
    expect(page.locator("[data-edge]")).to_have_count(25)  # 3·5 + 5·2
    for layer, count in enumerate((3, 5, 2)):
        expect(page.locator(f'[data-neuron^="{layer}-"]')).to_have_count(count)
    expect(page.locator('[data-edge="2-1-4"]')).to_have_count(1)  # into output 1 from hidden 4
    # weights drawn: a sign colour and a width on every line
    widths = page.eval_on_selector_all(
        "[data-edge]", "els => els.map(e => e.getAttribute('stroke-width'))"
    )
    assert all(w and float(w) > 0 for w in widths)
    assert readout(page, "phase") == "idle"
    assert readout(page, "iteration") == "0"
    for action in ("play", "step-phase", "step-iteration", "step-epoch", "reset"):
        expect(page.locator(f'[data-action="{action}"]')).to_be_visible()
    page.wait_for_timeout(300)
    page.screenshot(path=str(artifacts / "default.png"))


def test_architecture_2_4_4_1_redraws_the_diagram(page: Page) -> None:
    page.select_option('[data-field="dataset.name"]', "circle")
    expect(page.locator('[data-neuron^="0-"]')).to_have_count(2)  # x1, x2
    page.fill('[data-field="network.layers"]', "4, 4")
    output = page.locator('[data-action="remove-neuron"][data-layer="3"]')
    output.click()
    expect(page.locator("[data-neuron]")).to_have_count(11)  # 2 + 4 + 4 + 1
    expect(page.locator("[data-edge]")).to_have_count(28)  # 2·4 + 4·4 + 4·1
    wait_until(lambda: "layers=2-4-4-1" in url(page), what="the setup in the URL")
    # the preview of the new network (no job is stored yet): its weights fill every line
    wait_until(
        lambda: page.locator("[data-edge]").first.get_attribute("stroke") not in (None, "#c9c9c9"),
        what="weights of the new network",
    )


def test_diagram_buttons_add_and_remove_layers_and_neurons(page: Page) -> None:
    page.click('[data-action="add-neuron"][data-layer="1"]')
    expect(page.locator('[data-neuron^="1-"]')).to_have_count(6)
    page.click('[data-action="add-layer"]')
    expect(page.locator("[data-neuron]")).to_have_count(3 + 6 + 6 + 2)
    expect(page.locator('[data-field="network.layers"]')).to_have_value("6, 6")
    page.click('[data-action="remove-layer"]')
    page.click('[data-action="remove-neuron"][data-layer="1"]')
    expect(page.locator("[data-edge]")).to_have_count(25)
    # the article's data set fixes 3 inputs and 2 outputs: those layers have no buttons
    expect(page.locator('[data-action="add-neuron"][data-layer="0"]')).to_be_hidden()


def test_invalid_learning_rate_is_blocked_with_a_message(page: Page) -> None:
    page.fill('[data-field="training.learning_rate"]', "-1")
    alert = page.locator('[role="alert"]', has_text="Learning rate")
    expect(alert).to_be_visible()
    expect(page.locator('[data-field="training.learning_rate"]')).to_have_attribute(
        "aria-invalid", "true"
    )
    expect(page.locator('[data-action="play"]')).to_be_disabled()
    page.fill('[data-field="training.learning_rate"]', "0.25")
    expect(alert).to_have_count(0)
    expect(page.locator('[data-action="play"]')).to_be_enabled()


def test_a_server_refusal_is_shown_in_the_alert(open_page, console) -> None:
    console.allow("status of 422")  # Chromium notes every refused request in the console
    page = open_page("/?tol=5000")  # the options carry no bound on τ: the server refuses it
    alert = page.locator("#error")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert).to_contain_text("tolerance")


def test_keyboard_focus_on_a_neuron_and_a_weight_shows_their_numbers(page: Page) -> None:
    page.click('[data-action="step-iteration"]')
    wait_until(
        lambda: readout(page, "phase") == "update" or readout(page, "phase") == "idle",
        20,
        "the iteration to play",
    )
    page.locator('[data-neuron="1-0"]').focus()
    tip = page.locator(".tooltip")
    expect(tip).to_be_visible()
    expect(tip).to_contain_text("z")
    expect(tip).to_contain_text("y₁ = f(z)")
    page.keyboard.press("ArrowLeft")  # to the neuron's first incoming weight
    expect(page.locator('[data-edge="1-0-0"]')).to_be_focused()
    expect(tip).to_contain_text("∂ℓ/∂w")
    expect(tip).to_contain_text("last update")
    page.keyboard.press("ArrowDown")
    expect(page.locator('[data-edge="1-0-1"]')).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator('[data-neuron="0-1"]')).to_be_focused()
    page.keyboard.press("Tab")  # neurons are in the tab order
    expect(page.locator('[data-neuron="0-2"]')).to_be_focused()


def test_tablet_width_has_no_sideways_scroll(open_page, artifacts: Path) -> None:
    page = open_page("/", viewport={"width": 820, "height": 1180})
    expect(page.locator("[data-neuron]")).to_have_count(10)
    overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    box = page.locator("#network svg").bounding_box()
    assert box is not None and box["width"] > 600
    page.screenshot(path=str(artifacts / "tablet.png"))
