"""Complete arrays, compactly: a message's float arrays as little-endian float32 or float64.

The body is a small JSON header, then the arrays' bytes:

    bytes 0..3   n, the header's length (uint32, little-endian)
    bytes 4..4+n the header, UTF-8 JSON padded with spaces so that 4 + n is a multiple of 8:
                 the message's other fields, "dtype" ("<f4" or "<f8") and "arrays", a list of
                 {"name": "layers.0", "shape": [rows, columns]} in the order of the bytes
    then         each array's values, row by row (C order), one after the other

A name is the array's path in the JSON form of the message ("weights.1", "layers.0.grad").
NaN and ±inf stay themselves. Packing copies bytes (NumPy, no per-number Python work), so even
the largest network's 2M weights take milliseconds and hold the GIL only as long.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import orjson
from fastapi.responses import Response

from backend.jobs.frame import dumps

MEDIA_TYPE = "application/octet-stream"
DTYPES = {"f32": "<f4", "f64": "<f8"}
ALIGN = 8  # so that a reader may view the data in place (Float64Array needs 8)

# For the OpenAPI schema of a route that answers this on request.
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {MEDIA_TYPE: {"schema": {"type": "string", "format": "binary"}}}}
}


def pack(message: dict[str, Any], dtype: str) -> bytes:
    """`message` with its float arrays (at any depth) moved behind the header, as `dtype`."""
    arrays: list[tuple[str, np.ndarray[Any, Any]]] = []
    kept = {key: _split(value, key, arrays) for key, value in message.items()}
    header = {key: value for key, value in kept.items() if value is not _DROP}
    header |= {
        "dtype": dtype,
        "arrays": [{"name": name, "shape": list(a.shape)} for name, a in arrays],
    }
    text = dumps(header)
    text += b" " * (-(4 + len(text)) % ALIGN)
    parts = [len(text).to_bytes(4, "little"), text]
    parts += [np.ascontiguousarray(a, dtype=dtype).tobytes() for _, a in arrays]
    return b"".join(parts)


def _split(value: Any, path: str, arrays: list[tuple[str, np.ndarray[Any, Any]]]) -> Any:
    """`value` without its float arrays, which are appended to `arrays` with their paths."""
    if isinstance(value, np.ndarray) and value.dtype.kind == "f":
        arrays.append((path, value))
        return _DROP
    if isinstance(value, dict):
        kept = {k: _split(v, _join(path, str(k)), arrays) for k, v in value.items()}
        left = {k: v for k, v in kept.items() if v is not _DROP}
        return left if left or not value else _DROP
    if isinstance(value, list):
        items = [_split(v, _join(path, str(i)), arrays) for i, v in enumerate(value)]
        return [v for v in items if v is not _DROP] if any(v is not _DROP for v in items) else _DROP
    return value


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


_DROP = object()  # marks a value that went behind the header


def response(message: dict[str, Any], dtype: str, filename: str | None = None) -> Response:
    """The packed message as an octet stream."""
    headers = {"Content-Disposition": f'attachment; filename="{filename}"'} if filename else None
    return Response(pack(message, dtype), media_type=MEDIA_TYPE, headers=headers)


def unpack(body: bytes) -> tuple[dict[str, Any], dict[str, np.ndarray[Any, Any]]]:
    """The header and the arrays by name: how a client reads a packed body (tests use it)."""
    n = int.from_bytes(body[:4], "little")
    header: dict[str, Any] = orjson.loads(body[4 : 4 + n])
    offset, arrays = 4 + n, {}
    for entry in header["arrays"]:
        count = int(np.prod(entry["shape"]))
        data = np.frombuffer(body, dtype=header["dtype"], count=count, offset=offset)
        arrays[entry["name"]] = data.reshape(entry["shape"])
        offset += data.nbytes
    return header, arrays
