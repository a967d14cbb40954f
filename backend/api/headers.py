"""Security headers on every answer: the page's files, the API, its errors and refusals.

* ``Content-Security-Policy``: the page runs only scripts from this server, and none written
  inline; it connects (fetch, WebSocket) only to this server; nothing may frame it. Styles may
  be inline because KaTeX and uPlot set style attributes; the favicon is a ``data:`` image;
  KaTeX's fonts come from this server. ``'self'`` covers ``ws:`` and ``wss:`` of the same host
  in current browsers; the stream's URL is named as well, for those that do not yet.
* The OpenAPI pages (``/docs``, ``/redoc``) are FastAPI's: they load Swagger UI or ReDoc from
  its CDN and start it from an inline script, so they get a policy of their own that allows
  those, and no more than that.
* ``X-Content-Type-Options: nosniff`` (a JSON answer is never run as a script),
  ``X-Frame-Options: DENY`` (for browsers without ``frame-ancestors``) and
  ``Referrer-Policy: no-referrer`` (the page's URL, and a ``#token`` link, stay here).

A header a response sets itself is kept.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from fastapi import FastAPI
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

COMMON: Final = "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
PAGE: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    f"img-src 'self' data:; font-src 'self'; connect-src 'self'{{streams}}; {COMMON}"
)
CDN: Final = "https://cdn.jsdelivr.net"  # where FastAPI's docs pages load their scripts
DOCS: Final = (
    f"default-src 'self'; script-src 'self' 'unsafe-inline' {CDN}; "
    f"style-src 'self' 'unsafe-inline' {CDN} https://fonts.googleapis.com; "
    "font-src 'self' https://fonts.gstatic.com; "
    f"img-src 'self' data: {CDN} https://fastapi.tiangolo.com; "
    f"connect-src 'self'; worker-src 'self' blob:; {COMMON}"
)
OTHERS: Final = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}
# A Host header fit to be written into the policy: a name or [IPv6], and a port.
CLEAN_HOST: Final = re.compile(r"([a-z0-9_.-]+|\[[0-9a-f:.]+\])(:[0-9]{1,5})?")


def page_policy(host: str) -> str:
    """The page's Content-Security-Policy, for a request that named `host` as its Host."""
    host = host.strip().lower()
    streams = f" ws://{host} wss://{host}" if CLEAN_HOST.fullmatch(host) else ""
    return PAGE.format(streams=streams)


class SecurityHeaders:
    """ASGI middleware: adds the security headers to each response's start."""

    def __init__(self, app: ASGIApp, docs_paths: Iterable[str | None] = ()) -> None:
        self.app = app
        self.docs_paths = frozenset(p for p in docs_paths if p)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"] in self.docs_paths:
            policy = DOCS
        else:
            policy = page_policy(Headers(scope=scope).get("host", ""))
        added = [(b"content-security-policy", policy.encode())] + [
            (name.encode(), value.encode()) for name, value in OTHERS.items()
        ]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                present = {name.lower() for name, _ in raw}
                raw += [(name, value) for name, value in added if name not in present]
                message["headers"] = raw
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install(app: FastAPI) -> None:
    """Put SecurityHeaders around every other layer of `app`, Starlette's answer to a crash too."""
    build = app.build_middleware_stack
    docs_paths = (app.docs_url, app.redoc_url, app.swagger_ui_oauth2_redirect_url)

    def build_with_headers() -> ASGIApp:
        # ServerErrorMiddleware, which answers 500, is the outermost layer add_middleware gives.
        return SecurityHeaders(build(), docs_paths)

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
