// @ts-check
// The loss history as the server keeps it: at most 1024 buckets of `width` consecutive
// iterations (bucket k covers iterations k·width + 1 … (k + 1)·width, the last one maybe
// partial), each with its first, last, lowest, highest and mean loss, and the test loss
// sampled on the job's own clock. The stream resends the buckets from `start` on (the last
// bucket as it fills); a new width or a reset resends everything. Pure: no DOM.

/** @import { ExactLosses, History, LossHistory, Num } from "./types.js" */
/** @typedef {"first" | "last" | "min" | "max" | "mean"} Column  a bucket statistic */
/**
 * @typedef {{x: number[], mean: Num[], min: Num[] | null, max: Num[] | null, test: Num[]}} ChartSeries
 *   the chart's columns, one value per x (min and max null for exact losses)
 */
/**
 * @typedef {Partial<LossHistory> & {reset?: boolean}} HistoryUpdate  a stream `history`
 *   message, or a snapshot's / GET /history's LossHistory
 */

/** @type {Column[]} */
export const COLUMNS = ["first", "last", "min", "max", "mean"];
export const MAX_EXACT = 65536; // GET /history?from&to answers fewer iterations than this

/**
 * A history without iterations.
 * @param {number} [version]
 * @returns {History}
 */
export function emptyHistory(version = 0) {
  return { iterations: 0, width: 1, first: [], last: [], min: [], max: [], mean: [], test: [], metrics: [], version };
}

/**
 * `list` cut to `start` items (padded with nulls if shorter), then `more` appended.
 * @template T
 * @param {T[]} list
 * @param {number} start
 * @param {T[] | null | undefined} more
 * @returns {(T | null)[]}
 */
function splice(list, start, more) {
  /** @type {(T | null)[]} */
  const out = list.slice(0, start);
  while (out.length < start) out.push(null);
  for (const v of more ?? []) out.push(v);
  return out;
}

/**
 * The history after a message {reset?, iterations, width, start, first…mean, test_start, test, metrics}
 * (a stream `history` message, or a snapshot's / GET /history's LossHistory with start 0).
 * @param {History} h
 * @param {HistoryUpdate} msg
 * @returns {History}
 */
export function applyHistory(h, msg) {
  const width = msg.width ?? h.width;
  const whole = Boolean(msg.reset) || width !== h.width;
  const start = whole ? 0 : Math.max(0, msg.start ?? 0);
  const testStart = whole ? 0 : Math.max(0, msg.test_start ?? 0);
  /** @type {History} */
  const next = { ...emptyHistory(h.version + 1), iterations: msg.iterations ?? h.iterations, width };
  for (const c of COLUMNS) next[c] = splice(h[c], start, msg[c]);
  // metric points [iteration, train, test, train acc, test acc] and the test list are cut at the
  // same index; a run without test rows sends no test points (so no padding is kept). The
  // viewer holds every point before `test_start` (the server counts them), so the metric
  // points get no padding either.
  next.metrics = /** @type {History["metrics"]} */ (splice(h.metrics ?? [], testStart, msg.metrics));
  next.test = splice(h.test, testStart, msg.test).filter(isPoint);
  return next;
}

/**
 * True for a test point (not the padding of a cut).
 * @param {[number, Num] | null} p
 * @returns {p is [number, Num]}
 */
const isPoint = (p) => Array.isArray(p);

/**
 * Iterations [lo, hi] of bucket k.
 * @param {Pick<History, "width" | "iterations">} h
 * @param {number} k
 * @returns {[number, number]}
 */
export function bucketSpan(h, k) {
  const lo = k * h.width + 1;
  return [lo, Math.max(lo, Math.min((k + 1) * h.width, h.iterations))];
}

/**
 * What the chart draws from the buckets: x the bucket's centre iteration, its mean, min and
 * max loss, and the test loss sampled inside it (the latest such, else null).
 * @param {History} h
 * @returns {ChartSeries}
 */
export function bucketSeries(h) {
  const n = h.mean.length;
  const x = new Array(n);
  for (let k = 0; k < n; k++) {
    const [lo, hi] = bucketSpan(h, k);
    x[k] = (lo + hi) / 2;
  }
  const test = new Array(n).fill(null);
  for (const [it, v] of h.test) {
    const k = Math.floor((it - 1) / h.width);
    if (k >= 0 && k < n && v !== null) test[k] = v;
  }
  return { x, mean: h.mean.slice(), min: h.min.slice(), max: h.max.slice(), test };
}

/**
 * What the chart draws from exact losses {from, to, loss}: one point per iteration.
 * @param {ExactLosses & {loss: Num[]}} zoom
 * @param {[number, Num][]} [tests]
 * @returns {ChartSeries}
 */
export function exactSeries(zoom, tests = []) {
  const n = zoom.loss.length;
  const x = Array.from({ length: n }, (_, i) => zoom.from + i);
  const test = new Array(n).fill(null);
  for (const [it, v] of tests) {
    const i = it - zoom.from;
    if (i >= 0 && i < n && v !== null) test[i] = v;
  }
  return { x, mean: zoom.loss.slice(), min: null, max: null, test };
}

/**
 * The iterations a selection from x = a to x = b covers: {from, to, exact} with exact true when
 * GET /history?from&to can answer it, null when it holds no iteration of the run.
 * @param {number} a
 * @param {number} b
 * @param {number} iterations
 * @returns {{from: number, to: number, exact: boolean} | null}
 */
export function zoomRange(a, b, iterations) {
  const from = Math.max(1, Math.ceil(Math.min(a, b)));
  const to = Math.min(iterations, Math.floor(Math.max(a, b)));
  if (!(to >= from)) return null;
  return { from, to, exact: to - from < MAX_EXACT };
}

/**
 * The newest loss and test loss the history holds (for the chart's read-out).
 * @param {History} h
 * @returns {{iteration: number, loss: Num, test: Num}}
 */
export function latest(h) {
  const n = h.last.length;
  return { iteration: h.iterations, loss: n ? h.last[n - 1] : null, test: h.test.at(-1)?.[1] ?? null };
}
