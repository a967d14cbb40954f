"""The page under its Content-Security-Policy: what it needs loads, an inline script does not run.

Every other browser test runs under the same policy and fails on a console error, which is
how Chromium reports a blocked load; these check that the policy is in force at all and that
the stream, the fonts and the styles the libraries set get through it.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page

from backend.api.schemas.spec import JobSpec
from tests.api.support import spec
from tests.server import LiveServer

from .conftest import Console


def test_the_page_is_served_with_the_policy(page: Page, server: LiveServer) -> None:
    response = page.goto(server.url("/"))
    assert response is not None and response.ok
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "frame-ancestors 'none'" in policy
    assert response.headers["x-frame-options"] == "DENY"


def test_an_inline_script_is_refused(page: Page, console: Console) -> None:
    console.allow("Executing inline script violates")
    violated = page.evaluate(
        """() => new Promise((resolve) => {
            document.addEventListener("securitypolicyviolation",
                (e) => resolve(e.effectiveDirective), { once: true });
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true";
            document.head.append(script);
        })"""
    )
    assert violated == "script-src-elem"
    assert page.evaluate("window.inlineRan === undefined")


def test_a_stream_of_this_server_connects(page: Page, server: LiveServer) -> None:
    job = server.jobs.create(JobSpec.model_validate(spec()).to_job())
    first: dict[str, Any] = page.evaluate(
        """(id) => new Promise((resolve, reject) => {
            const ws = new WebSocket(`ws://${location.host}/api/jobs/${id}/stream`);
            ws.onmessage = (e) => { resolve(JSON.parse(e.data)); ws.close(); };
            ws.onerror = () => reject(new Error("the stream did not open"));
        })""",
        job.id,
    )
    assert first["type"] == "snapshot"


def test_katex_fonts_and_library_styles_load(page: Page) -> None:
    # The equations load their fonts when they first draw; asked for here, through font-src.
    loaded = page.evaluate(
        """async () => (await document.fonts.load("16px KaTeX_Main"))
            .filter((f) => f.status === "loaded").length"""
    )
    assert loaded > 0
    # uPlot sizes its chart with style attributes: allowed by style-src 'unsafe-inline'.
    width = page.evaluate("document.querySelector('.uplot')?.getBoundingClientRect().width ?? 0")
    assert width > 0
