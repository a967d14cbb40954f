"""Fuzzing every REST operation of the OpenAPI schema with Schemathesis, in-process (ASGI).

Each operation gets a bounded, derandomized run: valid and invalid requests built from the
schema, checked for no 5xx, a documented status code, content type and headers, and a body
that matches the documented schema. Schemathesis's check that every schema-valid request is
accepted is left out: a spec can be schema-valid and still not fit its data set (the layers'
sizes against the data's columns), which the engine refuses with a 422 by design.

Half of the requests that name a data set name a real one, and half of those that name a job
name a real one (never run, stepped, running, stopped or diverged, with and without test rows),
so that the bodies of weights, history, trace, export and predict are checked too; the others
get a 404. Jobs the fuzzer creates are deleted at once, and every job is closed with the app's
lifespan at the end of the module.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.python.asgi import shutdown_lifespans

from backend.api.app import create_app
from backend.api.schemas.spec import JobSpec
from backend.config import Settings
from backend.engine.datasets import DATASETS
from backend.jobs.limits import Limits
from backend.jobs.manager import JobManager

# Fewer running jobs than the default 8: the fuzzer's own jobs would take the CPU it runs on.
# Schemathesis calls the app as "testserver", a name the server answers to only when told.
app = create_app(Settings(allowed_hosts=("testserver",)), limits=Limits(max_running_jobs=3))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)

EXAMPLES = 25  # per operation

# Real jobs to aim at, by name: the spec they are (re)made from, and what is done to them.
REAL: dict[str, tuple[dict[str, Any], str]] = {
    "fresh": ({"network": {"layers": [3, 5, 2]}, "start": "paused"}, ""),
    "stepped": (
        {
            "network": {"layers": [2, 4, 1]},
            "dataset": {"name": "xor", "test_fraction": 0.5, "samples": 40},
            "start": "paused",
        },
        "step",
    ),
    "paced": (
        {"network": {"layers": [3, 5, 2]}, "training": {"epochs": 10_000}, "speed": 20.0},
        "",
    ),
    "stopped": ({"network": {"layers": [3, 5, 2]}, "start": "paused"}, "step stop"),
    "diverged": (
        {
            "network": {"layers": [3, 5, 2], "output_activation": "linear"},
            "training": {"learning_rate": 1e6, "loss": "mse"},
            "start": "paused",
        },
        "step",
    ),
}
NAMES = list(REAL)
ids: dict[str, str] = {}


def manager() -> JobManager:
    jobs: JobManager = app.state.jobs
    return jobs


def real_job(name: str) -> str:
    """The id of the real job `name`, made again if the fuzzer deleted it."""
    jobs = manager()
    if name not in ids or ids[name] not in jobs.jobs:
        body, actions = REAL[name]
        job = jobs.create(JobSpec.model_validate(body).to_job())
        if "step" in actions:
            job.step(iterations=25).result(timeout=30)
        if "stop" in actions:
            job.stop()
        ids[name] = job.id
    return ids[name]


@pytest.fixture(scope="module", autouse=True)
def lifespan() -> Iterator[None]:
    """Start the app (its first request runs the lifespan) and close every job at the end."""
    schema["/api/health"]["GET"].Case().call()
    for name in NAMES:
        real_job(name)
    yield
    shutdown_lifespans()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case: schemathesis.Case) -> None:
    if "job_id" in case.path_parameters:
        pick = choose(case.path_parameters["job_id"], len(NAMES))
        if pick is not None:
            case.path_parameters["job_id"] = real_job(NAMES[pick])
    if "name" in case.path_parameters:
        pick = choose(case.path_parameters["name"], len(DATASETS))
        if pick is not None:
            case.path_parameters["name"] = list(DATASETS)[pick]
    response = case.call_and_validate(excluded_checks=[positive_data_acceptance])
    if case.method == "POST" and case.path == "/api/jobs" and response.status_code == 201:
        manager().delete(response.json()["id"])


def choose(generated: object, count: int) -> int | None:
    """One of `count` real things for half of the generated values, None for the others."""
    pick = zlib.crc32(str(generated).encode()) % (2 * count)  # deterministic, unlike hash()
    return pick if pick < count else None


def test_every_number_in_a_request_has_an_upper_bound() -> None:
    spec = app.openapi()
    unbounded = [
        where
        for where, node in _request_schemas(spec)
        if node.get("type") in ("integer", "number")
        and "maximum" not in node
        and "exclusiveMaximum" not in node
    ]
    assert not unbounded, unbounded


def _request_schemas(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema node a request's parameters and body reach, with where it was found."""
    components = spec.get("components", {}).get("schemas", {})
    seen: set[str] = set()

    def walk(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, list):
            for i, item in enumerate(node):
                yield from walk(item, f"{where}[{i}]")
            return
        if not isinstance(node, dict):
            return
        ref = node.get("$ref")
        if isinstance(ref, str):
            name = ref.rsplit("/", 1)[1]
            if name not in seen:
                seen.add(name)
                yield from walk(components[name], name)
            return
        yield where, node
        for key, value in node.items():
            if key not in ("examples", "example", "default", "const", "enum"):
                yield from walk(value, f"{where}.{key}")

    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                yield from walk(parameter.get("schema", {}), f"{where} {parameter['name']}")
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                yield from walk(media.get("schema", {}), f"{where} body")
