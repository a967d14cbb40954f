"""/api/jobs: create, list, read, steer and delete training jobs; read their weights and losses.

Every route translates HTTP to one job-layer call; the job layer's errors become 404, 409,
422 and 429 in `errors.py`.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from backend.jobs.errors import JobStateError, SpecError
from backend.jobs.job import Job
from backend.jobs.manager import JobManager

from . import deps
from .refusals import BODY, refusals
from .responses import ArrayJSONResponse
from .schemas.control import JobChanges, StepRequest
from .schemas.prediction import Prediction, PredictRequest
from .schemas.spec import JobSpec
from .schemas.view import Export, History, JobView, Trace, Weights

router = APIRouter(prefix="/api/jobs", tags=["jobs"])

MAX_EVERY = 1_000_000


def view(job: Job) -> JobView:
    """The job's state as a response body."""
    return JobView.model_validate(job.view())


def saved(job: Job) -> JobView:
    """The view once the change is stored; a refused write is a 507 (StorageError)."""
    job.wait_saved()
    return view(job)


@router.post("", status_code=201, responses=refusals(*BODY, 429))
def create(spec: JobSpec, jobs: JobManager = Depends(deps.manager)) -> JobView:
    """A new job; it starts training unless `start` is "paused"."""
    return view(jobs.create(spec.model_dump()))


@router.get("")
def list_jobs(jobs: JobManager = Depends(deps.manager)) -> list[JobView]:
    """Every job, oldest first."""
    return [view(job) for job in jobs.list()]


@router.get("/{job_id}", responses=refusals(404))
def read(job: Job = Depends(deps.job)) -> JobView:
    """One job's state."""
    return view(job)


@router.patch("/{job_id}", responses=refusals(*BODY, 404))
def configure(changes: JobChanges, job: Job = Depends(deps.job)) -> JobView:
    """Change the speed and/or α of a job, running or not, without a reset."""
    job.configure(changes.model_dump(exclude_unset=True))
    return saved(job)


@router.delete("/{job_id}", status_code=204, responses=refusals(404))
def delete(job_id: str, jobs: JobManager = Depends(deps.manager)) -> Response:
    """Stop the job's thread and forget the job: 204, no body."""
    jobs.delete(job_id)
    return Response(status_code=204)


@router.post("/{job_id}/pause", responses=refusals(404, 409))
def pause(job: Job = Depends(deps.job)) -> JobView:
    """running → paused (a paused job stays paused)."""
    job.pause()
    return saved(job)


@router.post("/{job_id}/resume", responses=refusals(404, 409, 429))
def resume(job_id: str, jobs: JobManager = Depends(deps.manager)) -> JobView:
    """paused → running, within the limit on running jobs (429)."""
    return saved(jobs.resume(job_id))


@router.post("/{job_id}/stop", responses=refusals(404, 409))
def stop(job: Job = Depends(deps.job)) -> JobView:
    """running or paused → stopped, for good; reset starts over."""
    job.stop()
    return saved(job)


@router.post("/{job_id}/reset", responses=refusals(404))
def reset(job: Job = Depends(deps.job)) -> JobView:
    """Back to the initial weights, epoch 0 and an empty history, paused."""
    job.reset()
    return saved(job)


@router.post("/{job_id}/step", responses=refusals(*BODY, 404, 409))
async def step(body: StepRequest, job: Job = Depends(deps.job)) -> JobView:
    """On a paused job, run exactly so many iterations or epochs, then answer."""
    done = await run_in_threadpool(
        job.step, iterations=body.iterations or 0, epochs=body.epochs or 0
    )
    await asyncio.wrap_future(done)
    return await run_in_threadpool(saved, job)


@router.get("/{job_id}/weights", responses=refusals(404))
def weights(job: Job = Depends(deps.job)) -> Weights:
    """The current W^1..W^L."""
    return Weights.model_validate({"layers": job.weights()})


@router.get("/{job_id}/history", response_model=History, responses=refusals(404))
def history(
    every: int = Query(1, ge=1, le=MAX_EVERY), job: Job = Depends(deps.job)
) -> ArrayJSONResponse:
    """Every `every`-th training loss since the start (or the last reset), and the test losses."""
    return ArrayJSONResponse(job.history.as_dict(every))


@router.post("/{job_id}/predict", responses=refusals(*BODY, 404))
def predict(body: PredictRequest, job: Job = Depends(deps.job)) -> Prediction:
    """Outputs of the current weights for the given inputs."""
    try:
        return Prediction(outputs=job.predict(body.inputs))
    except ValueError as exc:  # the width does not match the input layer
        raise SpecError(("inputs",), str(exc)) from None


@router.get("/{job_id}/export", response_model=Export, responses=refusals(404))
def export(job: Job = Depends(deps.job)) -> ArrayJSONResponse:
    """Download the model: spec, weights in the article's form, history (a JSON file)."""
    name = f'attachment; filename="backprop-playground-{job.id}.json"'
    return ArrayJSONResponse(job.export(), headers={"Content-Disposition": name})


@router.get("/{job_id}/trace", response_model=Trace, responses=refusals(404, 409))
def trace(job: Job = Depends(deps.job)) -> ArrayJSONResponse:
    """The last iteration's full record: every layer's z, y, ∂ℓ/∂y, ∂ℓ/∂z and ∂ℓ/∂W."""
    record = job.trace()
    if record is None:
        raise JobStateError("trace: no iteration has run yet; resume or step the job first")
    return ArrayJSONResponse(record)
