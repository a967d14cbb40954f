"""/api/jobs: create, fork, list, read, steer and delete training jobs; read and replay them.

Every route translates HTTP to one job-layer call; the job layer's errors become 403, 404,
409, 422 and 429 in `errors.py`. Control routes take the job through `deps.owned_job`, which
asks for its key (X-Job-Key); reads are open to everyone the server admits.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Response
from starlette.concurrency import run_in_threadpool

from backend.jobs.errors import JobStateError, SpecError
from backend.jobs.job import MAX_EXACT, Job
from backend.jobs.keys import new_key
from backend.jobs.manager import JobManager
from backend.jobs.sampling import weights_message

from . import binary, deps
from .bodies import OffLoopRoute
from .errors import query_error
from .refusals import BODY, refusals
from .responses import ArrayJSONResponse, ChunkedJSONResponse
from .schemas.control import JobChanges, StepRequest
from .schemas.prediction import Prediction, PredictRequest
from .schemas.spec import JobSpec
from .schemas.view import Export, JobCreated, JobView
from .schemas.weight_edit import WeightEdit
from .schemas.wire import ExactLosses, Frame, LossHistory, NetworkWeights

# Bodies (up to 16 MiB of rows) are decoded and validated off the event loop: bodies.py.
router = APIRouter(prefix="/api/jobs", tags=["jobs"], route_class=OffLoopRoute)

MAX_ITERATION = 2**62  # a query bound, so that no number is too large for the engine's ints
OWNED = (403, 404)  # what a control route answers before it looks at the request
# A bulk read's body: JSON (cut when the network is wide), or every float32/64 (binary.py).
Encoding = Annotated[
    Literal["json", "f32", "f64"],
    Query(alias="format", description="json (cut when the network is wide), f32 or f64 (all)"),
]


def view(job: Job) -> JobView:
    """The job's state as a response body."""
    return JobView.model_validate(job.view())


def created(make: Callable[[str], Job]) -> JobCreated:
    """A new job made by `make(key_hash)`, and its key: the only answer that carries it."""
    key, key_hash = new_key()
    return JobCreated.model_validate({**make(key_hash).view(), "key": key})


def saved(job: Job) -> JobView:
    """The view once the change is stored; a refused write is a 507 (StorageError)."""
    job.wait_saved()
    return view(job)


@router.post("", status_code=201, responses=refusals(*BODY, 429))
def create(spec: JobSpec, jobs: JobManager = Depends(deps.manager)) -> JobCreated:
    """A new job and its key; it starts training unless `start` is "paused"."""
    return created(functools.partial(jobs.create, spec.to_job()))


@router.post("/{job_id}/fork", status_code=201, responses=refusals(404, 429))
def fork(job_id: str, jobs: JobManager = Depends(deps.manager)) -> JobCreated:
    """Your own copy of any job: its spec, its current weights as the initial ones, paused."""
    return created(functools.partial(jobs.fork, job_id))


@router.get("")
def list_jobs(jobs: JobManager = Depends(deps.manager)) -> list[JobView]:
    """Every job, oldest first."""
    return [view(job) for job in jobs.list()]


@router.get("/{job_id}", responses=refusals(404))
def read(job: Job = Depends(deps.job)) -> JobView:
    """One job's state."""
    return view(job)


@router.patch("/{job_id}", responses=refusals(*BODY, *OWNED, 409))
def configure(changes: JobChanges, job: Job = Depends(deps.owned_job)) -> JobView:
    """Change the speed and/or α of a job, running or not, without a reset."""
    job.configure(changes.model_dump(exclude_unset=True))
    return saved(job)


@router.delete("/{job_id}", status_code=204, responses=refusals(*OWNED))
def delete(
    job: Job = Depends(deps.owned_job), jobs: JobManager = Depends(deps.manager)
) -> Response:
    """Stop the job's thread and forget the job: 204, no body."""
    jobs.delete(job.id)
    return Response(status_code=204)


@router.post("/{job_id}/pause", responses=refusals(*OWNED, 409))
def pause(job: Job = Depends(deps.owned_job)) -> JobView:
    """running → paused (a paused job stays paused)."""
    job.pause()
    return saved(job)


@router.post("/{job_id}/resume", responses=refusals(*OWNED, 409, 429))
def resume(job: Job = Depends(deps.owned_job), jobs: JobManager = Depends(deps.manager)) -> JobView:
    """paused → running, within the limit on running jobs (429)."""
    return saved(jobs.resume(job.id))


