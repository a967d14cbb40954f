"""TensorFlow Playground's 2-D data sets, re-implemented as vectorised NumPy.

Each generator takes a seeded ``np.random.Generator``, a row count and a noise fraction in [0, 1]
and returns ``(points, labels)``: points ``(samples, 2)`` inside the plotted square [-6, 6]², labels
``(samples,)`` as TF Playground gives them, ±1 for classification and a real value in [-1, 1] for
regression. Classification rows come out grouped by class; the caller shuffles them.
"""

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
Sample = tuple[FloatArray, FloatArray]  # (points (samples, 2), labels (samples,))
Generator = Callable[[np.random.Generator, int, float], Sample]

RADIUS = 6.0  # the plotted square is [-RADIUS, RADIUS]²

# multi_gauss: six bump centres on a 3 × 2 grid, with alternating signs (x1, x2, sign)
_BUMPS = np.array(
    [[-4, 2.5, 1], [0, 2.5, -1], [4, 2.5, 1], [-4, -2.5, -1], [0, -2.5, 1], [4, -2.5, -1]],
    dtype=np.float64,
)


def _halves(samples: int) -> tuple[int, int]:
    """Rows of the positive and the negative class; the positive class takes an odd row."""
    return (samples + 1) // 2, samples // 2


def _polar(r: FloatArray, angle: FloatArray) -> FloatArray:
    """Points (n, 2) at radius r and angle measured from the x2 axis: (r sin a, r cos a)."""
    return np.column_stack((r * np.sin(angle), r * np.cos(angle)))


def _jitter(rng: np.random.Generator, n: int, half_width: float, noise: float) -> FloatArray:
    """Offsets (n, 2): uniform in [-half_width, half_width) times the noise fraction."""
    return rng.uniform(-half_width, half_width, size=(n, 2)) * noise


def _sign_label(positive: NDArray[np.bool_]) -> FloatArray:
    """Labels (n,): +1 where positive, -1 elsewhere."""
    return np.where(positive, 1.0, -1.0)


def circle(rng: np.random.Generator, samples: int, noise: float) -> Sample:
    """A disc r < 2.5 (label +1) inside a ring 3.5 ≤ r < 5 (label -1); points (samples, 2)."""
    n_pos, n_neg = _halves(samples)
    # The radius is uniform (not the area), as in TF Playground, so the disc is denser at its centre
    r = np.concatenate((rng.uniform(0.0, 2.5, n_pos), rng.uniform(3.5, 5.0, n_neg)))
    points = _polar(r, rng.uniform(0.0, 2 * np.pi, samples))
    # The label is read at a displaced copy of the point, so noise mislabels points near the edge
    moved = points + _jitter(rng, samples, 5.0, noise)
    return points, _sign_label(np.hypot(moved[:, 0], moved[:, 1]) < 2.5)


def xor(rng: np.random.Generator, samples: int, noise: float) -> Sample:
    """Four quadrants, label +1 where x1·x2 ≥ 0; points (samples, 2) in [-5.3, 5.3]²."""
    points = rng.uniform(-5.0, 5.0, size=(samples, 2))
    # Push every point 0.3 away from both axes so the quadrants are visibly apart
    points += np.where(points > 0, 0.3, -0.3)
    moved = points + _jitter(rng, samples, 5.0, noise)
    return points, _sign_label(moved[:, 0] * moved[:, 1] >= 0)


def gauss(rng: np.random.Generator, samples: int, noise: float) -> Sample:
    """Gaussian blobs at (2, 2) (label +1) and (-2, -2) (label -1); points (samples, 2)."""
    n_pos, n_neg = _halves(samples)
    # Variance grows linearly with noise: 0.5 at 0 and 4 at 0.5 (TF's scale), so 7.5 at 1
    std = np.sqrt(0.5 + 7.0 * noise)
    centres = np.repeat([[2.0, 2.0], [-2.0, -2.0]], [n_pos, n_neg], axis=0)
    # TF Playground only hides points outside the square; here they are clipped onto its edge
    points = np.clip(rng.normal(centres, std), -RADIUS, RADIUS)
    return points, np.repeat([1.0, -1.0], [n_pos, n_neg])


def _arm(rng: np.random.Generator, n: int, turn: float, noise: float) -> FloatArray:
    """One spiral arm (n, 2): radius 0 → 5 over 1.75 turns, starting at angle `turn`."""
    s = np.arange(n) / max(n, 1)  # position along the arm, 0 ≤ s < 1
    r, angle = 5.0 * s, 1.75 * 2 * np.pi * s + turn
    return _polar(r, angle) + rng.uniform(-1.0, 1.0, size=(n, 2)) * noise


def spiral(rng: np.random.Generator, samples: int, noise: float) -> Sample:
    """Two interleaved spiral arms, half a turn apart (labels +1, -1); points (samples, 2)."""
    n_pos, n_neg = _halves(samples)
    points = np.concatenate((_arm(rng, n_pos, 0.0, noise), _arm(rng, n_neg, np.pi, noise)))
    return points, np.repeat([1.0, -1.0], [n_pos, n_neg])


def plane(rng: np.random.Generator, samples: int, noise: float) -> Sample:
    """A tilted plane, label (x1 + x2) / 10 clipped to [-1, 1]; points (samples, 2)."""
    points = rng.uniform(-RADIUS, RADIUS, size=(samples, 2))
    moved = points + _jitter(rng, samples, RADIUS, noise)
    # TF maps x1 + x2 linearly from [-10, 10] onto [-1, 1] without a clamp, so its corners reach
    # ±1.2; the clip keeps every target inside the range of a tanh output
    return points, np.clip(moved.sum(axis=1) / 10.0, -1.0, 1.0)


def multi_gauss(rng: np.random.Generator, samples: int, noise: float) -> Sample:
    """Six signed bumps on a 3 × 2 grid, labels in [-1, 1]; points (samples, 2)."""
    points = rng.uniform(-RADIUS, RADIUS, size=(samples, 2))
    moved = points + _jitter(rng, samples, RADIUS, noise)
    # Distance d from every point to every centre, (samples, 6)
    d = np.linalg.norm(moved[:, None, :] - _BUMPS[None, :, :2], axis=2)
    # Each bump falls linearly from ±1 at its centre to 0 at distance 2: sign · max(0, 1 − d/2)
    heights = _BUMPS[:, 2] * np.clip(1.0 - d / 2.0, 0.0, 1.0)
    # The label is the bump of largest magnitude (the first one on a tie; 0 far from all bumps)
    pick = np.argmax(np.abs(heights), axis=1)
    return points, np.take_along_axis(heights, pick[:, None], axis=1)[:, 0]


GENERATORS: dict[str, Generator] = {
    "circle": circle,
    "xor": xor,
    "gauss": gauss,
    "spiral": spiral,
    "plane": plane,
    "multi_gauss": multi_gauss,
}
