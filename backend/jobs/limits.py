"""Upper bounds on what a job may ask for, shown to the page and enforced by the API."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from backend.engine.datasets import MAX_COLUMNS, MAX_ROWS, MAX_SAMPLES
from backend.engine.network import MAX_LAYERS, MAX_NEURONS
from backend.engine.regularization import MAX_REGULARIZATION_RATE


@dataclass(frozen=True)
class Limits:
    """Every bound a request is checked against; the server's resources set the job counts."""

    max_layers: int = MAX_LAYERS
    max_neurons: int = MAX_NEURONS
    max_parameters: int = 2_000_000  # weights and biases of one network
    max_batch_values: int = 2_000_000  # neurons × rows of one batch: bounds a job's buffers
    max_samples: int = MAX_SAMPLES
    max_inline_rows: int = MAX_ROWS
    max_inline_columns: int = MAX_COLUMNS
    max_epochs: int = 1_000_000_000
    # epochs × iterations per epoch: the history is bucketed and the keyframes thinned, so
    # the run's length bounds neither memory nor the snapshot.
    max_iterations: int = 1_000_000_000
    max_learning_rate: float = 1e6
    max_regularization_rate: float = MAX_REGULARIZATION_RATE  # λ
    max_batch_size: int = MAX_ROWS
    max_speed: float = 10_000.0  # iterations per second when paced
    max_step_iterations: int = 100_000  # one POST /step
    max_step_epochs: int = 100_000  # one POST /step
    max_jobs: int = 256  # stored at once; a full store refuses new jobs, it never evicts
    max_running_jobs: int = 8  # training at once (2 cores: more only slows each)
    max_viewers_per_job: int = 256
    max_viewers: int = 1024
    max_fps: int = 120

    def as_dict(self) -> dict[str, float]:
        """The bounds by name, for /api/options."""
        return asdict(self)
