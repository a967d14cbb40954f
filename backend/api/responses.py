"""A JSON response encoded by the job layer's encoder: NumPy arrays as lists, NaN as null."""

from __future__ import annotations

from typing import Any

from fastapi.responses import Response

from backend.jobs.frame import encode


class ArrayJSONResponse(Response):
    """For large or NumPy-valued bodies (history, trace): one orjson pass, no validation."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """`content` as JSON bytes."""
        return encode(content).encode()
