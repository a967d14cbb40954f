"""Request bodies are JSON: a change under /api whose body is of another type is a 415.

A page of any site may send a "simple" cross-origin request with no CORS preflight: a POST
whose Content-Type is ``text/plain``, a form's type, or none at all (a Blob body). The
browser keeps the answer from that page, but the server would still act on it. The API's
bodies are JSON, which a simple request cannot declare, so refusing every other body type
refuses those requests before they reach a route. A POST without a body (pause, resume,
stop, reset, fork) needs no Content-Type.
"""

from __future__ import annotations

from typing import Final

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX: Final = "/api/"
WITH_BODY: Final = frozenset({"POST", "PUT", "PATCH"})
DETAIL: Final = "the request body must be JSON: send it with 'Content-Type: application/json'"


def is_json(content_type: str) -> bool:
    """Whether a Content-Type is JSON: application/json or application/<anything>+json."""
    media = content_type.partition(";")[0].strip().lower()
    kind, _, subtype = media.partition("/")
    return kind == "application" and (subtype == "json" or subtype.endswith("+json"))


def has_body(headers: Headers) -> bool:
    """Whether the request announces a body: a non-zero Content-Length, or chunks."""
    length = headers.get("content-length", "").strip()
    return "transfer-encoding" in headers or (length != "" and length.strip("0") != "")


class JsonBodies:
    """ASGI middleware: 415 for a POST, PUT or PATCH under /api with a body that is not JSON."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] == "http"
            and scope["method"] in WITH_BODY
            and scope["path"].startswith(PREFIX)
            and not self.acceptable(Headers(scope=scope))
        ):
            await JSONResponse({"detail": DETAIL}, 415)(scope, receive, send)
            return
        await self.app(scope, receive, send)

    @staticmethod
    def acceptable(headers: Headers) -> bool:
        """A JSON Content-Type, or neither a Content-Type nor a body."""
        content_type = headers.get("content-type")
        if content_type is None:
            return not has_body(headers)
        return is_json(content_type)
