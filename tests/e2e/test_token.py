"""A server started with a token: the page sends it when opened with #token=…, else says so."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, expect

from backend.api.app import create_app
from backend.config import Settings
from tests.server import LiveServer, live_server

from .conftest import VIEWPORT, Console
from .helpers import readout, wait_until

TOKEN = "s3cret-token"


@pytest.fixture(scope="module")
def guarded_server() -> Iterator[LiveServer]:
    with live_server(create_app(Settings(token=TOKEN))) as live:
        yield live


def test_the_token_from_the_link_is_sent(browser: Browser, guarded_server: LiveServer) -> None:
    console = Console()
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = console.watch(context.new_page())
        page.goto(guarded_server.url(f"/#token={TOKEN}"))
        page.wait_for_selector("body[data-ready=true]")
        assert "token" not in page.evaluate("location.href")  # taken out of the address
        expect(page.locator("[data-edge]")).to_have_count(25)
        page.click('[data-action="step-iteration"]')
        wait_until(lambda: readout(page, "iteration") == "1", what="a step with the token")
        expect(page.locator("#error")).to_be_hidden()
    finally:
        context.close()
    assert console.errors == []


def test_without_the_token_the_page_says_so(browser: Browser, guarded_server: LiveServer) -> None:
    console = Console()
    console.allow("status of 401")  # Chromium notes the refused request in the console
    context = browser.new_context(viewport=VIEWPORT)
    try:
        page = console.watch(context.new_page())
        page.goto(guarded_server.url("/"))
        page.wait_for_selector("body[data-ready=true]")
        expect(page.locator("#error")).to_contain_text("#token=")
    finally:
        context.close()
    assert console.errors == []
