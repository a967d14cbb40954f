// @ts-check
// The full frame the page shows and what follows from it: the weights before its update, the
// sample within its batch, the neuron the equations explain. Pure: no DOM.

import { NO_PENALTY, penaltyOf, undoUpdate } from "./penalty.js";

/** @import { Frame, FullFrame, Matrix, NeuronRef, Options, State } from "./types.js" */
/** @import { Penalty } from "./penalty.js" */

/**
 * W before an update from W after it, undoing W := W − α (∂ℓ/∂W + λ ∂R/∂W) (the article's
 * update plus the run's penalty, penalty.js): W_old = W_new + α ∂ℓ/∂W without one.
 * @param {Matrix[] | null} weights  W^1..W^L after the update
 * @param {(Matrix | undefined)[] | null} grads  ∂ℓ/∂W^1..∂ℓ/∂W^L (the data loss's alone)
 * @param {number} rate  α
 * @param {Penalty} [penalty]  the run's kind and λ
 * @param {Matrix[] | null} [hint]  the previous frame's weights: where the penalised update
 *   cannot be undone uniquely (L1 near 0) the entry of these that updates to W_new is kept
 * @returns {Matrix[] | null}
 */
export function weightsBefore(weights, grads, rate, penalty = NO_PENALTY, hint = null) {
  if (!weights || !grads || !Number.isFinite(rate)) return weights;
  return weights.map((w, l) =>
    w.map((row, j) =>
      row.map((v, i) => {
        const g = grads[l]?.[j]?.[i];
        if (v === null || g === null || g === undefined) return null;
        const h = hint?.[l]?.[j]?.[i];
        return undoUpdate(penalty, v, g, rate, i === 0, h === undefined ? null : h);
      }),
    ),
  );
}

/**
 * Layer sizes of a weight list: [n_0, n_1, ..., n_L].
 * @param {Matrix[] | null} weights
 * @returns {number[] | null}
 */
export function sizesOf(weights) {
  if (!weights || weights.length === 0) return null;
  return [weights[0][0].length - 1, ...weights.map((w) => w.length)];
}

// A frame of a wide network carries the first `max_shown_neurons` neurons of each layer and
// the first `max_shown_samples` samples of its batch (GET /api/options limits; the server cuts).
const MAX_SHOWN = 64;

/**
 * How many neurons of each layer of `sizes` the page shows and frames carry.
 * @param {number[]} sizes
 * @param {Options | null} [options]
 */
export function shownSizes(sizes, options = null) {
  const cap = options?.limits?.max_shown_neurons ?? MAX_SHOWN;
  return sizes.map((n) => Math.min(n, cap));
}

/**
 * How many samples of a batch of `batch` rows a full frame carries.
 * @param {number} batch
 * @param {Options | null} [options]
 */
export function shownSamples(batch, options = null) {
  return Math.min(batch, options?.limits?.max_shown_samples ?? MAX_SHOWN);
}

/**
 * The neuron shown by default: the first output neuron.
 * @param {number[] | null} sizes
 * @returns {NeuronRef | null}
 */
function defaultSelected(sizes) {
  return sizes ? { layer: sizes.length - 1, index: 0 } : null;
}

/**
 * The neuron the equations explain once the network has `sizes`: the reader's pick while it
 * exists, else the first output neuron.
 * @param {NeuronRef | null} selected
 * @param {number[] | null} sizes
 * @param {boolean} [byUser]  false until the reader picks one: then always the default
 * @returns {NeuronRef | null}
 */
export function keepSelected(selected, sizes, byUser = true) {
  if (!sizes) return selected;
  if (!byUser) return defaultSelected(sizes);
  if (selected && selected.layer >= 1 && selected.layer < sizes.length && selected.index < sizes[selected.layer]) {
    return selected;
  }
  return defaultSelected(sizes);
}

/**
 * Samples carried in a full frame's batch; 0 without one.
 * @param {Frame | null} frame
 */
export function batchWidth(frame) {
  return frame?.inputs?.[0]?.length ?? 0;
}

/**
 * The state showing full frame `frame` in the diagram, equations and batches.
 * @param {State} state
 * @param {FullFrame} frame
 * @returns {State}
 */
export function showFrame(state, frame) {
  const weights = frame.weights;
  const next = { ...state, weights, frame };
  // The run's penalty shapes its update; the weights shown before this frame hint at W_old.
  const penalty = penaltyOf((state.job?.spec ?? state.spec)?.training);
  const grads = frame.layers.map((l) => l.grad);
  next.prevWeights = weightsBefore(weights, grads, frame.learning_rate, penalty, state.weights);
  next.sample = Math.min(state.sample, Math.max(0, batchWidth(frame) - 1));
  next.selected = keepSelected(state.selected, sizesOf(weights), state.selectedByUser);
  return next;
}
