"""Browser tests: a real server (tests/server.py) and Debian's Chromium driven by Playwright.

Chromium must be at /usr/bin/chromium (`apt-get install chromium`; `make test` installs it when
it can). Without it these tests fail with that message: they are never skipped. Every page a
test opens collects console errors and uncaught exceptions, and the test fails if there are any.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from tests.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.server import LiveServer, live_server

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
VIEWPORT = {"width": 1280, "height": 800}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test in this folder is an e2e test."""
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def server() -> Iterator[LiveServer]:
    """The app on a free port of 127.0.0.1 for the whole session."""
    with live_server() as live:
        yield live


@pytest.fixture(autouse=True)
def _no_jobs_left(server: LiveServer) -> Iterator[None]:
    """Each test starts from an empty server: running jobs would count against the limits."""
    yield
    for job in server.jobs.list():
        server.jobs.delete(job.id)


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Debian's Chromium, headless; a clear failure (not a skip) when it is not installed."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: install it with `apt-get install -y chromium` "
            "(make test does this when run as root), or set PLAYGROUND_CHROMIUM to its path",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class Console:
    """Errors a page reported: console.error messages and uncaught exceptions."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.allowed: list[str] = []

    def allow(self, text: str) -> None:
        """Accept console errors containing `text` (e.g. the browser's note on an expected 422)."""
        self.allowed.append(text)

    def watch(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        return page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type == "error" and not any(a in message.text for a in self.allowed):
            self.errors.append(f"console.error: {message.text}")


@pytest.fixture
def console() -> Console:
    return Console()


@pytest.fixture
def open_page(browser: Browser, server: LiveServer, console: Console) -> Iterator[object]:
    """open_page(path="/", viewport=...) → a loaded page whose errors fail the test."""
    contexts = []

    def open_(path: str = "/", viewport: dict[str, int] | None = None) -> Page:
        context = browser.new_context(viewport=viewport or VIEWPORT)
        contexts.append(context)
        page = console.watch(context.new_page())
        page.set_default_timeout(15_000)
        page.goto(server.url(path))
        page.wait_for_selector("body[data-ready=true]")
        return page

    yield open_
    for context in contexts:
        context.close()
    assert console.errors == [], "the page reported errors:\n" + "\n".join(console.errors)


@pytest.fixture
def page(open_page: object) -> Page:
    """The default page at 1280 × 800."""
    return open_page()  # type: ignore[operator]


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """test-artifacts/ (gitignored): screenshots the tests take."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS
