"""How the server runs under uvicorn: one configuration for `python -m backend` and the tests.

* One worker: training jobs live in this process's memory.
* Requests must arrive in time (deadlines.py): ``header_timeout`` for a head, ``body_timeout``
  for a body, ``keepalive_timeout`` of idleness between two requests; and at most
  ``max_waiting`` connections wait for a request at once (the longest-waiting one is closed
  to make room), half of the file descriptors the process may open by default.
* uvicorn's ``limit_concurrency`` is not used: past it, every request is answered 503,
  ``/api/health`` too, which is what a flood of idle connections must not achieve.
* At start-up the soft limit on open files is raised to the hard one, so that the bound
  above and the viewers' WebSockets have room.
"""

from __future__ import annotations

import contextlib
import resource
import sys
from typing import Any

import uvicorn

from backend.config import Settings

from .deadlines import deadline_protocol

APP_FACTORY = "backend.api.app:create_app"
STARTUP_FAILURE = 3  # uvicorn's own exit status when the application does not start
NOFILE_CEILING = 1 << 20  # a soft limit to ask for when the hard limit is "unlimited"


def config(
    app: Any, settings: Settings, *, max_waiting: int | None = None, **options: Any
) -> uvicorn.Config:
    """uvicorn's configuration of `app` (an ASGI app or an import string) with `settings`."""
    most = max_waiting if max_waiting is not None else max(64, open_files_limit() // 2)
    protocol = deadline_protocol(settings.header_timeout, settings.body_timeout, most)
    chosen: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": settings.log_level,
        "workers": 1,
        "http": protocol,
        "timeout_keep_alive": settings.keepalive_timeout,
        # Frames are encoded once and sent as-is to every viewer; per-message compression
        # would compress each copy again, on the event loop.
        "ws_per_message_deflate": False,
    }
    return uvicorn.Config(app, **{**chosen, **options})


def serve(settings: Settings) -> None:
    """Serve the app made by create_app() until a signal stops it; exit 3 if it cannot start."""
    raise_open_files_limit()
    server = uvicorn.Server(config(APP_FACTORY, settings, factory=True))
    with contextlib.suppress(KeyboardInterrupt):
        server.run()
    if not server.started:
        sys.exit(STARTUP_FAILURE)


def open_files_limit() -> int:
    """The soft limit on this process's open file descriptors."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return NOFILE_CEILING if soft == resource.RLIM_INFINITY else soft


def raise_open_files_limit() -> int:
    """Raise the soft limit on open files to the hard limit (as far as allowed); the new one."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = NOFILE_CEILING if hard == resource.RLIM_INFINITY else hard
    if soft != resource.RLIM_INFINITY and soft < wanted:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (wanted, hard))
    return open_files_limit()
