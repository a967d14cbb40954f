"""GET /api/options: every name the page may choose, the limits, and the default spec."""

from __future__ import annotations

from fastapi import APIRouter, Depends

from backend.engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from backend.engine.batching import MODES
from backend.engine.datasets import DATASETS, FEATURES
from backend.engine.losses import LOSS_NAMES, LOSS_OUTPUTS, get_loss
from backend.engine.regularization import REGULARIZATIONS
from backend.jobs import sampling
from backend.jobs.manager import JobManager

from . import deps
from .limits import MAX_BODY_BYTES
from .schemas.options import (
    Activations,
    DatasetOption,
    FeatureOption,
    LossOption,
    ModeOption,
    Options,
    RegularizationOption,
)
from .schemas.spec import default_spec

router = APIRouter(tags=["options"])


def loss_option(name: str) -> LossOption:
    """A loss with its description; cross-entropy's binary and categorical forms both."""
    outputs = LOSS_OUTPUTS[name]
    forms = dict.fromkeys(get_loss(name, output).description for output in outputs or ("linear",))
    return LossOption(
        name=name, description="; ".join(forms), outputs=None if outputs is None else list(outputs)
    )


@router.get("/api/options")
def options(jobs: JobManager = Depends(deps.manager)) -> Options:
    """The registries' names and descriptions, the server's limits and the default spec."""
    return Options(
        activations=Activations(hidden=list(HIDDEN_ACTIVATIONS), output=list(OUTPUT_ACTIVATIONS)),
        losses=[loss_option(name) for name in LOSS_NAMES],
        modes=[ModeOption(name=name, description=text) for name, text in MODES.items()],
        regularizations=[
            RegularizationOption(name=name, description=text)
            for name, text in REGULARIZATIONS.items()
        ],
        datasets=[DatasetOption.model_validate(d, from_attributes=True) for d in DATASETS.values()],
        features=[FeatureOption(name=name, label=label) for name, label in FEATURES.items()],
        limits={
            **jobs.limits.as_dict(),
            "max_body_bytes": MAX_BODY_BYTES,
            # what a frame carries of a wide network: the first neurons of a layer, the
            # first samples of a batch (sampling.py); the page draws as many
            "max_shown_neurons": sampling.MAX_SHOWN,
            "max_shown_samples": sampling.MAX_SAMPLES,
        },
        defaults=default_spec(),
    )
