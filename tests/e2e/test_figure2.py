"""Figure 2 follows the run when the stream sends summary frames (train mode, large frames)."""

from __future__ import annotations

import json

from playwright.sync_api import Page, WebSocket

from tests.server import LiveServer

from .helpers import job_id, use_train_mode, wait_until

# 2-40-40-1 on batches of 64: a full frame would carry (2 + 40 + 40 + 1) neurons × 64
# samples × 4 arrays = 21,248 numbers, past the 20,000 at which train mode asks for summaries.
WIDE = "/?dataset=circle&samples=200&layers=2-40-40-1&mode=minibatch&batch=64&shuffle=0&view=train"


def shown(page: Page) -> tuple[int, list[int]]:
    """The iteration Figure 2 shows and the rows it highlights, read together."""
    iteration, current = page.evaluate(
        "() => { const d = document.querySelector('#batches').dataset;"
        " return [Number(d.iteration || 0), d.current || '']; }"
    )
    return int(iteration), [int(r) for r in str(current).split(",") if r]


def test_the_batch_highlight_follows_the_iterations_at_summary_detail(
    open_page: object, server: LiveServer
) -> None:
    page: Page = open_page(WIDE)  # type: ignore[operator]
    asked: list[dict[str, object]] = []

    def watch(ws: WebSocket) -> None:
        ws.on("framesent", lambda payload: asked.append(json.loads(payload)))

    page.on("websocket", watch)
    use_train_mode(page)
    page.select_option('[data-control="train-speed"]', "5")  # paced: every iteration is seen
    page.click('[data-action="play"]')
    job = wait_until(lambda: job_id(page), what="the job")
    # in sight, as a reader watching it has it (views out of sight wait while training runs)
    page.locator("#batches").scroll_into_view_if_needed()

    seen: dict[int, list[int]] = {}

    def moved_on() -> bool:
        iteration, rows = shown(page)
        if iteration > 0:
            seen[iteration] = rows
        return len(seen) >= 4

    wait_until(moved_on, 60, "Figure 2 to show four iterations")
    page.click('[data-action="pause"]')
    # Each iteration shown highlights the rows the server trained that iteration on.
    for iteration, rows in seen.items():
        trace = page.request.get(server.url(f"/api/jobs/{job}/trace?iteration={iteration}"))
        assert trace.ok, trace.text()
        assert rows == trace.json()["rows"], iteration
    # The page asked for summary frames, which carry no layers (the sync API delivers these
    # socket events while it runs the calls above).
    configured = [m for m in asked if m.get("type") == "configure"]
    assert configured and all(m["detail"] == "summary" for m in configured), configured
