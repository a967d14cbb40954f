// @ts-check
// Iso-lines of the loss landscape: the levels to draw (log-spaced or quantiles, since a loss
// surface spans decades) and, for each, the open polylines where the N×N grid crosses it, by
// d3-contour's marching squares. Pure: arrays in, arrays out, no DOM.
//
// Coordinates are grid indices: the point (x, y) is the first parameter at a[x] and the second
// at b[y] (loss[x][y]); a line ends at the outermost values (0 or N − 1).

import "../vendor/d3-array/d3-array.js"; // d3-contour reads d3-array from globalThis.d3
import "../vendor/d3-contour/d3-contour.js";

/** @typedef {[number, number]} Point  (x, y) in grid indices */
/** @typedef {{level: number, lines: Point[][]}} IsoLine  every polyline of one level */
/**
 * @typedef {{ size: (s: [number, number]) => ContourGenerator,
 *   thresholds: (t: number[]) => ContourGenerator,
 *   smooth: (s: boolean) => ContourGenerator,
 *   (values: ArrayLike<number>): {value: number, coordinates: Point[][][]}[] }} ContourGenerator
 */

/** d3's contour generator (the vendored UMD build puts it on globalThis.d3). */
function generator() {
  const d3 = /** @type {{contours?: () => ContourGenerator}} */ (/** @type {any} */ (globalThis).d3 ?? {});
  if (typeof d3.contours !== "function") throw new Error("d3-contour is not loaded");
  return d3.contours();
}

/**
 * The finite values of an N×N grid (null, NaN and ±Infinity left out), sorted ascending.
 * @param {readonly (readonly (number | null)[])[]} grid
 * @returns {number[]}
 */
export function finiteValues(grid) {
  const out = [];
  for (const row of grid) for (const v of row) if (typeof v === "number" && Number.isFinite(v)) out.push(v);
  return out.sort((p, q) => p - q);
}

/**
 * `count` levels strictly between the grid's finite min and max: evenly spaced in log10 when
 * every finite value is > 0 (a loss spans decades), else evenly spaced; none for a flat grid.
 * @param {readonly (readonly (number | null)[])[]} grid
 * @param {number} [count]
 * @returns {number[]}
 */
export function logLevels(grid, count = 10) {
  const values = finiteValues(grid);
  if (values.length === 0 || count < 1) return [];
  const lo = values[0];
  const hi = values[values.length - 1];
  if (!(hi > lo)) return [];
  const log = lo > 0;
  const [p, q] = log ? [Math.log10(lo), Math.log10(hi)] : [lo, hi];
  const out = [];
  for (let k = 1; k <= count; k++) {
    const t = p + ((q - p) * k) / (count + 1);
    out.push(log ? 10 ** t : t);
  }
  return out;
}

/**
 * `count` levels at the grid's quantiles k / (count + 1) (linear between order statistics),
 * duplicates dropped: as many lines in a deep narrow valley as on the flat plateau.
 * @param {readonly (readonly (number | null)[])[]} grid
 * @param {number} [count]
 * @returns {number[]}
 */
export function quantileLevels(grid, count = 10) {
  const values = finiteValues(grid);
  if (values.length === 0) return [];
  const lo = values[0];
  const hi = values[values.length - 1];
  /** @type {number[]} */
  const out = [];
  for (let k = 1; k <= count; k++) {
    const pos = ((values.length - 1) * k) / (count + 1);
    const i = Math.floor(pos);
    const v = values[i] + (pos - i) * ((values[Math.min(i + 1, values.length - 1)] ?? values[i]) - values[i]);
    if (v > lo && v < hi && out[out.length - 1] !== v) out.push(v);
  }
  return out;
}

/**
 * The polylines of one closed ring of d3's output, in grid indices, with the stretches that
 * run along the grid's border (d3 closes every ring there) cut out.
 * @param {Point[]} ring  d3's coordinates: cell centres at index + 0.5, the edge at 0 and N
 * @param {number} n
 * @returns {Point[][]}
 */
export function openRing(ring, n) {
  const m = ring.length - 1; // d3 repeats the first point at the end
  if (m < 2) return [];
  // d3 pads the grid with a ring of cells below every level: its points on the border (0 or N)
  // are not crossings of the surface, and a segment that touches one is left out
  const pad = (/** @type {Point} */ [x, y]) => x <= 0 || x >= n || y <= 0 || y >= n;
  const edge = (/** @type {number} */ k) => pad(ring[k % m]) || pad(ring[(k + 1) % m]); // segment k → k + 1
  // start where a stretch along the edge ends, so that no line is split at the ring's seam
  let start = -1;
  for (let k = 0; k < m; k++) if (edge(k + m - 1) && !edge(k)) start = start < 0 ? k : start;
  const shift = (/** @type {number} */ k) => /** @type {Point} */ ([ring[k % m][0] - 0.5, ring[k % m][1] - 0.5]);
  if (start < 0) {
    if (edge(0)) return []; // the ring is the grid's border
    return [Array.from({ length: m + 1 }, (_, k) => shift(k))]; // closed, inside the grid
  }
  /** @type {Point[][]} */
  const lines = [];
  /** @type {Point[]} */
  let line = [shift(start)];
  for (let s = 0; s < m; s++) {
    const k = start + s;
    if (edge(k)) {
      if (line.length > 1) lines.push(line);
      line = [shift(k + 1)];
    } else {
      line.push(shift(k + 1));
    }
  }
  if (line.length > 1) lines.push(line);
  return lines;
}

/**
 * The iso-lines of `grid` (loss[x][y], N×N) at `levels`. A null or non-finite cell counts as
 * higher than every level (a diverged loss), so lines go round it. Interpolation is in log10
 * when every finite value is > 0, where the levels are evenly spaced.
 * @param {readonly (readonly (number | null)[])[]} grid
 * @param {readonly number[]} levels
 * @returns {IsoLine[]}
 */
export function isoLines(grid, levels) {
  const n = grid.length;
  const values = finiteValues(grid);
  if (n < 2 || values.length === 0 || levels.length === 0) return [];
  const log = values[0] > 0 && levels.every((l) => l > 0);
  const t = (/** @type {number} */ v) => (log ? Math.log10(v) : v);
  const top = t(values[values.length - 1]);
  const above = top + Math.max(1, Math.abs(top)); // where the loss is not finite
  // d3 reads values[x + y·N]: x along a row of its image; here x is the first parameter's index
  const flat = new Float64Array(n * n);
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < n; y++) {
      const v = grid[x][y];
      flat[x + y * n] = typeof v === "number" && Number.isFinite(v) ? t(v) : above;
    }
  }
  const shapes = generator().size([n, n]).thresholds(levels.map(t))(flat);
  return shapes.map((shape, k) => ({
    level: levels[k],
    lines: shape.coordinates.flatMap((polygon) => polygon.flatMap((ring) => openRing(ring, n))),
  }));
}
