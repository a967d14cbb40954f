"""The FastAPI application factory: lifespan (the job manager), routers and error handlers."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from backend import __version__
from backend.config import Settings
from backend.jobs.limits import Limits
from backend.jobs.manager import JobManager

from . import errors, health, jobs, options, stream


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; settings are read from the environment when not given."""
    settings = Settings.from_env() if settings is None else settings

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Training threads hold the GIL between NumPy calls; a shorter switch interval lets the
        # event loop answer promptly while they run (CPython's default is 5 ms).
        sys.setswitchinterval(0.001)
        app.state.jobs = JobManager(asyncio.get_running_loop(), Limits())
        try:
            yield
        finally:
            await asyncio.to_thread(app.state.jobs.close)

    app = FastAPI(title="Backprop Playground", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    errors.install(app)
    for module in (health, options, jobs, stream):
        app.include_router(module.router)
    return app
