"""What TensorFlow Playground's users expect, in real Chromium: each neuron's output over the
input plane drawn in it, the data set picker with thumbnails, typing a weight of a paused job,
and ▶ in train mode training at once."""

from __future__ import annotations

import json
import math
from typing import Any

import httpx
import numpy as np
from playwright.sync_api import Browser, Page, expect

from tests.server import LiveServer

from .helpers import job_id, long_run, readout, synced, url, use_train_mode, wait_until

CIRCLE = "/?dataset=circle&samples=100&layers=2-4-1&act=tanh&out=sigmoid&loss=half_sse&epochs=5000"
ORANGE_END = (179, 88, 6)  # the diverging scale's −1 (palette.js)
BLUE_END = (33, 102, 172)  # its +1


def map_pixels(page: Page, neuron: str) -> dict[str, Any]:
    """The RGBA bytes of neuron `neuron`'s map ("L-i") and its grid size."""
    return page.evaluate(
        """(id) => {
          const c = document.querySelector(`#network [data-map="${id}"] canvas`);
          const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          return { n: c.width, rgba: Array.from(d) };
        }""",
        neuron,
    )


def draws(page: Page) -> int:
    return int(page.locator("#network .node-maps").get_attribute("data-draws") or 0)


def cell_centre(i: int, n: int, lo: float = -6.0, hi: float = 6.0) -> float:
    return lo + (i + 0.5) * (hi - lo) / n


def pixel(pixels: dict[str, Any], row: int, column: int) -> tuple[int, int, int]:
    o = 4 * (row * pixels["n"] + column)
    rgba = pixels["rgba"]
    return rgba[o], rgba[o + 1], rgba[o + 2]


def tone(rgb: tuple[int, int, int]) -> int:
    """+1 for a blue cell, −1 for an orange one, 0 for the neutral middle."""
    r, _, b = rgb
    return 0 if abs(b - r) < 12 else (1 if b > r else -1)


def preview_weights(server: LiveServer, spec: dict[str, Any]) -> list[np.ndarray]:
    answer = httpx.post(server.url("/api/preview"), json=spec, timeout=30.0).json()
    return [np.array(w) for w in answer["weights"]]


def complete_weights(server: LiveServer, job: str) -> list[np.ndarray]:
    """Every weight of a job, read from the binary form by hand (docs/protocol.md)."""
    body = httpx.get(server.url(f"/api/jobs/{job}/weights?format=f64"), timeout=30.0).content
    n = int.from_bytes(body[:4], "little")
    header = json.loads(body[4 : 4 + n])
    offset, out = 4 + n, []
    for entry in header["arrays"]:
        a = np.frombuffer(body, "<f8", int(np.prod(entry["shape"])), offset)
        out.append(a.reshape(entry["shape"]))
        offset += a.nbytes
    return out


