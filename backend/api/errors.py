"""The job layer's refusals as HTTP answers: 422, 404, 409, 429 — never a 500 with a trace."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from backend.jobs.errors import (
    IterationNotFound,
    JobNotFound,
    JobStateError,
    NotOwner,
    SpecError,
    TooManyJobs,
)
from backend.jobs.store import StorageError


def _detail(loc: tuple[str | int, ...], message: str, kind: str) -> list[dict[str, object]]:
    return [{"loc": list(loc), "msg": message, "type": kind}]


def query_error(name: str, message: str) -> HTTPException:
    """A 422 for a query parameter its type alone cannot check, in FastAPI's shape."""
    return HTTPException(422, _detail(("query", name), message, "value_error"))


async def request_invalid(request: Request, exc: Exception) -> JSONResponse:
    """A request its schema refuses: 422 with each error's loc, msg and type."""
    assert isinstance(exc, RequestValidationError)
    # FastAPI's own handler echoes each bad `input`, which may be megabytes of rows or a NaN
    # that JSON cannot carry (a 500); this one leaves it out.
    errors = [{k: v for k, v in error.items() if k != "input"} for error in exc.errors()]
    return JSONResponse({"detail": jsonable_encoder(errors, custom_encoder={Exception: str})}, 422)


async def spec_error(request: Request, exc: Exception) -> JSONResponse:
    """A field the engine refused: 422 with the field's path, FastAPI's shape."""
    assert isinstance(exc, SpecError)
    return JSONResponse({"detail": _detail(("body", *exc.loc), exc.message, "value_error")}, 422)


async def value_error(request: Request, exc: Exception) -> JSONResponse:
    """Bad values found past schema validation (e.g. predict inputs): 422."""
    return JSONResponse({"detail": _detail(("body",), str(exc), "value_error")}, 422)


async def not_found(request: Request, exc: Exception) -> JSONResponse:
    """Unknown job id: 404."""
    return JSONResponse({"detail": str(exc.args[0]) if exc.args else "not found"}, 404)


async def forbidden(request: Request, exc: Exception) -> JSONResponse:
    """A control request without the job's key: 403, saying how to get a copy of one's own."""
    return JSONResponse({"detail": str(exc)}, 403)


async def conflict(request: Request, exc: Exception) -> JSONResponse:
    """An action the job's status forbids: 409."""
    return JSONResponse({"detail": str(exc)}, 409)


async def too_many(request: Request, exc: Exception) -> JSONResponse:
    """A limit on jobs or viewers reached: 429."""
    return JSONResponse({"detail": str(exc)}, 429)


async def storage_error(request: Request, exc: Exception) -> JSONResponse:
    """The database refused a write (disk full, read-only): 507, and nothing stored is lost."""
    return JSONResponse({"detail": str(exc)}, 507)


def install(app: FastAPI) -> None:
    """Register every handler on `app`."""
    app.add_exception_handler(RequestValidationError, request_invalid)
    app.add_exception_handler(SpecError, spec_error)
    app.add_exception_handler(JobNotFound, not_found)
    app.add_exception_handler(IterationNotFound, not_found)
    app.add_exception_handler(NotOwner, forbidden)
    app.add_exception_handler(JobStateError, conflict)
    app.add_exception_handler(TooManyJobs, too_many)
    app.add_exception_handler(StorageError, storage_error)
    app.add_exception_handler(ValueError, value_error)
