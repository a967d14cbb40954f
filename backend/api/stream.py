"""WebSocket /api/jobs/{id}/stream: a job's snapshot, then its history, statuses and frames.

Described in docs/protocol.md ("WebSocket stream"); the message shapes are in messages.py.
"""

from __future__ import annotations

import asyncio
import functools

from fastapi import APIRouter, WebSocket

from backend.jobs.errors import JobNotFound
from backend.jobs.hub import Subscription
from backend.jobs.job import Job
from backend.jobs.manager import JobManager

from .messages import DEFAULT_FPS
from .snapshot import snapshot
from .viewer import GONE, Viewer, close_with_error

router = APIRouter(tags=["stream"])

CLOSE_NOT_FOUND = 4404
CLOSE_TOO_MANY = 4429


@router.websocket("/api/jobs/{job_id}/stream")
async def stream(websocket: WebSocket, job_id: str) -> None:
    """Stream one job to one viewer until either side closes."""
    await websocket.accept()
    jobs: JobManager = websocket.app.state.jobs
    try:
        job = jobs.get(job_id)
    except JobNotFound as exc:
        await close_with_error(websocket, str(exc.args[0]), CLOSE_NOT_FOUND)
        return
    crowded = _crowded(jobs, job)
    if crowded is not None:
        await close_with_error(websocket, crowded, CLOSE_TOO_MANY)
        return
    subscription = Subscription("full", DEFAULT_FPS)
    # Subscribed before the snapshot is taken, so that no status change falls between the two;
    # what arrives before the snapshot's moment is then dropped, as the snapshot is newer.
    job.hub.subscribe(subscription)
    loop = asyncio.get_running_loop()
    taken = functools.partial(loop.call_soon_threadsafe, _forget, subscription)
    try:
        text, cursor = await asyncio.to_thread(snapshot, job, taken)
        await websocket.send_text(text)
        await Viewer(websocket, subscription, cursor).serve()
    except GONE:
        pass
    finally:
        job.hub.unsubscribe(subscription)


def _forget(subscription: Subscription) -> None:
    """Drop the frame and statuses published before the snapshot (run on the loop, in order)."""
    subscription.frame = None
    subscription.history = subscription.frame_history = None
    subscription.statuses.clear()


def _crowded(jobs: JobManager, job: Job) -> str | None:
    """Why one more viewer is refused (a limit reached), or None."""
    limits = jobs.limits
    if len(job.hub.subscriptions) >= limits.max_viewers_per_job:
        return f"too many viewers: this job has {limits.max_viewers_per_job}"
    if jobs.viewers() >= limits.max_viewers:
        return f"too many viewers: the server has {limits.max_viewers}"
    return None
