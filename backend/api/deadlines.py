"""uvicorn's HTTP protocol with deadlines on how long a request may take to arrive.

uvicorn bounds only the idle time between two requests (``timeout_keep_alive``, and only after
a first response): a connection that sends nothing, or half a request head, or half a body, is
held open for ever. Here every connection is also given

* ``header_timeout`` seconds to deliver a complete request head, counted from when it opens and
  again from the end of each response (a new request is awaited);
* ``body_timeout`` seconds to deliver the request's body, counted from the end of its head.

Past a deadline the connection is answered 408 (when bytes of that request have arrived and no
response has begun) and closed. And at most ``max_waiting`` connections may be waiting for a
request to arrive at once: beyond that, the one that has waited longest is closed, so that a
flood of idle or half-sent connections cannot use up the process's file descriptors, and a
request that arrives whole (e.g. ``GET /api/health``) is still answered.
"""

from __future__ import annotations

import asyncio
from typing import Any, ClassVar

from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol

TIMEOUT_BODY = b"request timeout: the request did not arrive in time"
TIMEOUT_ANSWER = b"".join(
    [
        STATUS_LINE[408],
        b"content-type: text/plain; charset=utf-8\r\n",
        b"content-length: %d\r\n" % len(TIMEOUT_BODY),
        b"connection: close\r\n\r\n",
        TIMEOUT_BODY,
    ]
)


class DeadlineProtocol(HttpToolsProtocol):
    """HttpToolsProtocol that closes connections whose requests arrive too slowly."""

    header_timeout: ClassVar[float] = 10.0
    body_timeout: ClassVar[float] = 30.0
    max_waiting: ClassVar[int] = 10_000
    # Connections waiting for a request head or body, oldest first (a dict keeps the order).
    waiting: ClassVar[dict[DeadlineProtocol, None]] = {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline: asyncio.TimerHandle | None = None
        self.started = False  # bytes of the awaited request head have arrived
        self.upgraded = False  # a WebSocket's protocol has taken the connection over

    # ------------------------------------------------------------------ the protocol's events

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self.await_head()

    def connection_lost(self, exc: Exception | None) -> None:
        self.clear()
        super().connection_lost(exc)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self.started = True

    def on_headers_complete(self) -> None:
        self.clear()
        self.started = False
        upgrade = self.parser.should_upgrade() and self._should_upgrade()
        super().on_headers_complete()
        if not upgrade:  # a WebSocket has no body; its own protocol takes the connection over
            self.arm(self.body_timeout)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self.clear()
        if self.cycle is not None and self.cycle.response_complete and not self.pipeline:
            self.await_head()  # answered before its body ended: the next request is awaited

    def on_response_complete(self) -> None:
        super().on_response_complete()
        # uvicorn arms its keep-alive timer when it waits for the next request (none is
        # pipelined and the connection stays open); the next head is bounded from now on.
        if self.timeout_keep_alive_task is not None and self.deadline is None:
            self.await_head()

    def handle_websocket_upgrade(self) -> None:
        self.clear()
        self.upgraded = True
        super().handle_websocket_upgrade()

    # ------------------------------------------------------------------ deadlines

    def await_head(self) -> None:
        """Wait at most header_timeout for a request head, and make room among the waiting."""
        waiting = type(self).waiting
        while len(waiting) >= self.max_waiting:
            oldest = next(iter(waiting))
            oldest.expire()
        self.arm(self.header_timeout)

    def arm(self, seconds: float) -> None:
        """Expire the connection in `seconds` unless cleared first."""
        self.clear()
        if self.upgraded or self.transport.is_closing():
            return
        self.deadline = self.loop.call_later(seconds, self.expire)
        type(self).waiting[self] = None

    def clear(self) -> None:
        """Cancel the deadline (the awaited part of the request arrived, or the connection went)."""
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None
        type(self).waiting.pop(self, None)

    def expire(self) -> None:
        """The request did not arrive in time: a 408 if one is owed, then close."""
        self.clear()
        if self.transport.is_closing():
            return
        cycle = self.cycle
        answering = cycle is not None and not cycle.response_complete
        if answering and not cycle.response_started:
            # The application waits for the body: it is told the client went, as if the
            # connection were lost, so that it sends nothing after the 408.
            cycle.disconnected = True
            cycle.message_event.set()
            self.transport.write(TIMEOUT_ANSWER)
        elif not answering and self.started:
            self.transport.write(TIMEOUT_ANSWER)
        self.transport.close()


def deadline_protocol(head: float, body: float, most: int) -> type[DeadlineProtocol]:
    """A DeadlineProtocol class with these bounds and its own record of waiting connections."""
    if head <= 0 or body <= 0 or most < 1:
        raise ValueError("the timeouts must be positive and max_waiting at least 1")

    class Bounded(DeadlineProtocol):
        header_timeout = head
        body_timeout = body
        max_waiting = most
        waiting: ClassVar[dict[DeadlineProtocol, None]] = {}

    return Bounded
