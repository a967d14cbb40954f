"""The error answers each route may give, declared for its OpenAPI `responses=`.

FastAPI documents a route's success and its 422 on its own; the other refusals (see
errors.py and docs/protocol.md, "Errors") are listed here, so that the schema names every
status a client can get and a schema-driven client or fuzzer can check the answers.
"""

from __future__ import annotations

from typing import Any, Final

from pydantic import BaseModel


class Refusal(BaseModel):
    """Every error other than a 422: a sentence saying what was refused and why."""

    detail: str


DESCRIPTIONS: Final = {
    400: "The body cannot be read as JSON at all (e.g. nested too deep)",
    403: "A control request without the job's X-Job-Key; fork the job to get one's own",
    404: "No job with this id, no data set with this name, or an iteration not run yet",
    409: "The job's state forbids the action; `detail` says what it needs",
    413: "The request body is larger than `max_body_bytes`",
    429: "A limit on stored or running jobs is reached; `detail` names it",
}

# The refusals of any request with a JSON body.
BODY: Final = (400, 413)


def refusals(*codes: int) -> dict[int | str, dict[str, Any]]:
    """`responses=` for a route that may answer with these error statuses."""
    return {code: {"model": Refusal, "description": DESCRIPTIONS[code]} for code in codes}
