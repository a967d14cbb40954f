"""POST /api/preview: what a spec gives, drawn before anything is stored.

The page shows the form's network, its initial weights and its data from this answer; a job
is created only when the learner first trains, so opening the page stores nothing.
"""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backend.jobs.manager import JobManager

from . import deps
from .bodies import OffLoopRoute
from .refusals import BODY, refusals
from .schemas.spec import JobSpec
from .schemas.view import Preview
from .snapshot import dataset_summary

router = APIRouter(prefix="/api", tags=["jobs"], route_class=OffLoopRoute)


@router.post("/preview", responses=refusals(*BODY))
def preview(spec: JobSpec, jobs: JobManager = Depends(deps.manager)) -> Preview:
    """The spec with its defaults, the initial W^1..W^L and the data; nothing is stored."""
    job_spec = spec.to_job()
    network, dataset = jobs.preview(job_spec)
    summary = dataset_summary(dataset, job_spec)
    weights = [w.tolist() for w in network.weights]
    return Preview.model_validate(
        {"spec": job_spec.as_dict, "weights": weights, "dataset": summary}
    )
