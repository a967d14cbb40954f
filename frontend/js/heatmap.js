// @ts-check
// The decision-surface grid of the 2-D data sets and its colouring. Pure: the view turns
// the RGBA bytes built here into an ImageData. The grid covers the square the TF Playground
// sets are drawn in, [−6, 6]², row 0 at the top (largest x2), as a canvas draws it.

import { divergingTable } from "./palette.js";

/** @import { Num } from "./types.js" */
/** @typedef {[number, number]} Range  [lo, hi] of a colour scale */
/** @typedef {{x: Range, y: Range}} Box  x1 across, x2 up */

export const EXTENT = 6;

/**
 * Centre of cell i of n along [lo, hi].
 * @param {number} i
 * @param {number} n
 * @param {number} [lo]
 * @param {number} [hi]
 * @returns {number}
 */
export function cellCentre(i, n, lo = -EXTENT, hi = EXTENT) {
  return lo + ((i + 0.5) * (hi - lo)) / n;
}

/**
 * The n × n cell centres as rows of [x1, x2], row-major from the top-left: index
 * r·n + c has x1 = centre(c) and x2 = centre(n − 1 − r).
 * @param {number} [n]
 * @param {number} [lo]
 * @param {number} [hi]
 * @returns {[number, number][]}  (n², 2)
 */
export function gridPoints(n = 60, lo = -EXTENT, hi = EXTENT) {
  return planePoints(n, { x: [lo, hi], y: [lo, hi] });
}

/**
 * The n × n cell centres of the box {x: [lo, hi], y: [lo, hi]} (x1 across, x2 up) as rows of
 * [x1, x2], row-major from the top-left, as gridPoints.
 * @param {number} n
 * @param {Box} box
 * @returns {[number, number][]}  (n², 2)
 */
export function planePoints(n, box) {
  /** @type {[number, number][]} */
  const points = new Array(n * n);
  for (let r = 0; r < n; r++) {
    const x2 = cellCentre(n - 1 - r, n, box.y[0], box.y[1]);
    for (let c = 0; c < n; c++) points[r * n + c] = [cellCentre(c, n, box.x[0], box.x[1]), x2];
  }
  return points;
}

/**
 * Canvas coordinate (0..size) of a data coordinate; `flip` for x2, which grows upwards.
 * @param {Num} v  a data set's value (null, which a data set never holds, counts as 0)
 * @param {number} size
 * @param {boolean} [flip]
 * @param {number} [lo]
 * @param {number} [hi]
 * @returns {number}
 */
export function toPixel(v, size, flip = false, lo = -EXTENT, hi = EXTENT) {
  const f = (Number(v) - lo) / (hi - lo);
  return (flip ? 1 - f : f) * size;
}

/**
 * The value range the colour scale spans for a neuron's outputs: an activation's own
 * range where it has one, else symmetric about 0 around the largest |value| seen.
 * @param {string} activation
 * @param {Iterable<Num>} values
 * @returns {Range}
 */
export function activationRange(activation, values) {
  if (activation === "sigmoid" || activation === "softmax") return [0, 1];
  if (activation === "tanh") return [-1, 1];
  let m = 0;
  for (const v of values) if (v !== null && Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? [-m, m] : [-1, 1];
}

/**
 * The range of the targets: [0, 1] for classes, else symmetric about 0 (at least ±1e−9).
 * @param {string} kind
 * @param {Iterable<Iterable<Num>> | null | undefined} targets  rows of targets
 * @returns {Range}
 */
export function targetRange(kind, targets) {
  if (kind === "classification") return [0, 1];
  let m = 1e-9;
  for (const row of targets || []) for (const v of row) if (v !== null && Math.abs(v) > m) m = Math.abs(v);
  return [-m, m];
}

/**
 * The output column a 2-D surface shows: class 1's when the targets are one-hot pairs.
 * @param {number} nOutputs
 * @returns {number}
 */
export function shownOutput(nOutputs) {
  return nOutputs === 2 ? 1 : 0;
}

/**
 * v mapped from [lo, hi] onto [−1, 1] (clamped); NaN stays NaN.
 * @param {Num | undefined} v  null (and undefined) as NaN
 * @param {Range} range
 * @returns {number}
 */
export function toUnit(v, [lo, hi]) {
  if (v === undefined) return NaN; // as the arithmetic below would make it
  if (v === null || Number.isNaN(v)) return NaN;
  const t = (2 * (v - lo)) / (hi - lo) - 1;
  return t < -1 ? -1 : t > 1 ? 1 : t;
}

/** @type {Map<number, ReturnType<typeof divergingTable>>} */
const TABLES = new Map();

/**
 * The palette table lightened by `f`, made once.
 * @param {number} f
 * @returns {ReturnType<typeof divergingTable>}
 */
function table(f) {
  let t = TABLES.get(f);
  if (!t) TABLES.set(f, (t = divergingTable(256, f)));
  return t;
}

/**
 * RGBA bytes (length 4·values.length) colouring each value over `range` with the
 * diverging palette, lightened by `lighten` (so that data points drawn on top in the full
 * colours stand out); a non-finite value is drawn mid-grey so a diverged net is visible.
 * @param {ArrayLike<Num>} values
 * @param {Range} range
 * @param {number} [lighten]
 * @param {Uint8ClampedArray} [out]  (4·values.length) bytes, written in place
 * @returns {Uint8ClampedArray}
 */
export function fillRGBA(values, range, lighten = 0, out = new Uint8ClampedArray(values.length * 4)) {
  const TABLE = table(lighten);
  for (let p = 0; p < values.length; p++) {
    const t = toUnit(values[p], range);
    const o = p * 4;
    if (Number.isNaN(t)) {
      out[o] = out[o + 1] = out[o + 2] = 128;
    } else {
      const i = Math.round(((t + 1) / 2) * 255) * 3;
      out[o] = TABLE[i];
      out[o + 1] = TABLE[i + 1];
      out[o + 2] = TABLE[i + 2];
    }
    out[o + 3] = 255;
  }
  return out;
}
