"""Which names the server answers to: the Host header of every request, and a stream's Origin.

* Every HTTP request and WebSocket must name an allowed host (``Settings.allowed_hosts``, with
  any port) in its Host header. A page of another site whose name was rebound to 127.0.0.1
  (DNS rebinding) is same-origin with the server as far as its browser knows, but it still
  sends its own name: it is refused, with a 400 (HTTP) or an ``error`` message and close code
  4403 (WebSocket). ``*`` turns the check off, for a reverse proxy that makes it.
* Browsers apply no CORS to WebSockets: any page could open a stream on localhost. So a
  WebSocket with an ``Origin`` (every browser sends one) is refused (4403) unless the Origin
  is an allowed host (any port, never through ``*``), the request's own host (same origin),
  or one of ``Settings.cors_origins``. A WebSocket without Origin (not a browser) may connect.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from backend.config import ANY_HOST

from .viewer import close_with_error

CLOSE_FORBIDDEN: Final = 4403
SHOWN: Final = 64  # characters of a refused Host or Origin echoed back


def host_name(header: str) -> str | None:
    """The name in a Host header: 'Example.org:80' → 'example.org', '[::1]:8000' → '::1'; None
    when the header is malformed."""
    header = header.strip().lower()
    if header.startswith("["):  # an IPv6 address is in brackets, so that its colons are not a port
        name, bracket, rest = header[1:].partition("]")
        if not bracket:
            return None
    else:
        name, colon, port = header.partition(":")
        rest = colon + port
    if rest and not (rest[0] == ":" and rest[1:].isdigit()):
        return None
    return name or None


def shown(text: str) -> str:
    """`text` as echoed in a refusal: at most SHOWN characters."""
    return repr(text if len(text) <= SHOWN else text[:SHOWN] + "…")


class HostCheck:
    """ASGI middleware: a request for a name not allowed, or a stream from a foreign page, is
    refused."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str], origins: Iterable[str] = ()) -> None:
        self.app = app
        names = frozenset(allowed)
        self.any_host = ANY_HOST in names
        self.names = names - {ANY_HOST}
        self.origins = frozenset(origins)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        problem = self.check(scope)
        if problem is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "http":
            await JSONResponse({"detail": problem}, 400)(scope, receive, send)
        else:
            websocket = WebSocket(scope, receive, send)
            await websocket.accept()
            await close_with_error(websocket, problem, CLOSE_FORBIDDEN)

    def check(self, scope: Scope) -> str | None:
        """Why the request is refused, or None."""
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self.any_host and host_name(host) not in self.names:
            return (
                f"Host {shown(host)} is not a name this server answers to: set "
                "PLAYGROUND_ALLOWED_HOSTS to the names it is reached by (any port)"
            )
        origin = headers.get("origin")
        if scope["type"] == "websocket" and origin is not None and not self.admits(origin, host):
            return (
                f"Origin {shown(origin)} may not open streams here: add its host to "
                "PLAYGROUND_ALLOWED_HOSTS, or the origin to PLAYGROUND_CORS_ORIGINS"
            )
        return None

    def admits(self, origin: str, host: str) -> bool:
        """Whether a page of `origin` may open a stream on this server, reached as `host`."""
        if origin in self.origins:
            return True
        try:
            parts = urlsplit(origin)
            name = parts.hostname or ""
        except ValueError:  # e.g. an unclosed "[" of an IPv6 address
            return False
        if parts.scheme not in ("http", "https"):
            return False  # "null" (a sandboxed frame, a file), or not a web page
        return name in self.names or parts.netloc.lower() == host.strip().lower()