def test_each_neuron_of_a_2d_network_shows_its_output_over_the_plane(
    page: Page, server: LiveServer
) -> None:
    page.goto(server.url(CIRCLE))
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    svg = page.locator("#network svg")
    expect(svg).to_have_attribute("data-maps", "on")
    expect(page.locator("#network [data-map]")).to_have_count(2 + 4 + 1)
    wait_until(lambda: draws(page) >= 1, what="the maps drawn")
    # computed by the page's worker (planeWorker.js), not on the main thread
    expect(page.locator("#network .node-maps")).to_have_attribute("data-computed", "worker")
    # the inputs' maps are x1 (orange left, blue right) and x2 (blue at the top: x2 grows upwards)
    x1 = map_pixels(page, "0-0")
    n = x1["n"]
    assert tone(pixel(x1, n // 2, 0)) == -1 and tone(pixel(x1, n // 2, n - 1)) == 1
    assert pixel(x1, 0, 0) == ORANGE_END and pixel(x1, 0, n - 1) == BLUE_END
    x2 = map_pixels(page, "0-1")
    assert tone(pixel(x2, 0, n // 2)) == 1 and tone(pixel(x2, n - 1, n // 2)) == -1
    # each hidden neuron: tanh(b + w · x) (eqs. (1)–(2)) at the cell centres, computed here
    spec = {
        "network": {"layers": [2, 4, 1], "activation": "tanh", "output_activation": "sigmoid"},
        "training": {"loss": "half_sse", "epochs": 5000},
        "dataset": {"name": "circle", "samples": 100},
    }
    w1 = preview_weights(server, spec)[0]
    checked = 0
    for j in range(4):
        pixels = map_pixels(page, f"1-{j}")
        for row in range(0, n, 5):
            for column in range(0, n, 5):
                x = np.array([1.0, cell_centre(column, n), cell_centre(n - 1 - row, n)])
                y = math.tanh(float(w1[j] @ x))
                if abs(y) > 0.15:
                    want = 1 if y > 0 else -1
                    assert tone(pixel(pixels, row, column)) == want, (j, row, column, y)
                    checked += 1
    assert checked > 20, checked


def test_the_maps_follow_training_and_can_be_switched_off(page: Page, server: LiveServer) -> None:
    page.goto(server.url(CIRCLE))
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    wait_until(lambda: draws(page) >= 1, what="the first maps")
    before = map_pixels(page, "1-0")["rgba"]
    first = draws(page)
    long_run(page)
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: draws(page) >= first + 2, 30, "the maps redrawn while training")
    wait_until(lambda: map_pixels(page, "1-0")["rgba"] != before, what="a map that changed")
    toggle = page.locator('[data-action="node-maps"]')
    expect(toggle).to_have_attribute("aria-pressed", "true")
    toggle.click()
    expect(page.locator("#network svg")).to_have_attribute("data-maps", "off")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(page.locator("#network [data-map]")).to_have_count(0)
    toggle.click()
    expect(page.locator("#network [data-map]")).to_have_count(7)


def test_no_maps_for_a_network_whose_input_is_not_a_plane(page: Page) -> None:
    synced(page)  # the article's 3-5-2
    expect(page.locator("#network svg")).to_have_attribute("data-maps", "none")
    expect(page.locator('[data-action="node-maps"]')).to_be_hidden()
    expect(page.locator("#network [data-map]")).to_have_count(0)


def test_a_wide_network_maps_from_its_complete_weights(page: Page, server: LiveServer) -> None:
    page.goto(server.url("/?dataset=circle&samples=100&layers=2-100-1&act=tanh&out=sigmoid&epochs=50"))
    page.wait_for_selector("body[data-ready=true]")
    synced(page)
    page.click('[data-action="step-iteration"]')  # a job: its frames carry the first 64 neurons
    wait_until(lambda: readout(page, "iteration") == "1", what="one iteration")
    wait_until(lambda: page.locator("#network .node-maps").get_attribute("data-iteration") == "1",
               what="maps of iteration 1")
    w1, w2 = complete_weights(server, job_id(page))
    pixels = map_pixels(page, "2-0")  # the output: σ(b + Σ over all 100 hidden neurons)
    n = pixels["n"]
    checked = 0
    for row in range(0, n, 3):
        for column in range(0, n, 3):
            x = np.array([1.0, cell_centre(column, n), cell_centre(n - 1 - row, n)])
            h = np.concatenate([[1.0], np.tanh(w1 @ x)])
            y = 1 / (1 + math.exp(-float(w2[0] @ h)))
            if abs(y - 0.5) > 0.08:
                assert tone(pixel(pixels, row, column)) == (1 if y > 0.5 else -1), (row, column, y)
                checked += 1
    assert checked > 0


def test_the_data_set_picker_draws_every_set_and_picks_one(page: Page, server: LiveServer) -> None:
    names = [d["name"] for d in httpx.get(server.url("/api/options")).json()["datasets"]]
    items = page.locator('[data-picker="dataset"] [data-dataset]')
    expect(items).to_have_count(len(names))
    assert items.evaluate_all("els => els.map(e => e.dataset.dataset)") == names
    wait_until(
        lambda: page.eval_on_selector_all(
            '[data-picker="dataset"] canvas', "cs => cs.every(c => c.dataset.drawn === 'true')"
        ),
        what="every thumbnail drawn",
    )
    # a drawn thumbnail has the data's colours: circle's both classes
    colours = page.evaluate(
        """() => {
          const c = document.querySelector('[data-dataset="circle"] canvas');
          const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
          let blue = 0, orange = 0;
          for (let o = 0; o < d.length; o += 4) {
            if (d[o + 3] < 200) continue;
            if (d[o + 2] > d[o] + 60) blue++; else if (d[o] > d[o + 2] + 60) orange++;
          }
          return [blue, orange];
        }"""
    )
    assert min(colours) > 20, colours
    expect(page.locator('[data-dataset="article"]')).to_have_attribute("aria-checked", "true")
    page.click('[data-dataset="spiral"]')
    expect(page.locator('[data-dataset="spiral"]')).to_have_attribute("aria-checked", "true")
    expect(page.locator('[data-dataset="article"]')).to_have_attribute("aria-checked", "false")
    expect(page.locator('[data-field="dataset.name"]')).to_have_value("spiral")
    synced(page)
    assert "dataset=spiral" in url(page)
    expect(page.locator("#network svg")).to_have_attribute("data-maps", "on")  # 2-D now
    # a radio group: the arrow keys move the choice
    after = names[names.index("spiral") + 1]
    page.focus('[data-dataset="spiral"]')
    page.keyboard.press("ArrowRight")
    expect(page.locator('[data-field="dataset.name"]')).to_have_value(after)
    assert page.evaluate("document.activeElement.dataset.dataset") == after


def server_weight(server: LiveServer, job: str, layer: int, row: int, column: int) -> float:
    weights = httpx.get(server.url(f"/api/jobs/{job}/weights")).json()["layers"]
    return float(weights[layer][row][column])


def open_editor_by_click(page: Page, edge: str) -> None:
    """Click the middle of weight line `edge` as a pointer would."""
    point = page.evaluate(
        """(id) => {
          const l = document.querySelector(`[data-edge="${id}"]`);
          const p = l.ownerSVGElement.createSVGPoint();
          p.x = (+l.getAttribute("x1") + +l.getAttribute("x2")) / 2;
          p.y = (+l.getAttribute("y1") + +l.getAttribute("y2")) / 2;
          const q = p.matrixTransform(l.getScreenCTM());
          return [q.x, q.y];
        }""",
        edge,
    )
    page.mouse.click(point[0], point[1])


def test_click_a_weight_of_your_paused_job_and_type_its_value(
    page: Page, server: LiveServer
) -> None:
    synced(page)
    editor = page.locator('[data-editor="weight"]')
    expect(page.locator("#network svg")).to_have_attribute("data-editable", "true")  # a preview
    open_editor_by_click(page, "2-1-3")  # into output 2 from hidden neuron 4: W²[1][4]
    expect(editor).to_be_visible()
    expect(editor).to_have_attribute("data-target", "2-1-3")
    expect(page.locator('[data-input="weight"]')).to_be_focused()
    page.fill('[data-input="weight"]', "2.5")
    page.keyboard.press("Enter")
    expect(editor).to_be_hidden()
    job = wait_until(lambda: job_id(page), what="the job the edit made")
    assert server_weight(server, job, 1, 1, 4) == 2.5
    # the diagram draws it: now the widest line, blue and solid
    line = page.locator('[data-edge="2-1-3"]')
    wait_until(
        lambda: page.eval_on_selector_all(
            "[data-edge]",
            "ls => Math.max(...ls.map(l => +l.getAttribute('stroke-width')))",
        )
        == float(line.get_attribute("stroke-width") or 0),
        what="the edited weight drawn as the largest",
    )
    assert not line.get_attribute("stroke-dasharray")
    # by keyboard: a neuron's bias with B, Enter sets it, Esc cancels another
    page.focus('[data-neuron="1-0"]')
    page.keyboard.press("b")
    expect(editor).to_have_attribute("data-target", "1-0")
    page.fill('[data-input="weight"]', "−0.75")
    page.keyboard.press("Enter")
    expect(editor).to_be_hidden()
    wait_until(lambda: server_weight(server, job, 0, 0, 0) == -0.75, what="the bias stored")
    page.focus('[data-edge="1-0-0"]')
    page.keyboard.press("Enter")
    expect(editor).to_be_visible()
    page.keyboard.press("Escape")
    expect(editor).to_be_hidden()
    expect(page.locator('[data-edge="1-0-0"]')).to_be_focused()


def test_a_refused_weight_shows_why_and_changes_nothing(
    page: Page, server: LiveServer, console: Any
) -> None:
    console.allow("422")
    synced(page)
    page.click('[data-action="step-iteration"]')
    wait_until(lambda: readout(page, "iteration") == "1", what="one iteration")
    job = job_id(page)
    before = server_weight(server, job, 0, 2, 1)
    page.focus('[data-edge="1-2-0"]')
    page.keyboard.press("Enter")
    error = page.locator("[data-editor-error]")
    page.fill('[data-input="weight"]', "not a number")
    page.keyboard.press("Enter")
    expect(error).to_contain_text("Type one number")
    page.fill('[data-input="weight"]', "1e7")  # beyond |v| ≤ 1e6: the server says so
    page.keyboard.press("Enter")
    wait_until(lambda: "Type one number" not in error.inner_text() and error.inner_text(),
               what="the server's message")
    message = error.inner_text()
    assert "value" in message.lower(), message
    expect(page.locator('[data-editor="weight"]')).to_be_visible()
    assert server_weight(server, job, 0, 2, 1) == before


def test_no_weight_editor_while_training_or_on_someone_elses_job(
    page: Page, browser: Browser, server: LiveServer
) -> None:
    long_run(page)
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: "running" in page.locator("#connection").inner_text(), what="training")
    svg = page.locator("#network svg")
    expect(svg).to_have_attribute("data-editable", "false")
    page.focus('[data-edge="1-0-0"]')
    page.keyboard.press("Enter")
    expect(page.locator('[data-editor="weight"]')).to_be_hidden()
    page.click('[data-action="pause"]')
    expect(svg).to_have_attribute("data-editable", "true")
    other = browser.new_context(viewport={"width": 1280, "height": 800})
    try:
        watcher = other.new_page()
        watcher.goto(server.url(f"/?job={job_id(page)}"))
        watcher.wait_for_selector("body[data-ready=true]")
        expect(watcher.locator("#network svg")).to_have_attribute("data-editable", "false")
        watcher.focus('[data-edge="1-0-0"]')
        watcher.keyboard.press("Enter")
        expect(watcher.locator('[data-editor="weight"]')).to_be_hidden()
    finally:
        other.close()


def running(page: Page) -> bool:
    return "running" in page.locator("#connection").inner_text()


def test_play_in_train_mode_trains_at_once(page: Page, server: LiveServer) -> None:
    long_run(page)
    use_train_mode(page)
    page.click('[data-action="play"]')  # one click: a job is made, running
    wait_until(lambda: running(page), what="training")
    first = job_id(page)
    page.click('[data-action="pause"]')
    wait_until(lambda: "paused" in page.locator("#connection").inner_text(), what="paused")
    page.click('[data-action="play"]')  # and on: the same job
    wait_until(lambda: running(page), what="training again")
    assert job_id(page) == first


def test_play_after_explain_steps_trains_at_once(page: Page) -> None:
    long_run(page)
    page.click('[data-action="step-iteration"]')  # explain mode: a paused job at iteration 1
    wait_until(lambda: readout(page, "iteration") == "1", what="one iteration")
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: running(page), what="training")


def test_play_on_your_ended_job_runs_it_again(page: Page, server: LiveServer) -> None:
    long_run(page)
    use_train_mode(page)
    page.click('[data-action="play"]')
    wait_until(lambda: running(page), what="training")
    job = job_id(page)
    server.jobs.get(job).stop()  # the run ends (as a finished or diverged one would)
    wait_until(lambda: "stopped" in page.locator("#connection").inner_text(), what="stopped")
    play = page.locator('[data-action="play"]')
    expect(play).to_be_enabled()
    play.click()  # one click: reset to the initial weights and train
    wait_until(lambda: running(page), what="training again")
    assert job_id(page) == job
    expect(page.locator("#alerts")).to_contain_text("runs it again from its initial weights")


def test_a_job_with_two_inline_inputs_maps_its_own_plane(page: Page, server: LiveServer) -> None:
    rows = [[0.1 * k - 1, 10 + 0.25 * k] for k in range(40)]  # x1 on [−1, 2.9], x2 on [10, 19.75]
    spec = {
        "network": {"layers": [2, 3, 1], "activation": "tanh"},
        "training": {"epochs": 10},
        "dataset": {"inputs": rows, "targets": [[float(x[0] > 1)] for x in rows]},
        "start": "paused",
    }
    job = httpx.post(server.url("/api/jobs"), json=spec, timeout=30.0).json()["id"]
    page.goto(server.url(f"/?job={job}"))
    page.wait_for_selector("body[data-ready=true]")
    expect(page.locator("#network svg")).to_have_attribute("data-maps", "on")
    expect(page.locator("#network [data-map]")).to_have_count(2 + 3 + 1)
    wait_until(lambda: draws(page) >= 1, what="the maps drawn")
    # the plane is the data's box: x2 runs from low (orange, bottom) to high (blue, top)
    x2 = map_pixels(page, "0-1")
    n = x2["n"]
    assert pixel(x2, 0, 0) == BLUE_END and pixel(x2, n - 1, 0) == ORANGE_END
