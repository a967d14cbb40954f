// @ts-check
// The penalty λR of a regularised run and its update, forwards and undone. Pure.
//
// The objective is ℓ + λR with R = ½ Σ w² (L2) or Σ |w| (L1) over the weights of every W^i
// but its bias column 0, so the article's update W := W − α ∂ℓ/∂W becomes
//   W := W − α (∂ℓ/∂W + λ ∂R/∂W),  ∂R/∂w = w (L2) or sign(w) (L1, 0 at w = 0),  ∂R/∂b = 0.
// A frame carries ∂ℓ/∂W (the data loss's gradient alone) and W after the update; the weights
// the passes used follow from them:
//   none: W_old = W_new + α g
//   L2:   W_new = (1 − αλ) W_old − α g, so W_old = (W_new + α g) / (1 − αλ) exactly;
//   L1:   W_new = W_old − α g − αλ s with s = sign(W_old): W_old = W_new + α g + αλ s for the
//         s ∈ {+1, −1, 0} whose W_old has sign s. Near 0 (|W_new + α g| < αλ) both +1 and −1
//         fit: a hint (the previous frame's weight) picks the one it agrees with.

/** @import { TrainingSpec } from "./types.js" */

/**
 * The run's penalty: its kind and λ.
 * @typedef {{ kind: "none" | "l1" | "l2", rate: number }} Penalty
 */

/** @type {Penalty} */
export const NO_PENALTY = Object.freeze({ kind: "none", rate: 0 });

/**
 * The penalty of a run's training settings; a spec without the fields has none.
 * @param {Partial<TrainingSpec> | null | undefined} training
 * @returns {Penalty}
 */
export function penaltyOf(training) {
  const kind = training?.regularization;
  const rate = Number(training?.regularization_rate ?? 0);
  if ((kind !== "l1" && kind !== "l2") || !Number.isFinite(rate)) return NO_PENALTY;
  return { kind, rate };
}

/**
 * True when the objective has a penalty term (a kind other than "none").
 * @param {Penalty | null | undefined} penalty
 */
export const penalised = (penalty) => !!penalty && penalty.kind !== "none";

/**
 * ∂R/∂w of one parameter (without λ): w (L2), sign(w) (L1, 0 at 0), 0 at a bias or without a
 * penalty.
 * @param {Penalty} penalty
 * @param {number} w
 * @param {boolean} isBias  column 0 of W^i
 */
export function penaltySlope(penalty, w, isBias) {
  if (isBias || penalty.kind === "none") return 0;
  if (penalty.kind === "l2") return w;
  return w > 0 ? 1 : w < 0 ? -1 : w * 0; // NaN stays NaN
}

/**
 * One parameter after the update: w − α (g + λ ∂R/∂w).
 * @param {Penalty} penalty
 * @param {number} w  before the update
 * @param {number} g  ∂ℓ/∂w
 * @param {number} alpha
 * @param {boolean} isBias
 */
export function updated(penalty, w, g, alpha, isBias) {
  return w - alpha * (g + penalty.rate * penaltySlope(penalty, w, isBias));
}

/**
 * Whether `before` updates to `after` (to rounding): the test that a kept weight belongs to
 * this frame.
 * @param {Penalty} penalty
 * @param {number} before
 * @param {number} after
 * @param {number} g
 * @param {number} alpha
 * @param {boolean} isBias
 */
export function updatesTo(penalty, before, after, g, alpha, isBias) {
  if (Number.isNaN(after) || Number.isNaN(before)) return Number.isNaN(after) && Number.isNaN(before);
  const step = Math.abs(alpha * g) + Math.abs(alpha * penalty.rate) + Math.abs(before) + Math.abs(after);
  return Math.abs(updated(penalty, before, g, alpha, isBias) - after) <= 1e-9 * Math.max(1, step);
}

/**
 * One parameter before the update from the one after it (see the top of this file).
 * @param {Penalty} penalty
 * @param {number} after  W_new
 * @param {number} g  ∂ℓ/∂w
 * @param {number} alpha
 * @param {boolean} isBias
 * @param {number | null} [hint]  the previous frame's value, preferred when it fits
 * @returns {number}
 */
export function undoUpdate(penalty, after, g, alpha, isBias, hint = null) {
  const base = after + alpha * g;
  if (isBias || penalty.kind === "none" || !Number.isFinite(base)) return base;
  // A hint that updates to W_new is W_old (the previous frame's weight, when no frame between).
  if (hint !== null && hint !== undefined && updatesTo(penalty, hint, after, g, alpha, isBias)) return hint;
  if (penalty.kind === "l2") {
    const keep = 1 - alpha * penalty.rate; // αλ = 1 forgets W_old: only a hint could tell it
    return Math.abs(keep) < 1e-12 ? NaN : base / keep;
  }
  const shift = alpha * penalty.rate;
  /** @type {number[]} */
  const candidates = [];
  if (base + shift > 0) candidates.push(base + shift); // s = +1
  if (base - shift < 0) candidates.push(base - shift); // s = −1
  if (base === 0) candidates.push(0); // s = 0: W_old = 0 moved by −α g alone
  if (candidates.length === 0) return NaN; // αλ < 0 is not a run the server starts
  // No hint: the weight nearest 0 (exactly 0 when it fits, else the smaller |W_old|).
  return candidates.reduce((a, c) => (Math.abs(c) < Math.abs(a) ? c : a));
}
