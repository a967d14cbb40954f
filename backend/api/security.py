"""Who may call the API: CORS for other origins, and an optional token for changes and streams.

* CORS is off unless ``Settings.cors_origins`` lists origins: then pages served from those
  origins may call the API (Starlette's CORSMiddleware). Same-origin pages never need it.
* When ``Settings.token`` is set, every state-changing request under ``/api`` (POST, PUT,
  PATCH, DELETE) must send ``Authorization: Bearer <token>``, and every WebSocket under
  ``/api`` must give it too: as ``?token=<token>`` in its URL (browsers cannot set headers on
  a WebSocket) or the same header. A missing or wrong token is a 401 (HTTP), or an ``error``
  message and close code 4401 (WebSocket). Reads (GET, HEAD, OPTIONS) stay open.

The token is compared with ``hmac.compare_digest`` (in time that does not depend on where the
strings differ). A ``token`` query parameter is removed from every request, HTTP or WebSocket,
token or not, before anything answers it: uvicorn writes its access log line from the request's
URL after the answer, so the line never records it. ``install`` also adds the other guards —
allowed hosts and Origins (hosts.py), /api methods (methods.py), JSON bodies (json_bodies.py)
and the security headers (headers.py) — so that it puts each in its place in one call.
"""

from __future__ import annotations

import hmac
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from starlette.websockets import WebSocket

from backend.config import Settings

from . import headers
from .hosts import HostCheck
from .json_bodies import JsonBodies
from .methods import MethodCheck
from .viewer import close_with_error

GUARDED_METHODS: Final = frozenset({"POST", "PUT", "PATCH", "DELETE"})
PREFIX: Final = "/api/"
CLOSE_UNAUTHORIZED: Final = 4401
SCHEME: Final = "bearer"  # the OpenAPI security scheme's name
QUERY_TOKEN: Final = "playground.query_token"  # the scope key of a token taken from the URL
UNAUTHORIZED: Final = {
    "description": "No token, or a wrong one: this server requires `Authorization: Bearer`",
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def install(app: FastAPI, settings: Settings) -> None:
    """Add the request guards to `app`, outermost first: the security headers, the query
    token's removal, CORS (if origins), allowed hosts, the token (if set), /api methods, JSON
    bodies.

    Call it after the other middleware (the body limit): CORS ends up outside every refusal
    (400, 401, 404, 405, 413, 415), so a refusal still carries its headers and a browser can
    read it; the Host is checked first, then the token, then everything else.
    """
    app.add_middleware(JsonBodies)
    app.add_middleware(MethodCheck, api=app)
    if settings.token is not None:
        app.add_middleware(TokenGuard, token=settings.token)
        document_token(app)
    app.add_middleware(HostCheck, allowed=settings.allowed_hosts, origins=settings.cors_origins)
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "PATCH", "DELETE"],
            allow_headers=["Authorization", "Content-Type", "X-Job-Key"],
        )
    app.add_middleware(QueryToken)
    headers.install(app)


def guarded(scope: Scope) -> bool:
    """Whether this request must present the token."""
    path: str = scope["path"]
    if not path.startswith(PREFIX):
        return False
    return scope["type"] == "websocket" or (
        scope["type"] == "http" and scope["method"] in GUARDED_METHODS
    )


class TokenGuard:
    """ASGI middleware: a state-changing request or a stream without the right token is refused."""

    def __init__(self, app: ASGIApp, token: str) -> None:
        if not token:
            raise ValueError("the token must not be empty")
        self.app = app
        self.token = token.encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or not guarded(scope):
            await self.app(scope, receive, send)
            return
        problem = self.check(scope)
        if problem is None:
            await self.app(scope, receive, send)
        elif scope["type"] == "http":
            await unauthorized(problem)(scope, receive, send)
        else:
            websocket = WebSocket(scope, receive, send)
            await websocket.accept()
            await close_with_error(websocket, problem, CLOSE_UNAUTHORIZED)

    def check(self, scope: Scope) -> str | None:
        """Why the request is refused, or None when it presents the token."""
        given = bearer(scope)
        if scope["type"] == "websocket" and given is None:
            given = scope.get(QUERY_TOKEN)  # HTTP requests send the header: a URL is logged
        if given is None:
            if scope["type"] == "websocket":
                return "a token is required: add ?token=<token> to the stream's URL"
            return "a token is required: send the header 'Authorization: Bearer <token>'"
        if not hmac.compare_digest(given, self.token):
            return "wrong token"
        return None


def bearer(scope: Scope) -> bytes | None:
    """The token of an ``Authorization: Bearer <token>`` header, or None."""
    for name, value in scope["headers"]:
        if name == b"authorization":
            scheme, _, token = value.strip().partition(b" ")
            if scheme.lower() == b"bearer" and token.strip():
                return bytes(token.strip())
            return None
    return None


class QueryToken:
    """ASGI middleware: a ``token`` query parameter is taken out of every request's URL (and so
    out of the access log), and kept in the scope for TokenGuard."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket"):
            token = take_query_token(scope)
            if token is not None:
                scope[QUERY_TOKEN] = token
        await self.app(scope, receive, send)


def take_query_token(scope: Scope) -> bytes | None:
    """The ``token`` query parameter, removed from the scope (and so from the access log)."""
    query: bytes = scope.get("query_string", b"")
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    tokens = [value for name, value in pairs if name == "token"]
    if not tokens:
        return None
    scope["query_string"] = urlencode([(n, v) for n, v in pairs if n != "token"]).encode()
    return tokens[-1].encode()


def unauthorized(problem: str) -> JSONResponse:
    """The 401 answer, in the shape of every other error."""
    return JSONResponse({"detail": problem}, 401, headers={"WWW-Authenticate": "Bearer"})


def document_token(app: FastAPI) -> None:
    """Declare the bearer scheme and the 401 answer in the OpenAPI of every guarded operation."""

    build = app.openapi

    def openapi() -> dict[str, Any]:
        schema = build()  # FastAPI's own, made once and kept in app.openapi_schema
        schemes = schema.setdefault("components", {}).setdefault("securitySchemes", {})
        if SCHEME not in schemes:
            schemes[SCHEME] = {"type": "http", "scheme": "bearer"}
            for path, operations in schema.get("paths", {}).items():
                if not path.startswith(PREFIX):
                    continue
                for method, operation in operations.items():
                    if method.upper() in GUARDED_METHODS:
                        operation["security"] = [{SCHEME: []}]
                        operation.setdefault("responses", {})["401"] = UNAUTHORIZED
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
