// Penalised frames for the tests, built by hand (not through penalty.js): the weights before
// the update, the update W := W − α (∂ℓ/∂W + λ ∂R/∂W) applied entry by entry (the bias,
// column 0, without λ), and the frame carrying the weights after it.
import { readFileSync } from "node:fs";

export const fixture = JSON.parse(readFileSync(new URL("../../frontend/dev/fixture.json", import.meta.url)));

/** ∂R/∂w written out: w for L2, sign(w) for L1 (0 at 0), 0 without a penalty. */
export function slope(kind, w) {
  if (kind === "l2") return w;
  if (kind === "l1") return w > 0 ? 1 : w < 0 ? -1 : 0;
  return 0;
}

/** W_new from W_old by the penalised update, by hand. */
export function applyUpdate(before, grads, alpha, kind, lambda) {
  return before.map((W, i) => W.map((row, j) => row.map((w, m) =>
    w - alpha * (grads[i][j][m] + (m === 0 ? 0 : lambda * slope(kind, w))))));
}

/** A scenario's frame with its weights after the penalised update of `before`. */
export function penalisedFrame(frame, before, kind, lambda) {
  const grads = frame.layers.map((l) => l.grad);
  return { ...frame, weights: applyUpdate(before, grads, frame.learning_rate, kind, lambda) };
}

/** The article scenario's weights before the update with some weights moved next to 0 (and one at 0). */
export function nearZero(prevWeights, shift) {
  const before = structuredClone(prevWeights);
  before[0][0][1] = 0.3 * shift; // |W_old| < 2αλ: both signs fit W_new
  before[0][1][2] = -0.7 * shift;
  before[0][2][1] = 1.5 * shift; // both fit, and the one nearer 0 is not it: only a hint tells
  before[1][0][1] = 0; // sign 0: moved by −α g alone
  before[1][1][0] = 0; // a bias at 0: no penalty at all
  return before;
}