@router.post("/{job_id}/stop", responses=refusals(*OWNED, 409))
def stop(job: Job = Depends(deps.owned_job)) -> JobView:
    """running or paused → stopped, for good; reset starts over."""
    job.stop()
    return saved(job)


@router.post("/{job_id}/reset", responses=refusals(*OWNED))
def reset(job: Job = Depends(deps.owned_job)) -> JobView:
    """Back to the initial weights, epoch 0 and an empty history, paused."""
    job.reset()
    return saved(job)


@router.post("/{job_id}/step", responses=refusals(*BODY, *OWNED, 409))
async def step(body: StepRequest, job: Job = Depends(deps.owned_job)) -> JobView:
    """On a paused job, run exactly so many iterations or epochs, then answer."""
    done = await run_in_threadpool(
        job.step, iterations=body.iterations or 0, epochs=body.epochs or 0
    )
    await asyncio.wrap_future(done)
    return await run_in_threadpool(saved, job)


@router.get(
    "/{job_id}/weights", response_model=NetworkWeights, responses=refusals(404) | binary.RESPONSES
)
def weights(encoding: Encoding = "json", job: Job = Depends(deps.job)) -> Response:
    """The current W^1..W^L: as JSON, cut to the first 64 neurons a layer when the network is
    wider; with `format=f32` or `f64` all of them, as little-endian floats (binary.py)."""
    arrays = job.weight_arrays()
    if encoding != "json":
        return binary.response({"layers": arrays}, binary.DTYPES[encoding])
    return ArrayJSONResponse(weights_message(arrays))


@router.patch("/{job_id}/weights", responses=refusals(*BODY, *OWNED, 409))
def edit_weight(body: WeightEdit, job: Job = Depends(deps.owned_job)) -> JobView:
    """Set one weight (column 0: the bias) of a paused job, as an event of its run: replay
    applies it where it was made. Answers the view, with the metrics of the new weights."""
    job.edit_weight(body.layer, body.row, body.column, body.value)
    return saved(job)


@router.get(
    "/{job_id}/history",
    response_model=LossHistory | ExactLosses,
    responses=refusals(404),
)
def history(
    first: int | None = Query(None, alias="from", ge=1, le=MAX_ITERATION),
    last: int | None = Query(None, alias="to", ge=1, le=MAX_ITERATION),
    job: Job = Depends(deps.job),
) -> ArrayJSONResponse:
    """The loss history in buckets; with `from` and `to`, the exact loss of each iteration
    in that range (at most 65,536), recomputed by replay."""
    if first is None and last is None:
        return ArrayJSONResponse(job.history.wire())
    if first is None or last is None:
        raise query_error("to" if last is None else "from", 'give both "from" and "to", or neither')
    if not first <= last < first + MAX_EXACT:
        raise query_error("to", f"to: from `from` to at most `from` + {MAX_EXACT - 1}")
    return ArrayJSONResponse({"from": first, "to": last, "loss": job.losses(first, last)})


@router.post("/{job_id}/predict", responses=refusals(*BODY, 404))
def predict(body: PredictRequest, job: Job = Depends(deps.job)) -> Prediction:
    """Outputs of the current weights for the given inputs."""
    try:
        return Prediction(outputs=job.predict(body.inputs))
    except ValueError as exc:  # the width does not match the input layer
        raise SpecError(("inputs",), str(exc)) from None


@router.get("/{job_id}/export", response_model=Export, responses=refusals(404))
def export(job: Job = Depends(deps.job)) -> ChunkedJSONResponse:
    """Download the model: spec, every weight in the article's form, history (a JSON file,
    sent as it is encoded)."""
    name = f'attachment; filename="backprop-playground-{job.id}.json"'
    return ChunkedJSONResponse(job.export(), headers={"Content-Disposition": name})


@router.get(
    "/{job_id}/trace", response_model=Frame, responses=refusals(404, 409) | binary.RESPONSES
)
def trace(
    iteration: int | None = Query(None, ge=1, le=MAX_ITERATION),
    encoding: Encoding = "json",
    job: Job = Depends(deps.job),
) -> Response:
    """Iteration N's full record (default: the last), exactly as it was trained: every
    layer's z, y, ∂ℓ/∂y, ∂ℓ/∂z and ∂ℓ/∂W; as JSON cut like a stream frame when the network
    is wide, or with `format=f32` or `f64` every array in full, as little-endian floats."""
    record = job.trace(iteration, complete=encoding != "json")
    if record is None:
        raise JobStateError("trace: no iteration has run yet; resume or step the job first")
    if encoding != "json":
        return binary.response(record, binary.DTYPES[encoding])
    return ArrayJSONResponse(record)
