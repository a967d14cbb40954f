// @ts-check
// The compare chart's x-axis: one run's points, given at iterations (weight updates), placed on
// iterations, epochs or samples seen, so that batch, stochastic and mini-batch gradient descent
// can be read against the same clock. An epoch is ⌈rows / b⌉ iterations (Figure 2); the last
// batch of an epoch may be short, so samples seen at the end of epoch e is e × rows exactly.
// Pure: no DOM.

import { effectiveBatchSize, iterationsPerEpoch } from "./partition.js";

/** @import { Mode } from "./types.js" */
/** @typedef {"iterations" | "epochs" | "samples"} Axis */
/** @typedef {{mode: Mode, rows: number, batchSize: number}} RunShape  what a run's clock follows */

/** @type {Axis[]} */
export const AXES = ["iterations", "epochs", "samples"];

export const AXIS_LABELS = {
  iterations: "iterations (weight updates)",
  epochs: "epochs (passes over the data)",
  samples: "samples seen",
};

/**
 * Samples seen after `k` whole iterations (k ≥ 0, an integer): whole epochs of `rows` each, then
 * k′ batches of b rows into the next one, at most `rows`.
 * @param {number} k
 * @param {RunShape} run
 */
function samplesAfter(k, { mode, rows, batchSize }) {
  const per = iterationsPerEpoch(mode, rows, batchSize);
  const b = effectiveBatchSize(mode, rows, batchSize);
  if (!per) return 0;
  const epochs = Math.floor(k / per);
  return epochs * rows + Math.min((k - epochs * per) * b, rows);
}

/**
 * Where iteration `it` sits on `axis`: it itself, it / batches per epoch, or the samples the
 * updates so far have used. A fractional `it` (a bucket's centre) is placed between its two
 * neighbours linearly.
 * @param {number} it  iterations done (≥ 0)
 * @param {Axis} axis
 * @param {RunShape} run
 */
export function axisValue(it, axis, run) {
  if (axis === "iterations") return it;
  const per = iterationsPerEpoch(run.mode, run.rows, run.batchSize);
  if (!per) return 0;
  if (axis === "epochs") return it / per;
  const lo = Math.floor(it);
  const a = samplesAfter(lo, run);
  return lo === it ? a : a + (samplesAfter(lo + 1, run) - a) * (it - lo);
}

/**
 * A run's points [iteration, value] on `axis`: {x, y}, in the order given.
 * @param {[number, number | null][]} points
 * @param {Axis} axis
 * @param {RunShape} run
 */
export function placePoints(points, axis, run) {
  return { x: points.map(([it]) => axisValue(it, axis, run)), y: points.map(([, v]) => v) };
}

/**
 * Several runs' series on one x: the sorted union of their x values and, per run, its value at
 * each x (null where it has no point; the chart spans the gaps). uPlot wants one shared x.
 * @param {{x: number[], y: (number | null)[]}[]} series
 * @returns {{x: number[], ys: (number | null)[][]}}
 */
export function alignSeries(series) {
  const xs = [...new Set(series.flatMap((s) => s.x))].sort((a, b) => a - b);
  const at = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((s) => {
    /** @type {(number | null)[]} */
    const out = new Array(xs.length).fill(null);
    s.x.forEach((x, i) => { out[/** @type {number} */ (at.get(x))] = s.y[i]; });
    return out;
  });
  return { x: xs, ys };
}

/**
 * The axis named in `text`, else iterations.
 * @param {string | null | undefined} text
 * @returns {Axis}
 */
export function readAxis(text) {
  return AXES.find((a) => a === text) ?? "iterations";
}
