// @ts-check
// Figure 2: how one epoch's training rows are partitioned into batches, in the three
// scenarios (batch, stochastic and mini-batch gradient descent). Pure, mirrors the
// engine's batching: consecutive groups of the epoch's row order, the last one possibly short.

/** @import { BatchTracker, Frame, Mode } from "./types.js" */
/** @typedef {Pick<Frame, "epoch" | "batch" | "iteration" | "rows">} BatchFrame  what Figure 2 reads of a frame */

export const MODE_NAMES = {
  batch: "Batch gradient descent",
  sgd: "Stochastic gradient descent",
  minibatch: "Mini-batch gradient descent",
};

/**
 * Rows per batch for `mode`: all of them (batch), 1 (sgd) or min(batchSize, rows).
 * @param {Mode} mode
 * @param {number} nRows
 * @param {number} batchSize
 */
export function effectiveBatchSize(mode, nRows, batchSize) {
  if (nRows < 1) return 0;
  if (mode === "batch") return nRows;
  if (mode === "sgd") return 1;
  return Math.max(1, Math.min(Math.floor(batchSize) || 1, nRows));
}

/**
 * Iterations (weight updates) per epoch: 1, nRows, or ⌈nRows / batchSize⌉.
 * @param {Mode} mode
 * @param {number} nRows
 * @param {number} batchSize
 */
export function iterationsPerEpoch(mode, nRows, batchSize) {
  const b = effectiveBatchSize(mode, nRows, batchSize);
  return b ? Math.ceil(nRows / b) : 0;
}

/**
 * The [start, stop) slices of one epoch's order: [0, b), [b, 2b), …
 * @param {Mode} mode
 * @param {number} nRows
 * @param {number} batchSize
 */
export function slices(mode, nRows, batchSize) {
  const b = effectiveBatchSize(mode, nRows, batchSize);
  /** @type {[number, number][]} */
  const out = [];
  for (let start = 0; b && start < nRows; start += b) out.push([start, Math.min(start + b, nRows)]);
  return out;
}

/**
 * The batch (0-based) each row falls in when rows are taken in their own order (no
 * shuffle): an Int32Array of length nRows. Figure 2's six rows give one group (batch),
 * six groups (sgd) or three groups of two (minibatch, batchSize 2).
 * @param {Mode} mode
 * @param {number} nRows
 * @param {number} batchSize
 */
export function groupsInOrder(mode, nRows, batchSize) {
  const groups = new Int32Array(Math.max(0, nRows));
  slices(mode, nRows, batchSize).forEach(([a, b], g) => groups.fill(g, a, b));
  return groups;
}

/**
 * The number of distinct groups in a grouping (−1, "not known yet", is not a group).
 * @param {ArrayLike<number> & Iterable<number>} groups
 */
export function groupCount(groups) {
  let max = -1;
  for (const g of groups) if (g > max) max = g;
  return max + 1;
}

/**
 * Follows a shuffled run: which batch each row was drawn into during the frame's epoch.
 * A frame tells its epoch, its batch index and its rows; rows of batches not yet seen this
 * epoch stay −1 (unknown). Returns a new tracker; the input tracker is not changed.
 * Frames may skip iterations (the server drops frames for slow viewers): the rows of a
 * skipped batch are simply not known.
 * @param {BatchTracker | null} tracker
 * @param {BatchFrame | null} frame
 * @param {number} nRows
 * @returns {BatchTracker | null}
 */
export function trackBatches(tracker, frame, nRows) {
  if (!frame || !Array.isArray(frame.rows)) return tracker;
  const fresh = !tracker || tracker.epoch !== frame.epoch || tracker.groups.length !== nRows;
  const groups = fresh ? new Int32Array(nRows).fill(-1) : Int32Array.from(tracker.groups);
  for (const r of frame.rows) if (r >= 0 && r < nRows) groups[r] = frame.batch;
  return { epoch: frame.epoch, groups };
}

/**
 * The grouping to draw: rows in their own order when shuffle is off, else what the
 * tracker has seen of the frame's epoch (all −1 before the first frame).
 * @param {{mode: Mode, batchSize: number, shuffle: boolean, nRows: number, tracker: BatchTracker | null}} how
 * @returns {Int32Array}
 */
export function rowGroups({ mode, batchSize, shuffle, nRows, tracker }) {
  if (!shuffle) return groupsInOrder(mode, nRows, batchSize);
  if (tracker && tracker.groups.length === nRows) return tracker.groups;
  return new Int32Array(Math.max(0, nRows)).fill(-1);
}

/**
 * "epoch 3 · batch 2/3 · iteration 8", 1-based, from a frame (0-based epoch and batch).
 * @param {BatchFrame | null} frame
 * @param {number} perEpoch
 */
export function counterText(frame, perEpoch) {
  if (!frame) return `epoch – · batch –/${perEpoch || "–"} · iteration 0`;
  return `epoch ${frame.epoch + 1} · batch ${frame.batch + 1}/${perEpoch} · iteration ${frame.iteration}`;
}
