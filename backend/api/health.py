"""GET /api/health."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel

from backend import __version__

router = APIRouter(tags=["health"])


class Health(BaseModel):
    """Body of GET /api/health."""

    status: Literal["ok"]
    version: str


@router.get("/api/health", response_model=Health)
async def health() -> Health:
    """The server answers: it never waits on a training step."""
    return Health(status="ok", version=__version__)
