"""404 and 405 for /api paths, decided by the API's own routes rather than the static files.

The front end is mounted at "/", so a request the API's routes do not take would otherwise
reach the static files: ``POST /api/nothing`` was a 405 and ``PUT /api/jobs`` a 405 whose
``Allow`` named the static files' methods (GET, HEAD) instead of the path's. Here every HTTP
request under /api is matched against the operations of the OpenAPI schema first: an unknown
path is a 404, and a method the path does not take a 405 whose ``Allow`` lists the methods it
does take.
"""

from __future__ import annotations

import re
from typing import Final

from fastapi import FastAPI
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

PREFIX: Final = "/api/"
PARAMETER: Final = re.compile(r"\\\{[^/]+?\\\}")  # an escaped "{name}" in a path template


class MethodCheck:
    """ASGI middleware: 404 for an unknown /api path, 405 with the right Allow for a method."""

    def __init__(self, app: ASGIApp, api: FastAPI) -> None:
        self.app = app
        self.api = api
        self.paths: list[tuple[re.Pattern[str], frozenset[str]]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        if scope["type"] != "http" or not path.startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        allowed = self.allowed(path)
        if allowed is None:
            await JSONResponse({"detail": "Not Found"}, 404)(scope, receive, send)
        elif scope["method"] not in allowed:
            headers = {"Allow": ", ".join(sorted(allowed))}
            response = JSONResponse({"detail": "Method Not Allowed"}, 405, headers=headers)
            await response(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    def allowed(self, path: str) -> frozenset[str] | None:
        """The methods the API takes on `path`, or None when no operation has that path."""
        if self.paths is None:  # built on first use: every router is included by then
            self.paths = operations(self.api)
        methods = [m for pattern, m in self.paths if pattern.fullmatch(path)]
        return frozenset().union(*methods) if methods else None


def operations(api: FastAPI) -> list[tuple[re.Pattern[str], frozenset[str]]]:
    """Each OpenAPI path as a pattern (a parameter is one path segment), with its methods."""
    return [
        (
            re.compile(PARAMETER.sub("[^/]+", re.escape(template))),
            frozenset(method.upper() for method in methods),
        )
        for template, methods in api.openapi().get("paths", {}).items()
    ]
