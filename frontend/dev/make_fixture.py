"""Write fixture.json: real frames from the engine for the views' harness page (views.html).

Run from the repository root: `python frontend/dev/make_fixture.py`. Each scenario trains a
small network with the engine and keeps what the page's store would hold after the last
iteration: the spec, the data set snapshot, the last full frame, the weights before it and the
loss history.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backend.engine.batching import MODES
from backend.engine.datasets import DATASETS, FEATURES, make_dataset
from backend.engine.network import Network
from backend.engine.trainer import Trainer, TrainingConfig
from backend.jobs.frame import encode, frame

HERE = Path(__file__).parent


def scenario(
    name: str,
    layers: list[int],
    net: dict[str, str],
    training: dict[str, Any],
    data: dict[str, Any],
    iterations: int,
) -> dict[str, Any]:
    """Train `iterations` steps and keep what the page would hold after the last one."""
    features = data.get("features") or []
    ds = make_dataset(
        data["name"],
        samples=data["samples"],
        noise=data["noise"],
        test_fraction=data["test_fraction"],
        seed=training["seed"],
        features=features,
        n_outputs=layers[-1],
    )
    network = Network(layers, net["activation"], net["output_activation"], seed=training["seed"])
    trainer = Trainer(
        network, ds.inputs, ds.targets, TrainingConfig(**training), ds.test_inputs, ds.test_targets
    )
    losses, tests, prev, record = [], [], None, None
    seen: list[dict[str, Any]] = []  # counters and rows of every iteration, for the last epoch's
    for _ in range(iterations):
        prev = network.copy_weights()
        record = trainer.step()
        assert record is not None
        seen.append(
            {
                "epoch": record.epoch,
                "batch": record.batch,
                "iteration": record.iteration,
                "rows": record.rows.tolist(),
            }
        )
        losses.append(record.loss)
        test = trainer.test_loss()
        if test is not None and record.iteration % 5 == 0:
            tests.append([record.iteration, test])
    assert record is not None and prev is not None
    spec = {
        "network": {"layers": layers, **net},
        "training": training,
        "dataset": {**data, "features": features},
    }
    return {
        "name": name,
        "spec": spec,
        "dataset": {
            "name": data["name"],
            "kind": ds.kind,
            "feature_names": list(ds.feature_names),
            "target_names": list(ds.target_names),
            "rows": len(ds.inputs),
            "test_rows": len(ds.test_inputs),
            "inputs": ds.inputs.tolist(),
            "targets": ds.targets.tolist(),
            "test_inputs": ds.test_inputs.tolist(),
            "test_targets": ds.test_targets.tolist(),
            "points": True,
        },
        "frame": json.loads(encode(frame("fixture", record, trainer.test_loss(), "full"))),
        "prevWeights": [w.tolist() for w in prev],
        "history": {"loss": losses, "test": tests},
        # the earlier iterations of the last frame's epoch, as a stream of summary frames
        "epochFrames": [f for f in seen[:-1] if f["epoch"] == record.epoch],
    }


def options() -> dict[str, Any]:
    return {
        "modes": [{"name": k, "description": v} for k, v in MODES.items()],
        "datasets": [
            {
                "name": d.name,
                "kind": d.kind,
                "description": d.description,
                "n_inputs": d.n_inputs,
                "outputs": list(d.outputs),
                "two_d": d.two_d,
                "fixed_rows": d.fixed_rows,
            }
            for d in DATASETS.values()
        ],
        "features": [{"name": k, "label": v} for k, v in FEATURES.items()],
    }


def main() -> None:
    base = {"tolerance": 0.0, "shuffle": False, "seed": 1, "epochs": 1000}
    scenarios = [
        scenario(
            "article",
            [3, 5, 2],
            {"activation": "sigmoid", "output_activation": "sigmoid"},
            {
                **base,
                "loss": "half_sse",
                "mode": "minibatch",
                "batch_size": 2,
                "learning_rate": 0.5,
            },
            {"name": "article", "samples": 6, "noise": 0.0, "test_fraction": 0.0},
            41,
        ),
        scenario(
            "figure2",
            [1, 1],
            {"activation": "sigmoid", "output_activation": "sigmoid"},
            {**base, "loss": "half_sse", "mode": "batch", "batch_size": 6, "learning_rate": 0.5},
            {"name": "figure2", "samples": 6, "noise": 0.0, "test_fraction": 0.0},
            60,
        ),
        scenario(
            "circle",
            [4, 4, 2, 1],
            {"activation": "tanh", "output_activation": "sigmoid"},
            {
                **base,
                "loss": "cross_entropy",
                "mode": "minibatch",
                "batch_size": 10,
                "learning_rate": 0.3,
                "shuffle": True,
            },
            {
                "name": "circle",
                "samples": 200,
                "noise": 0.1,
                "test_fraction": 0.2,
                "features": ["x1_squared", "x2_squared"],
            },
            400,
        ),
        scenario(
            "spiral",
            [2, 8, 8, 1],
            {"activation": "tanh", "output_activation": "sigmoid"},
            {
                **base,
                "loss": "cross_entropy",
                "mode": "sgd",
                "batch_size": 1,
                "learning_rate": 0.03,
                "shuffle": True,
            },
            {"name": "spiral", "samples": 200, "noise": 0.0, "test_fraction": 0.2},
            3000,
        ),
    ]
    out = {"options": options(), "scenarios": {s["name"]: s for s in scenarios}}
    (HERE / "fixture.json").write_text(json.dumps(out, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
