// @ts-check
// The numbers of one neuron j of layer i for one sample k of a frame: everything the
// equation panel shows for eqs. (1), (2), (5), (7) and the update. Pure.
//
// A frame's weights are those after its update; the forward and backward passes used the
// weights before it, which are `prevWeights` when the page kept them for this frame and
// otherwise follow from the update itself: W_old = W_new + α ∂ℓ/∂W, or with the run's penalty
// λR the penalised update undone (penalty.js).

import { NO_PENALTY, undoUpdate, updatesTo } from "./penalty.js";

/** @import { FullFrame, Matrix, NetworkSpec, NeuronRef, NeuronTrace, Num } from "./types.js" */
/** @import { Penalty } from "./penalty.js" */

/**
 * A wire number as a number: null (NaN or ±∞ on the wire) and a missing value are NaN.
 * @param {Num | undefined} v
 * @returns {number}
 */
const num = (v) => (v === null || v === undefined ? NaN : v);

/**
 * A valid selection for the frame: the neuron if it exists, else the first output neuron.
 * @param {Pick<FullFrame, "layers"> | null | undefined} frame
 * @param {NeuronRef | null | undefined} selected
 * @returns {NeuronRef | null}
 */
export function clampSelection(frame, selected) {
  const L = frame && frame.layers ? frame.layers.length : 0;
  if (!frame || !L) return null;
  const layer = selected && selected.layer >= 1 && selected.layer <= L ? selected.layer : L;
  const n = frame.layers[layer - 1].z.length;
  const index = selected && selected.layer === layer && selected.index >= 0 && selected.index < n
    ? selected.index
    : 0;
  return { layer, index };
}

/**
 * Samples in the frame's batch.
 * @param {Pick<FullFrame, "inputs"> | null | undefined} frame
 * @returns {number}
 */
export function batchSize(frame) {
  return frame && frame.inputs && frame.inputs.length ? frame.inputs[0].length : 0;
}

/**
 * The weights W^1..W^L before the frame's update: `prevWeights` when they belong to this
 * frame (the update W := W − α (∂ℓ/∂W + λ ∂R/∂W) takes them to the frame's W to rounding),
 * else that update undone (penalty.js), so a page whose prevWeights moved on with later
 * summary frames still shows consistent numbers. Where the undoing is not unique (L1, a
 * weight near 0) an entry of prevWeights that updates to W_new is the one taken.
 * @param {FullFrame} frame
 * @param {Matrix[] | null | undefined} prevWeights
 * @param {Penalty} [penalty]  the run's kind and λ; none by default
 * @returns {Matrix[]}  W^i, (n_i, 1 + n_{i−1})
 */
export function weightsBefore(frame, prevWeights, penalty = NO_PENALTY) {
  const W = frame.weights;
  const a = num(frame.learning_rate);
  const sameShape = Array.isArray(prevWeights) && prevWeights.length === W.length &&
    prevWeights.every((p, i) => p.length === W[i].length && p[0].length === W[i][0].length);
  const hint = sameShape ? prevWeights : null;
  const rebuilt = W.map((Wi, i) => Wi.map((row, j) => row.map((w, m) => {
    const h = hint ? num(hint[i][j][m]) : null;
    return undoUpdate(penalty, num(w), num(frame.layers[i].grad[j][m]), a, m === 0, h);
  })));
  if (!hint) return rebuilt;
  const agrees = W.every((Wi, i) => Wi.every((row, j) => row.every((w, m) =>
    updatesTo(penalty, num(hint[i][j][m]), num(w), num(frame.layers[i].grad[j][m]), a, m === 0))));
  return agrees ? hint : rebuilt;
}

/**
 * Column k of a (n, batch) array: sample k of each neuron.
 * @param {Matrix} matrix
 * @param {number} k
 * @returns {number[]}
 */
const column = (matrix, k) => matrix.map((row) => num(row[k]));

/**
 * Everything about neuron `selected` for sample `sample` (clamped to the batch):
 * {layer, index, sample, batch, layers, isOutput, activation, alpha, b, w, yPrev, z, y, dy,
 *  dz, target, zLayer, yLayer, dyLayer, next: {w, dz} (hidden only), grad, share, old, new}.
 * `network` names the activations: {activation, output_activation}. Null before a frame.
 * @param {FullFrame | null | undefined} frame
 * @param {Matrix[] | null | undefined} prevWeights
 * @param {NeuronRef | null | undefined} selected
 * @param {number} sample
 * @param {Pick<NetworkSpec, "activation" | "output_activation">} network
 * @param {Penalty} [penalty]  the run's kind and λ: how the update went (none by default)
 * @returns {NeuronTrace | null}
 */
export function neuronTrace(frame, prevWeights, selected, sample, network, penalty = NO_PENALTY) {
  const sel = clampSelection(frame, selected);
  const B = batchSize(frame);
  if (!frame || !sel || !B) return null;
  const { layer: i, index: j } = sel;
  const L = frame.layers.length;
  const k = Math.max(0, Math.min(B - 1, Math.floor(sample) || 0));
  const before = weightsBefore(frame, prevWeights, penalty);
  const lay = frame.layers[i - 1];
  const old = before[i - 1][j].map(num);
  const yPrev = column(i === 1 ? frame.inputs : frame.layers[i - 2].y, k);
  const isOutput = i === L;
  /** @type {NeuronTrace} */
  const trace = {
    layer: i,
    index: j,
    sample: k,
    batch: B,
    layers: L,
    isOutput,
    activation: isOutput ? network.output_activation : network.activation,
    alpha: num(frame.learning_rate),
    loss: num(frame.loss),
    b: old[0],
    w: old.slice(1),
    yPrev,
    z: num(lay.z[j][k]),
    y: num(lay.y[j][k]),
    dy: num(lay.dy[j][k]),
    dz: num(lay.dz[j][k]),
    zLayer: column(lay.z, k),
    yLayer: column(lay.y, k),
    dyLayer: column(lay.dy, k),
    target: isOutput ? num(frame.targets[j][k]) : null,
    next: null,
    grad: lay.grad[j].map(num),
    share: [],
    old,
    new: frame.weights[i - 1][j].map(num),
  };
  // This sample's term of ∂ℓ/∂w = Σ_k ∂ℓ/∂z_k (1, y^{i−1}_k)
  trace.share = [1, ...yPrev].map((v) => trace.dz * v);
  if (!isOutput) {
    trace.next = {
      w: before[i].map((row) => num(row[j + 1])), // column j of W^{i+1}, bias column skipped
      dz: column(frame.layers[i].dz, k),
    };
  }
  return trace;
}
