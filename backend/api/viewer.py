"""One WebSocket watching one job: history, statuses and paced frames out, requests in."""

from __future__ import annotations

import asyncio
import contextlib
import logging

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketDisconnected

from backend.jobs.hub import HistoryState, Subscription

from .history_cursor import HistoryCursor
from .messages import ConfigureMessage, ErrorMessage, PingMessage, PongMessage, parse_client

log = logging.getLogger(__name__)

GONE = (WebSocketDisconnect, WebSocketDisconnected)  # the connection ended under us
CLOSE_JOB_DELETED = 4410
CLOSE_INTERNAL_ERROR = 1011
EARLY = 0.5  # a frame may go this fraction of a period before its slot (delivery jitter)
PONG = PongMessage().model_dump_json()


async def close_with_error(websocket: WebSocket, message: str, code: int) -> None:
    """Send an `error` message, then close with `code`; quietly if the viewer has gone."""
    with contextlib.suppress(*GONE):
        await websocket.send_text(ErrorMessage(message=message).model_dump_json())
        await websocket.close(code)


class Viewer:
    """Serves one subscribed connection: a paced sender task beside a receive loop."""

    def __init__(
        self, websocket: WebSocket, subscription: Subscription, cursor: HistoryCursor
    ) -> None:
        self.websocket, self.sub, self.cursor = websocket, subscription, cursor
        self.loop = asyncio.get_running_loop()
        self.slot = 0.0  # loop time of the next frame's slot; slots are 1/fps apart

    @property
    def due(self) -> float:
        """Loop time from which the next frame may go: a little before its slot."""
        return self.slot - EARLY / self.sub.fps

    async def serve(self) -> None:
        """Run both directions until either ends: a disconnect or the job's deletion."""
        tasks = [asyncio.create_task(self._send_loop()), asyncio.create_task(self._receive_loop())]
        try:
            await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in tasks:
                task.cancel()
            results = await asyncio.gather(*tasks, return_exceptions=True)
        failures = [r for r in results if isinstance(r, Exception) and not isinstance(r, GONE)]
        if failures:
            log.error("stream failed", exc_info=failures[0])
            await close_with_error(self.websocket, "internal error", CLOSE_INTERNAL_ERROR)

    # ---------------------------------------------------------------- server → viewer

    async def _send_loop(self) -> None:
        """Statuses as they come; frames at most fps a second, each after its history chunk."""
        sub = self.sub
        while True:
            await self._wait()
            if sub.closed:
                await close_with_error(self.websocket, "the job was deleted", CLOSE_JOB_DELETED)
                return
            if sub.statuses:
                # A waiting frame goes first, so a status (a reset, a stop) has the last word.
                await self._send_frame()
                await self._send_statuses()
            elif sub.frame is not None and self.loop.time() >= self.due:
                await self._send_frame()

    async def _wait(self) -> None:
        """Until the hub wakes this viewer or, with a frame waiting, until that frame is due."""
        wake = self.sub.wake
        if self.sub.frame is None:
            await wake.wait()
        elif (left := self.due - self.loop.time()) > 0:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(left):
                    await wake.wait()
        wake.clear()  # what woke it is read after this, so nothing is missed

    async def _send_frame(self) -> None:
        """The newest frame (older ones were dropped), after the losses that led to it."""
        # The frame and the history it was published with are taken together: a status (a
        # reset) delivered while this one is being sent must not put its chunk before it.
        frame, history, self.sub.frame = self.sub.frame, self.sub.frame_history, None
        if frame is None:
            return
        # The next slot is 1/fps after this one, or after now if this frame was late: at most
        # fps frames a second in the long run, and no burst to make up for a slow spell.
        self.slot = max(self.slot, self.loop.time()) + 1.0 / self.sub.fps
        await self._send_history(history)
        await self.websocket.send_text(frame)

    async def _send_statuses(self) -> None:
        """Every status message in order, after the losses so far (a stop ends the history)."""
        await self._send_history(self.sub.history)
        while self.sub.statuses:
            await self.websocket.send_text(self.sub.statuses.popleft())

    async def _send_history(self, history: HistoryState | None) -> None:
        chunk = self.cursor.chunk(history)
        if chunk is not None:
            await self.websocket.send_text(chunk)

    # ---------------------------------------------------------------- viewer → server

    async def _receive_loop(self) -> None:
        """Answer the viewer until it disconnects; a bad message gets an error, not a close."""
        while True:
            message = await self.websocket.receive()
            if message["type"] == "websocket.disconnect":
                return
            text = message.get("text")
            if text is None:
                await self._send_error("binary messages are not accepted: send JSON text")
                continue
            try:
                request = parse_client(text)
            except ValueError as exc:
                await self._send_error(str(exc))
                continue
            await self._apply(request)

    async def _apply(self, request: ConfigureMessage | PingMessage) -> None:
        if isinstance(request, PingMessage):
            await self.websocket.send_text(PONG)
            return
        if request.fps is not None:
            self.sub.fps = request.fps
        if request.detail is not None:
            self.sub.detail = request.detail
        self.sub.wake.set()  # the sender re-reads when the next frame is due

    async def _send_error(self, message: str) -> None:
        await self.websocket.send_text(ErrorMessage(message=message).model_dump_json())
