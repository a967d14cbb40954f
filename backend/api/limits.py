"""The bound on a request body's size: anything larger is refused with 413 before it is parsed.

A declared Content-Length over the bound is refused before the body is read; a body sent
without one (chunked) is counted as it arrives and refused once it passes the bound.
"""

from __future__ import annotations

from fastapi import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 16 * 1024 * 1024  # 16 MiB: a 10,000-row inline data set fits with room


def declared_length(scope: Scope) -> int:
    """The request's Content-Length, 0 if absent or malformed (the server refuses those)."""
    value = dict(scope["headers"]).get(b"content-length", b"").strip()
    if not value.isdigit():
        return 0
    return int(value) if len(value) <= 18 else 10**18


class BodyLimit:
    """ASGI middleware: 413 for an HTTP request body over `max_bytes`."""

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if declared_length(scope) > self.max_bytes:
            await self.refusal()(scope, receive, send)
            return
        await self.app(scope, self.counted(receive), send)

    def counted(self, receive: Receive) -> Receive:
        """`receive` that raises a 413 HTTPException once the body passes the bound."""
        received = 0

        async def receive_counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(413, self.detail())
            return message

        return receive_counted

    def refusal(self) -> JSONResponse:
        """The 413 answer, in the shape of every other error."""
        return JSONResponse({"detail": self.detail()}, 413)

    def detail(self) -> str:
        """Why the body was refused."""
        return f"request body too large: the limit is {self.max_bytes} bytes"
