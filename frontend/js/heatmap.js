// The decision-surface grid of the 2-D data sets and its colouring. Pure: the view turns
// the RGBA bytes built here into an ImageData. The grid covers the square the TF Playground
// sets are drawn in, [−6, 6]², row 0 at the top (largest x2), as a canvas draws it.

import { divergingTable } from "./palette.js";

export const EXTENT = 6;

/** Centre of cell i of n along [lo, hi]. */
export function cellCentre(i, n, lo = -EXTENT, hi = EXTENT) {
  return lo + ((i + 0.5) * (hi - lo)) / n;
}

/**
 * The n × n cell centres as rows of [x1, x2], row-major from the top-left: index
 * r·n + c has x1 = centre(c) and x2 = centre(n − 1 − r).
 */
export function gridPoints(n = 60, lo = -EXTENT, hi = EXTENT) {
  return planePoints(n, { x: [lo, hi], y: [lo, hi] });
}

/**
 * The n × n cell centres of the box {x: [lo, hi], y: [lo, hi]} (x1 across, x2 up) as rows of
 * [x1, x2], row-major from the top-left, as gridPoints.
 */
export function planePoints(n, box) {
  const points = new Array(n * n);
  for (let r = 0; r < n; r++) {
    const x2 = cellCentre(n - 1 - r, n, box.y[0], box.y[1]);
    for (let c = 0; c < n; c++) points[r * n + c] = [cellCentre(c, n, box.x[0], box.x[1]), x2];
  }
  return points;
}

/** Canvas coordinate (0..size) of a data coordinate; `flip` for x2, which grows upwards. */
export function toPixel(v, size, flip = false, lo = -EXTENT, hi = EXTENT) {
  const f = (v - lo) / (hi - lo);
  return (flip ? 1 - f : f) * size;
}

/**
 * The value range the colour scale spans for a neuron's outputs: an activation's own
 * range where it has one, else symmetric about 0 around the largest |value| seen.
 */
export function activationRange(activation, values) {
  if (activation === "sigmoid" || activation === "softmax") return [0, 1];
  if (activation === "tanh") return [-1, 1];
  let m = 0;
  for (const v of values) if (Number.isFinite(v) && Math.abs(v) > m) m = Math.abs(v);
  return m > 0 ? [-m, m] : [-1, 1];
}

/** The range of the targets: [0, 1] for classes, else symmetric about 0 (at least ±1e−9). */
export function targetRange(kind, targets) {
  if (kind === "classification") return [0, 1];
  let m = 1e-9;
  for (const row of targets || []) for (const v of row) if (Math.abs(v) > m) m = Math.abs(v);
  return [-m, m];
}

/** The output column a 2-D surface shows: class 1's when the targets are one-hot pairs. */
export function shownOutput(nOutputs) {
  return nOutputs === 2 ? 1 : 0;
}

/** v mapped from [lo, hi] onto [−1, 1] (clamped); NaN stays NaN. */
export function toUnit(v, [lo, hi]) {
  if (v === null || Number.isNaN(v)) return NaN;
  const t = (2 * (v - lo)) / (hi - lo) - 1;
  return t < -1 ? -1 : t > 1 ? 1 : t;
}

const TABLES = new Map();
function table(f) {
  if (!TABLES.has(f)) TABLES.set(f, divergingTable(256, f));
  return TABLES.get(f);
}

/**
 * RGBA bytes (length 4·values.length) colouring each value over `range` with the
 * diverging palette, lightened by `lighten` (so that data points drawn on top in the full
 * colours stand out); a non-finite value is drawn mid-grey so a diverged net is visible.
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
