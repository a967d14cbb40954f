"""The jobs bench/runs.py trains: the article's 3-5-2 network, a deep one and a wide one."""

from __future__ import annotations

import random
from typing import Any

REPEAT = 8  # the article's 6 rows, 8 times over: 24 iterations an epoch at minibatches of 2
EPOCHS = 83_333  # × 24 ≈ 2·10^6 iterations: within the old limits (10^5 epochs, 2·10^6)


def article_spec(rows: dict[str, Any], start: str = "paused") -> dict[str, Any]:
    """The article's 3-5-2 job, on its six rows repeated REPEAT times (inline)."""
    data = {"inputs": rows["inputs"] * REPEAT, "targets": rows["targets"] * REPEAT}
    training = {"mode": "minibatch", "batch_size": 2, "learning_rate": 0.5, "epochs": EPOCHS}
    return {"network": {"layers": [3, 5, 2]}, "training": training, "dataset": data, "start": start}


def deep_spec(iterations: int) -> dict[str, Any]:
    """2-8-8-8-8-8-8-1 on xor, 200 rows, shuffled minibatches of 10."""
    training = {
        "batch_size": 10,
        "learning_rate": 0.5,
        "epochs": iterations // 20 + 1,
        "shuffle": True,
    }
    return {
        "network": {"layers": [2, 8, 8, 8, 8, 8, 8, 1]},
        "training": training,
        "dataset": {"name": "xor", "samples": 200},
        "start": "paused",
    }


def wide_spec(iterations: int) -> dict[str, Any]:
    """784-128-10 on 100 inline rows of 784 inputs in [0, 1] and one-hot targets; batches of 10."""
    rng = random.Random(0)
    inputs = [[round(rng.random(), 3) for _ in range(784)] for _ in range(100)]
    targets = [[float(i % 10 == k) for k in range(10)] for i in range(100)]
    training = {"batch_size": 10, "learning_rate": 0.1, "epochs": iterations // 10 + 1}
    return {
        "network": {"layers": [784, 128, 10]},
        "training": training,
        "dataset": {"inputs": inputs, "targets": targets},
        "start": "paused",
    }
