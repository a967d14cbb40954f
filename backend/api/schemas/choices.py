"""Names a request may use, as Literal types built from the engine's and job layer's registries.

A wrong name is a 422 that names the field and lists every valid name. mypy sees plain `str`:
a Literal built from a tuple at run time is not a static type.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

from backend.engine.activations import HIDDEN_ACTIVATIONS, OUTPUT_ACTIVATIONS
from backend.engine.batching import MODES
from backend.engine.datasets import DATASETS, FEATURES
from backend.engine.losses import LOSS_NAMES
from backend.engine.regularization import REGULARIZATIONS
from backend.jobs.status import STATUSES

if TYPE_CHECKING:
    HiddenActivation = str
    OutputActivation = str
    LossName = str
    ModeName = str
    RegularizationName = str
    DatasetName = str
    FeatureName = str
    Status = str
else:
    HiddenActivation = Literal[HIDDEN_ACTIVATIONS]
    OutputActivation = Literal[OUTPUT_ACTIVATIONS]
    LossName = Literal[LOSS_NAMES]
    ModeName = Literal[tuple(MODES)]
    RegularizationName = Literal[tuple(REGULARIZATIONS)]
    DatasetName = Literal[tuple(DATASETS)]
    FeatureName = Literal[tuple(FEATURES)]
    Status = Literal[STATUSES]
