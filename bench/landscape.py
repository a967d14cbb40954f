"""The loss landscape's latency: ``GET /api/jobs/{id}/landscape`` over HTTP and in-process.

Three networks (the article's 3-5-2 on its six rows, 2-8-2 on 200 rows of ``circle``,
2-64-64-2 on 1,000 rows of ``circle``) are each created as a paused job on ``python -m backend``
(a child process on 127.0.0.1 with a fresh SQLite file, bench/_runs_server.py) and stepped,
so that the path has keyframes; the same spec is built and stepped in this process as a
``Job``. For each network, two pairs of parameters (the last layer's, which the page shows
first, and two first-layer weights, the dearest) and grids of 41 and 101:

- HTTP: the whole answer as a client gets it, over one keep-alive connection;
- in-process: ``Job.landscape()`` (what the route calls), then the route's JSON encoding.

Cases are interleaved: every round runs them all in a new shuffled order, HTTP and in-process
in turn; a case of more than 10^8 values (2-64-64-2's first-layer pair, seconds a call) runs
in the first three rounds only. Results are printed as markdown and written to
docs/benchmarks.md between this benchmark's markers.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from backend.api.responses import ArrayJSONResponse
from backend.api.schemas.spec import JobSpec as SpecModel
from backend.jobs.hub import Hub
from backend.jobs.job import Job
from backend.jobs.landscape import Parameter, work
from backend.jobs.limits import Limits
from backend.jobs.spec import JobSpec
from backend.jobs.workers import Workers
from bench._landscape_report import EXPENSIVE_ROUNDS, EXPENSIVE_WORK, Case, Timings, report
from bench._runs_server import Server, serve
from bench.report import write_section
from bench.runs import describe

REPO = Path(__file__).resolve().parent.parent
GRIDS, SPAN = (41, 101), 1.0
ROUNDS = 5
BURST_SECONDS, BURST_MOST = 0.3, 20  # calls of one case in a round: for about so long, ≤ so many
HTTP_TIMEOUT = 120.0


@dataclass(frozen=True, slots=True)
class Net:
    """A network to take landscapes of: its name, its job spec and how far it is stepped."""

    name: str
    spec: dict[str, Any]
    iterations: int


def net_spec(layers: list[int], batch: int, epochs: int, data: dict[str, Any]) -> dict[str, Any]:
    """A paused job: sigmoid, ½ Σ (y − t)², α 0.5, consecutive minibatches, seed 0."""
    training = {"mode": "minibatch", "batch_size": batch, "learning_rate": 0.5, "epochs": epochs}
    return {"network": {"layers": layers}, "training": training, "dataset": data, "start": "paused"}


ARTICLE = {"name": "article"}
CIRCLE_200 = {"name": "circle", "samples": 200, "test_fraction": 0.0}
CIRCLE_1000 = {"name": "circle", "samples": 1000, "test_fraction": 0.0}
NETS = [
    Net("3-5-2, the article's 6 rows", net_spec([3, 5, 2], 2, 100_000, ARTICLE), 20_000),
    Net("2-8-2, circle, 200 rows", net_spec([2, 8, 2], 10, 10_000, CIRCLE_200), 20_000),
    Net("2-64-64-2, circle, 1,000 rows", net_spec([2, 64, 64, 2], 10, 1_000, CIRCLE_1000), 2_000),
]


def pairs(layers: list[int]) -> list[tuple[str, str, str]]:
    """(name, a, b): the last layer's w₁,₁ and w₁,₂ (the page's first pair), then W^1's w₁,₁
    and w₂,₁ (two neurons of the first layer: every layer after it is recomputed)."""
    last = len(layers) - 2
    return [("W^L", f"{last},0,1", f"{last},0,2"), ("W^1", "0,0,1", "0,1,1")]


def parameter(text: str) -> Parameter:
    layer, row, column = (int(part) for part in text.split(","))
    return Parameter(layer, row, column)


def cases_of(net: Net, rows: int) -> list[Case]:
    layers: list[int] = net.spec["network"]["layers"]
    out = []
    for pair, a, b in pairs(layers):
        first = min(parameter(a).layer, parameter(b).layer)
        for grid in GRIDS:
            out.append(Case(net.name, pair, a, b, grid, work(layers, first, grid, rows)))
    return out


def local_job(spec: dict[str, Any], iterations: int, loop: asyncio.AbstractEventLoop) -> Job:
    """The spec as the API would take it, as a paused Job in this process, stepped so far."""
    workers = Workers(0)  # no threads: run_ready() runs the job here
    normal = JobSpec.from_dict(SpecModel.model_validate(spec).model_dump())
    job = Job("local", normal, Hub(loop), Limits(), workers, engine="numpy")
    done = job.step(iterations=iterations)
    while not done.done():
        workers.run_ready()
    if job.trainer.iteration != iterations:
        raise RuntimeError(f"the local job stopped at {job.trainer.iteration}: {job.message}")
    return job


def call_http(server: Server, job_id: str, case: Case, t: Timings) -> None:
    query = f"a={case.a}&b={case.b}&span={SPAN:g}&grid={case.grid}"
    url = server.url(f"/api/jobs/{job_id}/landscape?{query}")
    began = time.perf_counter()
    answer = server.http.get(url, timeout=HTTP_TIMEOUT)
    body = answer.content
    t.http.append(time.perf_counter() - began)
    if answer.status_code != 200:
        raise RuntimeError(f"{case}: {answer.status_code} {body[:300]!r}")
    t.http_bytes = len(body)


def call_local(job: Job, case: Case, t: Timings) -> None:
    began = time.perf_counter()
    answer = job.landscape(parameter(case.a), parameter(case.b), SPAN, case.grid)
    computed = time.perf_counter()
    body = ArrayJSONResponse(answer).body
    t.compute.append(computed - began)
    t.encode.append(time.perf_counter() - computed)
    t.local_bytes, t.path_points = len(body), len(answer["path"])


def burst(call: Callable[[], None]) -> None:
    """`call` once, then again while the round's BURST_SECONDS for it last (≤ BURST_MOST)."""
    end = time.perf_counter() + BURST_SECONDS
    for _ in range(BURST_MOST):
        call()
        if time.perf_counter() >= end:
            break


