"""JSON request bodies decoded and validated in a worker thread, not on the event loop.

FastAPI decodes a route's JSON body (``json.loads``) and validates it against the route's model
on the event loop, for sync routes too: a 16 MiB inline data set held the loop, and so every
other request and stream, for over half a second. A router made with
``APIRouter(route_class=OffLoopRoute)`` gives its routes a request whose ``json()``

* reads the body on the loop (where it arrives, chunk by chunk);
* decodes it in a worker thread, with ``json.loads`` and number hooks that are plain Python
  functions: the decoder is C code that would hold the GIL from the first byte to the last,
  but each call of a Python function lets the interpreter hand the GIL to the event loop's
  thread (every ``sys.getswitchinterval()``), so the loop runs while a body is decoded;
* validates it in that thread with the route's own body field, exactly as FastAPI would, and
  hands FastAPI the model instance, which it takes as it is (a model instance is not validated
  again). A body that fails is handed over as decoded: FastAPI validates it again and answers
  as it always did, after the route's dependencies (a 403 or 404 still comes first).

The answers do not change: the same 400 for a body JSON cannot read (e.g. nested too deep),
the same 422 for bad JSON at its position or a field the model refuses, the same 413.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Coroutine
from typing import Any, Protocol

from fastapi import Request, Response
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from starlette.types import Receive, Scope

Handler = Callable[[Request], Coroutine[Any, Any, Response]]


class BodyField(Protocol):
    """What FastAPI validates a route's body with (its ModelField)."""

    def validate(
        self, value: Any, values: dict[str, Any] = ..., *, loc: tuple[int | str, ...] = ...
    ) -> tuple[Any, list[dict[str, Any]]]: ...


def number(text: str) -> float:
    """A JSON number with a fraction or exponent, as json.loads makes it (a Python call)."""
    return float(text)


def integer(text: str) -> int:
    """A JSON integer, as json.loads makes it (a Python call, so the GIL can change hands)."""
    return int(text)


def decode(body: bytes) -> Any:
    """The body as json.loads decodes it, the same values and the same exceptions."""
    return json.loads(body, parse_float=number, parse_int=integer)


def decode_and_validate(body: bytes, field: BodyField) -> Any:
    """The validated body (the model instance), or the decoded JSON if validation fails."""
    value = decode(body)
    validated, errors = field.validate(value, {}, loc=("body",))
    return value if errors else validated


class OffLoopRequest(Request):
    """A request whose JSON body is decoded and validated in a worker thread."""

    def __init__(self, scope: Scope, receive: Receive, field: BodyField) -> None:
        super().__init__(scope, receive)
        self.field = field
        self.decoded: list[Any] = []  # the value once json() has made it

    async def json(self) -> Any:
        if not self.decoded:
            body = await self.body()
            self.decoded.append(await run_in_threadpool(decode_and_validate, body, self.field))
        return self.decoded[0]


class OffLoopRoute(APIRoute):
    """An APIRoute that reads a JSON body with OffLoopRequest; routes without a body as before."""

    def get_route_handler(self) -> Handler:
        handler = super().get_route_handler()
        field = self.body_field
        if field is None:
            return handler

        async def route(request: Request) -> Response:
            return await handler(OffLoopRequest(request.scope, request.receive, field))

        return route
