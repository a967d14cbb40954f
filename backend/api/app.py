"""The FastAPI application factory."""

from __future__ import annotations

from typing import Literal

from fastapi import FastAPI
from pydantic import BaseModel

from backend import __version__
from backend.config import Settings


class Health(BaseModel):
    """Body of ``GET /api/health``."""

    status: Literal["ok"]
    version: str


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the application; settings are read from the environment when not given."""
    settings = Settings.from_env() if settings is None else settings
    app = FastAPI(title="Backprop Playground", version=__version__)
    app.state.settings = settings

    @app.get("/api/health", response_model=Health)
    async def health() -> Health:
        return Health(status="ok", version=__version__)

    return app
