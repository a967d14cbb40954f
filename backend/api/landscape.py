"""GET /api/jobs/{id}/landscape: the training loss over a plane of two parameters."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query

from backend.jobs.job import Job
from backend.jobs.landscape import DEFAULT_GRID, DEFAULT_SPAN, MAX_GRID, MAX_SPAN, MIN_GRID

from . import deps
from .refusals import refusals
from .responses import ArrayJSONResponse
from .schemas.landscape import PARAMETER_TEXT, Landscape, check_work, parameters

router = APIRouter(prefix="/api/jobs", tags=["jobs"])


@router.get("/{job_id}/landscape", response_model=Landscape, responses=refusals(404))
def landscape(
    a: str = Query(max_length=40, description=f"the first parameter, {PARAMETER_TEXT}"),
    b: str = Query(max_length=40, description="the second parameter, likewise", examples=["1,0,0"]),
    span: float = Query(DEFAULT_SPAN, gt=0, le=MAX_SPAN, allow_inf_nan=False),
    grid: int = Query(DEFAULT_GRID, ge=MIN_GRID, le=MAX_GRID, description="N values per axis"),
    job: Job = Depends(deps.job),
) -> ArrayJSONResponse:
    """The whole training set's loss (each row's, averaged, as the metrics' train_loss) on an
    N × N grid of a and b within ± span of their values, every other weight as it is now;
    and the path of a and b over the run. Computed in a worker thread (a plain def route)."""
    first, second = parameters(a, b, job.network.shapes)
    rows = len(job.dataset.inputs)
    check_work(job.network.sizes, min(first.layer, second.layer), grid, rows)
    return ArrayJSONResponse(job.landscape(first, second, span, grid))
