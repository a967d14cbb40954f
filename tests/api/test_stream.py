"""WebSocket /api/jobs/{id}/stream, against a real uvicorn server on 127.0.0.1.

No verdict depends on how fast the machine is: tests wait for events (each within a generous
timeout) and check counts, orderings and states. The one bound on time is an upper bound on
a paced rate (frames at most fps a second), which a busy machine can only lower. What viewers
cost in throughput is measured in bench/stream.py and bench/stalled.py.
"""

from __future__ import annotations

import contextlib
import json
import math
import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from backend.api import snapshot as snapshot_module
from backend.api.history_cursor import COLUMNS
from backend.api.messages import (
    ErrorMessage,
    FrameMessage,
    HistoryMessage,
    SnapshotMessage,
    StatusMessage,
)
from backend.api.schemas.wire import LossHistory
from backend.jobs.frame import encode
from backend.jobs.job import Job
from backend.jobs.limits import Limits
from backend.jobs.spec import JobSpec
from tests.server import LiveServer, live_server

WAIT = 10.0  # the longest any one expected message may take on a loaded machine
STALLED_RCVBUF = 64 * 1024  # bytes: a stalled viewer's receive buffer (the kernel doubles it)
Message = dict[str, Any]


def make_spec(
    layers: tuple[int, ...] = (3, 5, 2),
    *,
    dataset: str = "article",
    epochs: int = 10**8,
    batch_size: int = 2,
    test_fraction: float = 0.0,
    speed: float | None = None,
) -> JobSpec:
    """A complete job spec, paused; the article's 3-5-2 network and data by default."""
    return JobSpec.from_dict(
        {
            "network": {
                "layers": list(layers),
                "activation": "sigmoid",
                "output_activation": "sigmoid",
                "weights": None,
            },
            "training": {
                "loss": "half_sse",
                "mode": "minibatch",
                "batch_size": batch_size,
                "learning_rate": 0.5,
                "epochs": epochs,
                "tolerance": 0.0,
                "shuffle": False,
                "seed": 0,
            },
            "dataset": {
                "name": dataset,
                "samples": 200,
                "noise": 0.0,
                "test_fraction": test_fraction,
                "features": None,
            },
            "start": "paused",
            "speed": speed,
        }
    )


@pytest.fixture
def server() -> Iterator[LiveServer]:
    with live_server() as live:
        yield live


def watch(server: LiveServer, job_id: str) -> ClientConnection:
    """A viewer of the job; its first message is still unread."""
    return connect(
        server.ws_url(f"/api/jobs/{job_id}/stream"),
        open_timeout=WAIT,
        max_size=None,
        compression=None,
        close_timeout=2,  # a client that stopped reading cannot see the server's close frame
    )


def receive(ws: ClientConnection, timeout: float = WAIT) -> Message:
    message: Message = json.loads(ws.recv(timeout=timeout))
    return message


def until(
    ws: ClientConnection, wanted: Callable[[Message], bool], timeout: float = WAIT
) -> list[Message]:
    """Every message up to and including the first one that is `wanted`."""
    deadline = time.monotonic() + timeout
    seen: list[Message] = []
    while not seen or not wanted(seen[-1]):
        left = deadline - time.monotonic()
        if left <= 0:
            got = [m["type"] for m in seen]
            raise AssertionError(f"not received within {timeout} s; got {got}")
        seen.append(receive(ws, left))
    return seen


def status_is(status: str) -> Callable[[Message], bool]:
    return lambda m: m["type"] == "status" and m["job"]["status"] == status


def is_frame(message: Message) -> bool:
    return bool(message["type"] == "frame")


def sync(ws: ClientConnection) -> list[Message]:
    """Ping and wait for the pong: every message sent before it has been handled."""
    ws.send(json.dumps({"type": "ping"}))
    return until(ws, lambda m: m["type"] == "pong")


