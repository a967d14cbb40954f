// @ts-check
// Every neuron's output over the input plane, as TensorFlow Playground draws it in its nodes:
// where the plane is, the grid a network can afford, and each neuron's y = f(z) at every cell
// by eqs. (1)–(2) (forward.js). Pure: the view turns the RGBA bytes into canvases.

import { forward, withFeatures } from "./forward.js";
import { activationRange, EXTENT, fillRGBA, planePoints } from "./heatmap.js";

/** @import { Box, Range } from "./heatmap.js" */
/** @import { Activations } from "./forward.js" */
/** @import { DatasetOption, Matrix, Num, State } from "./types.js" */
/** @typedef {{box: Box, features: string[]}} Plane  where the input plane is, and its derived columns */
/**
 * @typedef {{features?: string[] | null, inputs?: Matrix | null, test_inputs?: Matrix | null}} PlaneData
 *   a spec's derived columns and the job's rows
 */

export const MAP_GRID = 24; // cells a side: TF Playground's node maps are about this fine
export const MIN_MAP_GRID = 8;
export const MAP_BUDGET = 3e6; // multiply-adds per redraw: a few milliseconds, no long task
const PAD = 0.1; // a data set's bounding box, widened by this fraction on each side

/**
 * Multiply-adds of one forward pass of a network of `sizes` (bias included).
 * @param {number[]} sizes  n_0 … n_L
 * @returns {number}
 */
export function forwardCost(sizes) {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l] * (1 + sizes[l - 1]);
  return n;
}

/**
 * Cells a side a network of `sizes` can afford within `budget` per redraw, or 0 if too big.
 * @param {number[]} sizes
 * @param {number} [budget]
 * @returns {number}
 */
export function mapGridSize(sizes, budget = MAP_BUDGET) {
  const n = Math.min(MAP_GRID, Math.floor(Math.sqrt(budget / Math.max(1, forwardCost(sizes)))));
  return n >= MIN_MAP_GRID ? n : 0;
}

/**
 * The smallest box holding every row's first two columns, widened by PAD; ±1 if flat.
 * @param {Iterable<Num[]>} rows
 * @returns {Box}
 */
export function boundingBox(rows) {
  const lo = [Infinity, Infinity];
  const hi = [-Infinity, -Infinity];
  for (const row of rows) {
    for (let a = 0; a < 2; a++) {
      const v = row[a];
      if (v === null || !Number.isFinite(v)) continue;
      if (v < lo[a]) lo[a] = v;
      if (v > hi[a]) hi[a] = v;
    }
  }
  /**
   * @param {number} a
   * @returns {Range}
   */
  const axis = (a) => {
    if (!(hi[a] >= lo[a])) return [-1, 1];
    const span = hi[a] - lo[a];
    const pad = span > 0 ? span * PAD : 1;
    return [lo[a] - pad, hi[a] + pad];
  };
  return { x: axis(0), y: axis(1) };
}

/**
 * The input plane of a network, or null when its input is not two numbers: a 2-D registry set
 * ([−6, 6]², its derived columns computed from x1 and x2) or any data of 2 input columns (their
 * bounding box). `layers` are the network's sizes, `info` the set's entry in /api/options.
 * @param {number[] | null | undefined} layers
 * @param {PlaneData | null | undefined} dataset
 * @param {Pick<DatasetOption, "two_d"> | null | undefined} info
 * @returns {Plane | null}
 */
export function planeOf(layers, dataset, info) {
  if (!Array.isArray(layers) || layers.length < 2) return null;
  if (info?.two_d) {
    const features = dataset?.features ?? [];
    if (layers[0] !== 2 + features.length) return null;
    return { box: { x: [-EXTENT, EXTENT], y: [-EXTENT, EXTENT] }, features };
  }
  if (layers[0] !== 2) return null;
  const rows = [...(dataset?.inputs ?? []), ...(dataset?.test_inputs ?? [])];
  if (!rows.length) return null;
  return { box: boundingBox(rows), features: [] };
}

/**
 * The grid's inputs (n² rows of n_0 columns: x1, x2 and the derived ones), top row first.
 * @param {number} n
 * @param {Plane} plane
 * @returns {number[][]}  (n², n_0)
 */
export function planeInputs(n, plane) {
  return withFeatures(planePoints(n, plane.box), plane.features);
}

/**
 * Sizes [n_0 … n_L] of W^1 … W^L, or null.
 * @param {Matrix[] | null | undefined} weights  W^i, (n_i, 1 + n_{i−1})
 * @returns {number[] | null}
 */
export function weightSizes(weights) {
  if (!Array.isArray(weights) || !weights.length || !weights[0]?.length) return null;
  return [weights[0][0].length - 1, ...weights.map((w) => w.length)];
}

/**
 * True when `weights` are a whole network of `sizes`, not a wide one's cut (first neurons).
 * @param {Matrix[] | null | undefined} weights
 * @param {number[] | null | undefined} sizes
 * @returns {boolean}
 */
export function isComplete(weights, sizes) {
  const have = weightSizes(weights);
  return Boolean(have && sizes && have.length === sizes.length && have.every((n, i) => n === sizes[i]));
}

/**
 * Every neuron's value at each grid input: per layer 0 … L a list of Float64Arrays (one per
 * neuron, n² values): the input columns for layer 0, y^i = f(z^i) (eqs. (1)–(2)) after.
 * @param {Matrix[]} weights
 * @param {Activations} network
 * @param {number[][]} inputs  (n², n_0)
 * @returns {Float64Array[][]}  [layer][neuron] (n²)
 */
export function planeValues(weights, network, inputs) {
  const columns = inputs[0].map((_, m) => Float64Array.from(inputs, (row) => row[m]));
  return [columns, ...forward(weights, network, inputs).y];
}

/**
 * The colour scale's range for layer `layer` of `count` layers: its activation's own; an input
 * column's from its lowest value over the plane (orange) to its highest (blue).
 * @param {number} layer
 * @param {number} count  layers, the input layer included
 * @param {Activations} network
 * @param {Float64Array} values  (n²)
 * @returns {Range}
 */
export function mapRange(layer, count, network, values) {
  if (layer === 0) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) if (Number.isFinite(v)) { lo = Math.min(lo, v); hi = Math.max(hi, v); }
    return hi > lo ? [lo, hi] : activationRange("linear", values);
  }
  return activationRange(layer === count - 1 ? network.output_activation : network.activation, values);
}

/**
 * RGBA bytes of one neuron's map on the page's diverging scale (as the output surface), into `out`.
 * @param {Float64Array} values  (n²)
 * @param {number} layer
 * @param {number} count
 * @param {Activations} network
 * @param {Uint8ClampedArray} [out]  (4·n²)
 * @returns {Uint8ClampedArray}
 */
export function mapPixels(values, layer, count, network, out = undefined) {
  return fillRGBA(values, mapRange(layer, count, network, values), 0, out);
}

/**
 * The weights the maps draw at this moment: while a pass is animated, those it ran with (the
 * diagram's), else the newest; a full set fetched for a cut (wide) network wins.
 * @param {Pick<State, "phase" | "prevWeights" | "weights">} state
 * @param {Matrix[] | null} [complete]
 * @returns {Matrix[] | null}
 */
export function mapWeights(state, complete = null) {
  if (complete) return complete;
  const during = ["forward", "loss", "backward"].includes(state.phase) && state.prevWeights;
  return during ? state.prevWeights : state.weights;
}
