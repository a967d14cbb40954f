"""The FastAPI application factory: lifespan (the job manager), routers and error handlers."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI

from backend import __version__
from backend.config import Settings
from backend.jobs.limits import Limits
from backend.jobs.manager import JobManager
from backend.jobs.store import Store
from backend.jobs.workers import Workers

from . import datasets, errors, health, jobs, landscape, options, preview, security, stream
from .frontend import Frontend
from .limits import BodyLimit

# The browser playground: plain files (ES modules, no build step) served at "/".
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"


def create_app(settings: Settings | None = None, limits: Limits | None = None) -> FastAPI:
    """Build the application; settings are read from the environment when not given."""
    # `limits` bounds the job manager: stored and running jobs, each job's weights and
    # iterations. Request fields are always bounded by the `Limits()` defaults (the schemas).
    settings = Settings.from_env() if settings is None else settings
    limits = Limits() if limits is None else limits

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Training threads hold the GIL between NumPy calls; a shorter switch interval lets the
        # event loop answer promptly while they run (CPython's default is 5 ms).
        sys.setswitchinterval(0.001)
        loop = asyncio.get_running_loop()
        store = Store(settings.db_path) if settings.db_path else None
        # Reading back the stored jobs is file work, and loading the compiled step (or, on
        # first use, compiling it) takes a while: both off the event loop, before serving.
        app.state.jobs = await asyncio.to_thread(
            JobManager, loop, limits, store, settings.engine, Workers(settings.workers)
        )
        try:
            yield
        finally:
            await asyncio.to_thread(app.state.jobs.close)

    app = FastAPI(title="Backprop Playground", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    app.add_middleware(BodyLimit)
    security.install(app, settings)  # after BodyLimit: headers and CORS outermost, Host first
    errors.install(app)
    for module in (health, options, datasets, preview, jobs, landscape, stream):
        app.include_router(module.router)
    # Mounted after the routers, so every /api path is theirs; StaticFiles refuses paths that
    # resolve outside FRONTEND (.., encoded slashes, symlinks out) with a 404, and Frontend
    # every file inside it that is not the page's own.
    if FRONTEND.is_dir():
        app.mount("/", Frontend(directory=FRONTEND, html=True), name="frontend")
    return app