def stalled(server: LiveServer, job_id: str) -> ClientConnection:
    """A viewer that reads nothing until told to: a small receive buffer, one message queued."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, STALLED_RCVBUF)  # before connecting
    sock.settimeout(WAIT)
    sock.connect(("127.0.0.1", server.port))
    return connect(
        server.ws_url(f"/api/jobs/{job_id}/stream"),
        sock=sock,
        open_timeout=WAIT,
        max_size=None,
        max_queue=1,  # the client's reader stops taking from the socket past one message
        compression=None,
        close_timeout=2,
    )


def in_flight(slow: ClientConnection, frame_bytes: int) -> int:
    """The most frames the path to a stalled viewer can hold: the server socket's send buffer
    (its autotuning stops at tcp_wmem's maximum), the client's receive buffer, and a few more
    in the server's and the client's own buffers and queues."""
    try:
        send_max = int(Path("/proc/sys/net/ipv4/tcp_wmem").read_text().split()[2])
    except (OSError, IndexError, ValueError):
        send_max = 4 * 1024 * 1024  # Linux's default
    receive = slow.socket.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF)
    return (send_max + receive) // frame_bytes + 8


class Collector:
    """Reads a viewer's messages on a thread, each with the time it arrived, until it closes."""

    def __init__(self, ws: ClientConnection) -> None:
        self.ws = ws
        self.messages: list[tuple[float, Message]] = []
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        try:
            for text in self.ws:
                message = json.loads(text)
                message["bytes"] = len(text)  # not part of the protocol: the size as received
                self.messages.append((time.monotonic(), message))
        except ConnectionClosed:
            pass

    def frames(self, since: float = 0.0, until: float = math.inf) -> list[Message]:
        return [m for t, m in list(self.messages) if m["type"] == "frame" and since <= t < until]


def wire(job: Job) -> dict[str, Any]:
    """The job's history as JSON gives it (NaN as null)."""
    encoded: dict[str, Any] = json.loads(encode(job.history.wire()))
    return encoded


def receive_history(messages: list[Message]) -> dict[str, Any]:
    """What a page holds after applying each `history` message as the protocol says."""
    page: dict[str, Any] = {c: [] for c in (*COLUMNS, "test", "metrics")}
    for m in messages:
        if m["type"] != "history":
            continue
        HistoryMessage.model_validate(m)
        for column in COLUMNS:
            page[column] = page[column][: m["start"]] + m[column]
        page["test"] = page["test"][: m["test_start"]] + m["test"]
        page["metrics"] = page["metrics"][: m["test_start"]] + m["metrics"]
        page["width"], page["iterations"] = m["width"], m["iterations"]
    return page


# ---------------------------------------------------------------- snapshot


def test_snapshot_comes_first_with_the_job_weights_data_and_empty_history(
    server: LiveServer,
) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        message = receive(ws)
    assert message["type"] == "snapshot"
    snap = SnapshotMessage.model_validate(message)
    assert snap.job["id"] == job.id and snap.job["status"] == "paused"
    assert [(len(w), len(w[0])) for w in snap.weights] == [(5, 4), (2, 6)]
    assert snap.weights == job.weights()
    data = snap.dataset
    assert (data.name, data.kind, data.rows, data.test_rows) == ("article", "regression", 6, 0)
    assert data.feature_names == ["x1", "x2", "x3"] and data.target_names == ["y1", "y2"]
    assert data.points and data.inputs == job.dataset.inputs.tolist()
    assert data.targets == job.dataset.targets.tolist() and data.test_inputs == []
    history = snap.history
    assert (history.iterations, history.start, history.mean, history.test) == (0, 0, [], [])
    assert snap.trace is None


def test_snapshot_after_steps_has_the_history_and_last_trace(server: LiveServer) -> None:
    job = server.jobs.create(make_spec((2, 4, 1), dataset="xor", epochs=1000, test_fraction=0.5))
    job.step(iterations=60).result(timeout=WAIT)  # 50 iterations an epoch: one test loss
    with watch(server, job.id) as ws:
        snap = SnapshotMessage.model_validate(receive(ws))
    assert snap.history.model_dump() == LossHistory.model_validate(job.history.wire()).model_dump()
    assert snap.history.iterations == len(snap.history.first) == 60
    assert [i for i, _ in snap.history.test] == [50]
    assert snap.trace is not None and snap.trace.iteration == 60
    assert snap.trace.layers is not None and len(snap.trace.layers) == 2
    assert snap.dataset.rows == snap.dataset.test_rows == 100


def test_snapshot_leaves_out_points_above_the_limit(
    server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot_module, "MAX_POINTS", 30)  # the article has 6 × 5 = 30 values
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        assert receive(ws)["dataset"]["points"] is True
    monkeypatch.setattr(snapshot_module, "MAX_POINTS", 29)
    with watch(server, job.id) as ws:
        dataset = receive(ws)["dataset"]
    assert dataset["points"] is False and dataset["rows"] == 6
    assert not {"inputs", "targets", "test_inputs", "test_targets"} & dataset.keys()


def test_a_viewer_joining_a_running_job_goes_on_from_its_snapshot(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    server.jobs.resume(job.id)
    for _ in range(5):  # joining at different moments of the job's publishing
        with watch(server, job.id) as ws:
            snap = SnapshotMessage.model_validate(receive(ws))
            seen = until(ws, is_frame)
        assert snap.trace is not None
        assert seen[-1]["iteration"] > snap.trace.iteration  # nothing older than the snapshot
        chunk = next(m for m in seen if m["type"] == "history")
        assert snap.history.iterations == snap.trace.iteration
        assert not chunk["reset"] and chunk["iterations"] > snap.history.iterations
        sent = (len(snap.history.mean) - 1, len(snap.history.metrics))
        if (chunk["start"], chunk["test_start"]) != sent:  # not its last bucket and new ones:
            # everything again, only after a merge (twice the width) or a thinning of points
            assert (chunk["start"], chunk["test_start"]) == (0, 0)
            dropped = {p[0] for p in snap.history.metrics} - {p[0] for p in chunk["metrics"]}
            assert chunk["width"] > snap.history.width or dropped
        time.sleep(0.05)
    job.stop()


# ---------------------------------------------------------------- frames and history


def test_full_frames_carry_every_layer_array_with_increasing_iterations(
    server: LiveServer,
) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        receive(ws)
        server.jobs.resume(job.id)
        frames = [FrameMessage.model_validate(m) for m in _frames(ws, 5)]
    job.stop()
    iterations = [f.iteration for f in frames]
    assert iterations == sorted(set(iterations))
    for f in frames:
        assert f.inputs is not None and _shape(f.inputs) == (3, 2)
        assert f.targets is not None and _shape(f.targets) == (2, 2)
        assert f.layers is not None and len(f.layers) == 2
        for layer, n, fan_in in zip(f.layers, (5, 2), (3, 5), strict=True):
            assert {_shape(a) for a in (layer.z, layer.y, layer.dy, layer.dz)} == {(n, 2)}
            assert _shape(layer.grad) == (n, 1 + fan_in)


def test_configure_summary_and_fps_change_the_frames(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        receive(ws)
        server.jobs.resume(job.id)
        assert "layers" in _frames(ws, 1)[0]
        (sub,) = job.hub.subscriptions
        assert (sub.fps, sub.detail) == (30.0, "full")
        ws.send(json.dumps({"type": "configure", "fps": 2, "detail": "summary"}))
        sync(ws)
        assert (sub.fps, sub.detail) == (2, "summary")  # applied before the pong
        _frames(ws, 1)  # one full frame may have been waiting
        began = time.monotonic()
        frames = [m for m in _read_for(ws, 3.0) if is_frame(m)]
        elapsed = time.monotonic() - began
    job.stop()
    assert frames and all("layers" not in f and "inputs" not in f for f in frames)
    assert all("weights" in f and "loss" in f for f in frames)
    # At most 2 a second (and half a period early at most): a busy machine only sends fewer.
    assert len(frames) <= 2 * elapsed + 2


@pytest.mark.timeout(240)
def test_history_chunks_add_up_to_the_whole_loss_history_at_1_fps(server: LiveServer) -> None:
    job = server.jobs.create(make_spec((2, 4, 1), dataset="xor", epochs=800, test_fraction=0.5))
    with watch(server, job.id) as ws:
        receive(ws)
        ws.send(json.dumps({"type": "configure", "fps": 1}))
        sync(ws)
        began = time.monotonic()
        server.jobs.resume(job.id)
        messages = until(ws, status_is("finished"), timeout=20 * WAIT)  # 40,000 iterations
        elapsed = time.monotonic() - began
    page = receive_history(messages)
    assert page["iterations"] == job.trainer.iteration == 800 * 50  # 100 rows, batches of 2
    assert page == {k: v for k, v in wire(job).items() if k not in ("start", "test_start")}
    frames = sum(1 for m in messages if is_frame(m))
    # Few frames, yet the whole history: at most 1 a second, and one ahead of each status.
    assert 1 <= frames <= elapsed + 4


def test_status_messages_on_resume_pause_reset_and_stop(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        receive(ws)
        server.jobs.resume(job.id)
        until(ws, status_is("running"))
        _frames(ws, 2)
        job.pause()
        paused = until(ws, status_is("paused"))[-1]
        StatusMessage.model_validate(paused)
        assert paused["job"]["iteration"] > 0
        job.reset()
        seen = until(ws, lambda m: status_is("paused")(m) and m["job"]["iteration"] == 0)
        resets = [i for i, m in enumerate(seen) if m["type"] == "history" and m.get("reset")]
        assert resets and resets[0] < len(seen) - 1  # the chart is cleared before the status
        assert seen[resets[0]]["start"] == 0
        server.jobs.resume(job.id)
        until(ws, status_is("running"))
        frame = _frames(ws, 1)[0]
        job.stop()
        until(ws, status_is("stopped"))
    assert 0 < frame["iteration"] <= job.trainer.iteration


def test_history_after_a_reset_restarts_at_zero(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        receive(ws)
        job.step(iterations=50).result(timeout=WAIT)
        until(ws, lambda m: is_frame(m) and m["iteration"] == 50)
        job.reset()
        job.step(iterations=80).result(timeout=WAIT)  # past the viewer's old index
        seen = until(ws, lambda m: is_frame(m) and m["iteration"] == 80)
    chunks = [m for m in seen if m["type"] == "history"]
    after = chunks[[bool(c.get("reset")) for c in chunks].index(True) :]
    assert after[0]["start"] == 0
    page = receive_history(after)
    assert page == {k: v for k, v in wire(job).items() if k not in ("start", "test_start")}
    assert page["iterations"] == 80


# ---------------------------------------------------------------- pacing and isolation


def test_a_stalled_viewer_stops_neither_training_nor_the_other_viewer(server: LiveServer) -> None:
    # Frames of ~0.2 MB: a viewer that stops reading fills the socket buffers within a few
    # frames, and from then on its sender waits while newer frames replace the one it holds.
    job = server.jobs.create(make_spec((3, 64, 64, 2), batch_size=6))
    with watch(server, job.id) as ws:
        fast = Collector(ws)
        server.jobs.resume(job.id)
        _wait_for(lambda: len(fast.frames()) >= 3)
        frame_bytes = min(f["bytes"] for f in fast.frames())
        with stalled(server, job.id) as slow:  # connected, then not read
            _wait_for(lambda: len(job.hub.subscriptions) == 2)
            bound = in_flight(slow, frame_bytes)
            seen, began = len(fast.frames()), job.trainer.iteration
            # Twice as many frames as the way to the stalled viewer can hold: the other
            # viewer gets them all while the stalled one takes none.
            _wait_for(lambda: len(fast.frames()) >= seen + 2 * bound, timeout=6 * WAIT)
            live = job.trainer.iteration
            assert live > began and job.status == "running"  # training went on
            caught_up = until(slow, lambda m: is_frame(m) and m["iteration"] >= live)
    job.stop()
    # Latest frame wins: what the stalled viewer gets from before it read again is what was
    # in flight, however many frames it missed; no backlog was kept for it.
    stale = [m["iteration"] for m in caught_up if is_frame(m) and m["iteration"] < live]
    assert len(stale) <= bound
    assert stale == sorted(set(stale))


def test_a_viewer_leaving_leaves_the_job_and_other_viewers_going(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        stay = Collector(ws)
        with watch(server, job.id) as leave:
            receive(leave)
            server.jobs.resume(job.id)
            _frames(leave, 3)
        left_at, iteration = time.monotonic(), job.trainer.iteration
        _wait_for(lambda: len(job.hub.subscriptions) == 1)
        _wait_for(lambda: len(stay.frames(left_at + 0.5)) >= 3)
        assert job.status == "running" and job.trainer.iteration > iteration
        later = stay.frames(left_at)
        assert [f["iteration"] for f in later] == sorted(f["iteration"] for f in later)
    job.stop()
    _wait_for(lambda: len(job.hub.subscriptions) == 0)


def test_health_answers_while_four_jobs_train_and_stream(server: LiveServer) -> None:
    # How fast it answers under load is measured in bench/load.py (p99 with 20 jobs).
    jobs = [server.jobs.create(make_spec((3, 16, 16, 2))) for _ in range(4)]
    with contextlib.ExitStack() as stack:
        viewers = [Collector(stack.enter_context(watch(server, job.id))) for job in jobs]
        for job in jobs:
            server.jobs.resume(job.id)
        started = [job.trainer.iteration for job in jobs]
        with httpx.Client(timeout=WAIT) as client:
            for _ in range(10):
                assert client.get(server.url("/api/health")).status_code == 200
        _wait_for(lambda: all(j.trainer.iteration > i for j, i in zip(jobs, started, strict=True)))
        _wait_for(lambda: all(v.frames() for v in viewers))


# ---------------------------------------------------------------- client messages and refusals


@pytest.mark.parametrize(
    ("sent", "says"),
    [
        ("{not json", "Invalid JSON"),
        (b"\x00\x01binary", "binary"),
        ("x" * 5000, "too long"),
        (json.dumps({"type": "ping", "pad": "x" * 4100}), "too long"),
        (json.dumps({"type": "dance"}), "dance"),
        (json.dumps({"fps": 10}), "type"),
        (json.dumps([1, 2]), "object"),
        (json.dumps({"type": "configure", "fps": 0}), "fps"),
        (json.dumps({"type": "configure", "fps": 121}), "fps"),
        (json.dumps({"type": "configure", "fps": "30"}), "fps"),
        (json.dumps({"type": "configure", "detail": "everything"}), "detail"),
        (json.dumps({"type": "configure", "colour": "red"}), "colour"),
    ],
)
def test_a_bad_client_message_gets_an_error_and_the_stream_stays_up(
    server: LiveServer, sent: str | bytes, says: str
) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        receive(ws)
        ws.send(sent)
        error = ErrorMessage.model_validate(receive(ws))
        assert says in error.message
        assert sync(ws) == [{"type": "pong"}]
        job.step(iterations=3).result(timeout=WAIT)
        until(ws, lambda m: is_frame(m) and m["iteration"] == 3)


def test_unknown_job_gets_an_error_and_close_4404(server: LiveServer) -> None:
    with watch(server, "no-such-job") as ws:
        assert receive(ws) == {"type": "error", "message": "no job with id 'no-such-job'"}
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4404


@pytest.mark.parametrize(
    "limits", [Limits(max_viewers_per_job=2), Limits(max_viewers=2)], ids=["per-job", "server"]
)
def test_too_many_viewers_get_an_error_and_close_4429(server: LiveServer, limits: Limits) -> None:
    server.jobs.limits = limits
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as one, watch(server, job.id) as two:
        assert receive(one)["type"] == receive(two)["type"] == "snapshot"
        with watch(server, job.id) as three:
            assert "too many viewers" in ErrorMessage.model_validate(receive(three)).message
            with pytest.raises(ConnectionClosed) as closed:
                three.recv(timeout=WAIT)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429


def test_deleting_the_job_closes_its_streams_with_4410(server: LiveServer) -> None:
    job = server.jobs.create(make_spec())
    with watch(server, job.id) as ws:
        receive(ws)
        server.jobs.resume(job.id)
        _frames(ws, 1)
        server.jobs.delete(job.id)
        error = until(ws, lambda m: m["type"] == "error")[-1]
        assert "deleted" in error["message"]
        with pytest.raises(ConnectionClosed) as closed:
            until(ws, lambda m: False)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4410
    _wait_for(lambda: not job.hub.subscriptions)


# ---------------------------------------------------------------- helpers


def _frames(ws: ClientConnection, count: int) -> list[Message]:
    frames: list[Message] = []
    while len(frames) < count:
        frames.append(until(ws, is_frame)[-1])
    return frames


def _read_for(ws: ClientConnection, seconds: float) -> list[Message]:
    deadline = time.monotonic() + seconds
    seen: list[Message] = []
    while (left := deadline - time.monotonic()) > 0:
        try:
            seen.append(receive(ws, left))
        except TimeoutError:
            break
    return seen


def _shape(matrix: list[list[Any]]) -> tuple[int, int]:
    assert len({len(row) for row in matrix}) == 1
    return len(matrix), len(matrix[0])


def _wait_for(condition: Callable[[], bool], timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        time.sleep(0.02)
