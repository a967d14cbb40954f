// @ts-check
// The forward pass, eqs. (1)–(2), in the browser: z^i_j = b^i_j + w^i_j · y^{i−1},
// y^i_j = f(z^i_j), from a frame's weights W^i (n_i × (1 + n_{i−1}), bias in column 0).
// Pure and allocation-light, so the output view can evaluate a whole grid of points.

/** @import { Matrix, NetworkSpec } from "./types.js" */
/** @typedef {Pick<NetworkSpec, "activation" | "output_activation">} Activations */
/** @typedef {{z: Float64Array[][], y: Float64Array[][]}} Passes  z and y of layers 1..L: [i − 1][j][k] */

/**
 * f(z) per activation name, as the engine defines them (eq. (6) for the sigmoid).
 * @type {Readonly<Record<string, (z: number) => number>>}
 */
export const ACTIVATIONS = {
  sigmoid: (z) => 1 / (1 + Math.exp(-z)),
  tanh: Math.tanh,
  relu: (z) => (z > 0 ? z : 0),
  linear: (z) => z,
};

/**
 * The derived input columns of the 2-D data sets, by their spec names.
 * @type {Readonly<Record<string, (x1: number, x2: number) => number>>}
 */
export const FEATURES = {
  x1_squared: (x1, x2) => x1 * x1,
  x2_squared: (x1, x2) => x2 * x2,
  x1_x2: (x1, x2) => x1 * x2,
  sin_x1: (x1) => Math.sin(x1),
  sin_x2: (x1, x2) => Math.sin(x2),
};

/**
 * Points (rows × 2) with the derived columns appended in the order given: rows × (2 + m).
 * @param {number[][]} points
 * @param {string[] | null} [features]
 * @returns {number[][]}
 */
export function withFeatures(points, features = []) {
  const maps = (features || []).map((name) => {
    const f = FEATURES[name];
    if (!f) throw new Error(`unknown feature ${name}`);
    return f;
  });
  return points.map(([x1, x2]) => [x1, x2, ...maps.map((f) => f(x1, x2))]);
}

/** A weight as a number; null (a non-finite value on the wire) becomes NaN. */
const num = (/** @type {number | null | undefined} */ v) => (v === null || v === undefined ? NaN : v);

/**
 * Softmax over the neurons of each sample (column) of z into y; subtracts the max first.
 * @param {Float64Array[]} z  (n, rows)
 * @param {Float64Array[]} y  (n, rows), written
 * @param {number} rows
 */
function softmaxColumns(z, y, rows) {
  for (let k = 0; k < rows; k++) {
    let max = -Infinity;
    for (const zj of z) if (zj[k] > max) max = zj[k];
    let sum = 0;
    for (let j = 0; j < z.length; j++) sum += y[j][k] = Math.exp(z[j][k] - max);
    for (let j = 0; j < z.length; j++) y[j][k] /= sum;
  }
}

/**
 * The activation function of layer `i` (1-based) of `count` layers.
 * @param {Activations} network
 * @param {number} i
 * @param {number} count
 */
export function activationOf(network, i, count) {
  return i === count ? network.output_activation : network.activation;
}

/**
 * Eqs. (1)–(2) for every layer: inputs are rows × n_0 (one sample per row), the result
 * holds z and y per layer i = 1..L as arrays of n_i Float64Arrays of length rows, so
 * y[i − 1][j][k] is neuron j of layer i for sample k, as in a frame.
 * @param {Matrix[]} weights  W^1..W^L, (n_i, 1 + n_{i−1})
 * @param {Activations} network
 * @param {Matrix} inputs  (rows, n_0)
 * @returns {Passes}
 */
export function forward(weights, network, inputs) {
  const rows = inputs.length;
  const L = weights.length;
  // y^0 = x, neuron-major like every other layer
  /** @type {Float64Array[]} */
  let prev = [];
  const n0 = weights.length ? weights[0][0].length - 1 : 0;
  for (let m = 0; m < n0; m++) prev.push(Float64Array.from(inputs, (row) => num(row[m])));
  const zs = [];
  const ys = [];
  for (let i = 1; i <= L; i++) {
    const W = weights[i - 1];
    const name = activationOf(network, i, L);
    const z = W.map(() => new Float64Array(rows));
    const y = W.map(() => new Float64Array(rows));
    W.forEach((wj, j) => {
      const zj = z[j];
      zj.fill(num(wj[0])); // b^i_j
      for (let m = 0; m < prev.length; m++) {
        const w = num(wj[m + 1]);
        const ym = prev[m];
        for (let k = 0; k < rows; k++) zj[k] += w * ym[k]; // + w^i_{j,m} y^{i−1}_m
      }
    });
    if (name === "softmax") softmaxColumns(z, y, rows);
    else {
      const f = ACTIVATIONS[name];
      if (!f) throw new Error(`unknown activation ${name}`);
      for (let j = 0; j < z.length; j++) for (let k = 0; k < rows; k++) y[j][k] = f(z[j][k]);
    }
    zs.push(z);
    ys.push(y);
    prev = y;
  }
  return { z: zs, y: ys };
}

/**
 * The network's outputs y^L as rows × n_L plain arrays, one row per input row.
 * @param {Matrix[]} weights
 * @param {Activations} network
 * @param {Matrix} inputs  (rows, n_0)
 * @returns {number[][]}
 */
export function predict(weights, network, inputs) {
  const { y } = forward(weights, network, inputs);
  const out = y[y.length - 1];
  return inputs.map((_, k) => out.map((yj) => yj[k]));
}
