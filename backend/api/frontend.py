"""The page's own files, and nothing else of frontend/: what a browser needs to run it.

Served: ``index.html`` (also at "/"), ``compare.html`` (the compare view), ``styles.css``, the
stylesheets in ``css/``, the modules in ``js/``, and in ``vendor/`` the libraries' runtime
files (modules, stylesheets, woff2 fonts) with their LICENSE files, which their licences ask to
travel with them. Everything else is a 404: the developers' harness in ``dev/`` (its fixture
script among them), ``vendor/fetch.sh``, ``vendor/README.md``, and any file added later until
it is listed here.
"""

from __future__ import annotations

import os
import posixpath
from typing import Final

from fastapi.staticfiles import StaticFiles
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocketClose

# "." is "/", which serves index.html
TOP: Final = frozenset({".", "index.html", "compare.html", "styles.css"})
# For each folder: the endings of the files served from it, at any depth.
FOLDERS: Final = {
    "css": (".css",),
    "js": (".js",),
    "vendor": (".js", ".mjs", ".css", ".woff2", "/LICENSE"),
}


def served(path: str) -> bool:
    """Whether a path relative to frontend/ (as StaticFiles looks it up) is one of the page's."""
    path = posixpath.normpath(path.replace(os.sep, "/"))
    if path in TOP:
        return True
    folder, slash, rest = path.partition("/")
    endings = FOLDERS.get(folder, ())
    return bool(slash and rest) and ("/" + rest).endswith(endings)


class Frontend(StaticFiles):
    """The page's files; a WebSocket to a path no router took is refused in its handshake."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            await WebSocketClose()(scope, receive, send)
            return
        await super().__call__(scope, receive, send)

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        """The file for `path` when it is served, else none (a 404)."""
        if not served(path):
            return "", None
        return super().lookup_path(path)
