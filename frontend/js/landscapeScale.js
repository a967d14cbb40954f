// @ts-check
// The loss landscape's scales: the loss → colour map (log10, a surface spans decades), the
// N×N grid ↔ pixels mapping (first parameter to the right, second up) and picking on it —
// the cell under the pointer, the path's point nearest to it. Pure: numbers in, numbers out.

/** @typedef {import("./palette.js").RGB} RGB */
/** @typedef {{a: number[], b: number[], loss: (number | null)[][], path: [number, number][]}} Landscape */

// Viridis (perceptually uniform, readable in grey and for the common colour blindnesses):
// low loss dark violet, high loss yellow; the path is drawn in white over it.
/** @type {readonly RGB[]} */
export const SEQUENTIAL_STOPS = [
  [68, 1, 84],
  [65, 68, 135],
  [42, 120, 142],
  [34, 168, 132],
  [122, 209, 81],
  [253, 231, 37],
];
const MISSING_RGB = /** @type {RGB} */ ([154, 154, 154]); // a non-finite loss: color.js's MISSING, #9a9a9a

/**
 * [r, g, b] of the sequential scale at u ∈ [0, 1] (clamped), linear between stops.
 * @param {number} u
 * @returns {RGB}
 */
export function sequential(u) {
  const x = Math.max(0, Math.min(1, u)) * (SEQUENTIAL_STOPS.length - 1);
  const k = Math.min(Math.floor(x), SEQUENTIAL_STOPS.length - 2);
  const f = x - k;
  const [p, q] = [SEQUENTIAL_STOPS[k], SEQUENTIAL_STOPS[k + 1]];
  const at = (/** @type {number} */ c) => Math.round(p[c] + f * (q[c] - p[c]));
  return [at(0), at(1), at(2)];
}

/**
 * The colour scale of a grid: loss → u ∈ [0, 1], log10 between the finite min and max when
 * both are > 0, linear otherwise; a flat grid is all 0.5.
 * @param {readonly (readonly (number | null)[])[]} grid
 * @returns {{lo: number, hi: number, log: boolean, unit: (v: number | null) => number | null}}
 */
export function lossScale(grid) {
  let lo = Infinity;
  let hi = -Infinity;
  for (const row of grid) {
    for (const v of row) {
      if (typeof v === "number" && Number.isFinite(v)) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
    }
  }
  const log = lo > 0 && Number.isFinite(hi);
  const t = (/** @type {number} */ v) => (log ? Math.log10(v) : v);
  const [p, q] = Number.isFinite(lo) ? [t(lo), t(hi)] : [0, 0];
  const unit = (/** @type {number | null} */ v) => {
    if (typeof v !== "number" || !Number.isFinite(v)) return null;
    if (!(q > p)) return 0.5;
    return log && v <= 0 ? 0 : (t(v) - p) / (q - p);
  };
  return { lo, hi, log, unit };
}

/**
 * RGBA bytes of an N×N loss grid for an N×N image: pixel (x, row) shows loss[x][N − 1 − row],
 * so the second parameter grows upwards; non-finite cells are grey.
 * @param {readonly (readonly (number | null)[])[]} grid
 * @param {(v: number | null) => number | null} unit
 * @returns {Uint8ClampedArray<ArrayBuffer>}
 */
export function lossPixels(grid, unit) {
  const n = grid.length;
  const out = new Uint8ClampedArray(n * n * 4);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      const u = unit(grid[x][y]);
      const c = u === null ? MISSING_RGB : sequential(u);
      const o = ((n - 1 - y) * n + x) * 4;
      out[o] = c[0];
      out[o + 1] = c[1];
      out[o + 2] = c[2];
      out[o + 3] = 255;
    }
  }
  return out;
}

/**
 * The mapping between parameter values, grid indices and pixels of a width × height plot:
 * cell x spans [x, x + 1] · width / N, its centre is the value a[x]; b likewise, upwards.
 * @param {readonly number[]} a  the first parameter's N values, evenly spaced
 * @param {readonly number[]} b  the second's
 * @param {number} width
 * @param {number} height
 */
export function plotFrame(a, b, width, height) {
  const n = a.length;
  const step = (/** @type {readonly number[]} */ v) => (v.length > 1 ? (v[v.length - 1] - v[0]) / (v.length - 1) : 1);
  const [da, db] = [step(a), step(b)];
  return {
    /** grid indices (x, y), fractional → pixels */
    indexToPixel: (/** @type {number} */ x, /** @type {number} */ y) =>
      /** @type {[number, number]} */ ([((x + 0.5) * width) / n, height - ((y + 0.5) * height) / n]),
    /** parameter values → pixels */
    valueToPixel: (/** @type {number} */ va, /** @type {number} */ vb) =>
      /** @type {[number, number]} */ ([
        (((va - a[0]) / da + 0.5) * width) / n,
        height - (((vb - b[0]) / db + 0.5) * height) / n,
      ]),
    /** pixels → parameter values */
    pixelToValue: (/** @type {number} */ px, /** @type {number} */ py) =>
      /** @type {[number, number]} */ ([a[0] + ((px * n) / width - 0.5) * da, b[0] + (((height - py) * n) / height - 0.5) * db]),
    /** pixels → the cell [x, y] under them, or null outside the plot */
    cellAt: (/** @type {number} */ px, /** @type {number} */ py) => {
      const x = Math.floor((px * n) / width);
      const y = Math.floor(((height - py) * n) / height);
      return x >= 0 && x < n && y >= 0 && y < n ? /** @type {[number, number]} */ ([x, y]) : null;
    },
  };
}

/**
 * The index of the point of `points` (pixels) nearest to (px, py) within `radius`, or −1;
 * on a tie the later point (the newer one on a descent path).
 * @param {readonly [number, number][]} points
 * @param {number} px
 * @param {number} py
 * @param {number} radius
 */
export function nearestPoint(points, px, py, radius) {
  let best = -1;
  let bestD = radius * radius;
  for (let k = 0; k < points.length; k++) {
    const d = (points[k][0] - px) ** 2 + (points[k][1] - py) ** 2;
    if (d <= bestD) {
      best = k;
      bestD = d;
    }
  }
  return best;
}