def prepare(server: Server, loop: asyncio.AbstractEventLoop) -> list[tuple[Case, str, Job]]:
    """Each network as a server job and a local job; every case with both."""
    most = int(server.get("/api/options")["limits"]["max_step_iterations"])
    out = []
    for net in NETS:
        print(f"  {net.name}: {net.iterations:,} iterations…", flush=True)
        job_id = server.create(net.spec)["id"]
        server.step_to(job_id, net.iterations, most)
        job = local_job(net.spec, net.iterations, loop)
        out += [(case, job_id, job) for case in cases_of(net, len(job.dataset.inputs))]
    return out


def measure(server: Server, rounds: int) -> tuple[list[Case], dict[Case, Timings]]:
    loop = asyncio.new_event_loop()  # never run: a hub without viewers publishes nothing
    try:
        plan = prepare(server, loop)
        results = {case: Timings() for case, _, _ in plan}
        for case, job_id, job in plan:  # first-use costs, not counted (paid by cheaper cases)
            if case.work > EXPENSIVE_WORK:
                continue
            call_http(server, job_id, case, Timings())
            call_local(job, case, Timings())
        rng = random.Random(0)
        for number in range(rounds):
            print(f"  round {number + 1}/{rounds}…", flush=True)
            order = rng.sample(plan, len(plan))
            for case, job_id, job in order:
                if case.work > EXPENSIVE_WORK and number >= EXPENSIVE_ROUNDS:
                    continue
                t = results[case]
                runs = [
                    partial(call_http, server, job_id, case, t),
                    partial(call_local, job, case, t),
                ]
                for run in runs if number % 2 == 0 else runs[::-1]:
                    burst(run)
    finally:
        loop.close()
    return [case for case, _, _ in plan], results


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.landscape", description=__doc__)
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="rounds of every case")
    parser.add_argument("--no-docs", action="store_true", help="print only")
    args = parser.parse_args([] if argv is None else argv)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3])
    commit = describe(REPO, None).commit
    commit = commit if len(commit) <= 80 else commit[:79] + "…"
    with serve(REPO) as server:
        cases, results = measure(server, args.rounds)
    section = report(cases, results, load, args.rounds, commit)
    print(section, flush=True)
    if not args.no_docs:
        write_section("landscape", section)


if __name__ == "__main__":
    main(sys.argv[1:])
