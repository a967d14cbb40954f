"""GET /api/datasets/{name}: a registry data set's rows, for a preview before training;
POST /api/csv: what a CSV file gives (columns, roles, encoding) before training."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from fastapi.exceptions import RequestValidationError

from backend.engine.datasets import DATASETS, make_dataset

from . import tables
from .bodies import OffLoopRoute
from .refusals import BODY, refusals
from .schemas.dataset import CsvPreview, CsvRequest, DatasetQuery, DatasetView

# OffLoopRoute: a CSV body (up to 16 MiB) is decoded and validated off the event loop.
router = APIRouter(tags=["datasets"], route_class=OffLoopRoute)


def refusal(exc: ValueError) -> RequestValidationError:
    """The engine's refusal as a 422 on the parameter its message starts with."""
    text = str(exc)
    field = text.split(":")[0].split()[0]
    loc = ("query", field) if field in DatasetQuery.model_fields else ("query",)
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": text, "input": None}])


@router.get("/api/datasets/{name}", responses=refusals(404))
def dataset(name: str, query: Annotated[DatasetQuery, Query()]) -> DatasetView:
    """The set's training and test rows for these parameters; 404 for an unknown name."""
    if name not in DATASETS:
        raise HTTPException(404, f"no dataset named {name!r}; valid: {', '.join(DATASETS)}")
    try:
        data = make_dataset(name, **query.model_dump())
    except ValueError as exc:  # e.g. n_outputs or features that this set does not take
        raise refusal(exc) from None
    return DatasetView(
        name=name,
        kind=data.kind,
        feature_names=list(data.feature_names),
        target_names=list(data.target_names),
        inputs=data.inputs.tolist(),
        targets=data.targets.tolist(),
        test_inputs=data.test_inputs.tolist(),
        test_targets=data.test_targets.tolist(),
    )


@router.post("/api/csv", responses=refusals(*BODY))
def csv(body: CsvRequest) -> CsvPreview:
    """The file's columns (kind, range or classes), first rows, the roles (given, or the last
    column the target and every other number column an input) and the encoding they give;
    a 422 names the line, the column and the limit of what cannot be read. Nothing is stored."""
    return tables.preview(body)
