"""JSON responses encoded by the job layer's encoder: NumPy arrays as lists, NaN as null."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
from fastapi.responses import Response, StreamingResponse

from backend.jobs.frame import dumps

CHUNK_VALUES = 32_768  # numbers encoded in one go: a few ms, then the event loop may run


class ArrayJSONResponse(Response):
    """For large or NumPy-valued bodies (history, trace): one orjson pass, no validation."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        """`content` as JSON bytes."""
        return dumps(content)


class ChunkedJSONResponse(StreamingResponse):
    """For bodies of up to tens of MB (an export of the largest network): the same JSON text,
    encoded piece by piece in a worker thread as it is sent, so no one call holds the GIL for
    long and the body is never held whole."""

    def __init__(self, content: Any, headers: dict[str, str] | None = None) -> None:
        super().__init__(chunks(content), media_type="application/json", headers=headers)


def chunks(value: Any) -> Iterator[bytes]:
    """`value` as JSON text, in pieces of at most about CHUNK_VALUES numbers each."""
    if _count(value) <= CHUNK_VALUES:
        yield dumps(value)
    elif isinstance(value, dict):
        for i, (key, item) in enumerate(value.items()):
            yield (b"," if i else b"{") + dumps(str(key)) + b":"
            yield from chunks(item)
        yield b"}"
    elif isinstance(value, np.ndarray):
        rows = max(1, CHUNK_VALUES // max(1, value[0].size))  # whole rows (sub-arrays) at once
        for start in range(0, len(value), rows):
            yield (b"," if start else b"[") + dumps(value[start : start + rows])[1:-1]
        yield b"]"
    else:
        yield from _items(list(value))


def _items(items: list[Any]) -> Iterator[bytes]:
    """A long list: runs of small items encoded together, a large item by itself."""
    yield b"["
    run: list[Any] = []
    size, first = 0, True
    for item in items:
        n = _count(item)
        if run and (size + n > CHUNK_VALUES or n > CHUNK_VALUES):
            yield (b"" if first else b",") + dumps(run)[1:-1]
            run, size, first = [], 0, False
        if n > CHUNK_VALUES:
            yield b"" if first else b","
            yield from chunks(item)
            first = False
        else:
            run.append(item)
            size += n
    if run:
        yield (b"" if first else b",") + dumps(run)[1:-1]
    yield b"]"


def _count(value: Any) -> int:
    """About how many numbers and strings `value` holds (a list's items are looked at only
    when its first one is a container)."""
    if isinstance(value, np.ndarray):
        return int(value.size)
    if isinstance(value, dict):
        return len(value) + sum(_count(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        if value and isinstance(value[0], (list, tuple, dict, np.ndarray)):
            return len(value) + sum(_count(v) for v in value)
        return len(value)
    return 1
