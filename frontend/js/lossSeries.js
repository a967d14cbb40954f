// @ts-check
// What the loss chart draws, on one x axis: the batch losses (per bucket of iterations its mean
// and its lowest to highest, or every iteration's exact loss when zoomed in) and the whole-set
// training and test losses at each metric point (the history's `metrics`: the loss of each row
// on its own averaged over the whole set, at epoch ends). Pure: no DOM.

import { bucketSeries, bucketSpan, exactSeries } from "./history.js";

/** @import { History, Num } from "./types.js" */
/** @typedef {[number, Num, Num]} WholeSetPoint  [iteration, train loss, test loss] */
/**
 * @typedef {{x: number[], mean: Num[], min: Num[] | null, max: Num[] | null, train: Num[],
 *   test: Num[]}} LossColumns  the chart's columns, one value per x
 */
/** @typedef {{from: number, to: number, loss?: Num[] | null}} ZoomRange  a kept range, maybe with its exact losses */

/**
 * The whole-set points [iteration, train, test] of a history, oldest first.
 * @param {Pick<History, "metrics" | "test">} h
 * @returns {WholeSetPoint[]}
 */
export function wholeSetPoints(h) {
  if (Array.isArray(h.metrics) && h.metrics.length) return h.metrics.map((p) => [p[0], p[1] ?? null, p[2] ?? null]);
  return (h.test ?? []).map(([it, v]) => /** @type {WholeSetPoint} */ ([it, null, v ?? null])); // a server without metrics
}

/**
 * The chart's columns {x, mean, min, max, train, test} (min and max null when exact): the
 * batch-loss points and the whole-set points merged by x, each series null where it has no
 * point. `zoom` = {from, to, loss?} keeps a range (exact losses when it has them); nothing past
 * iteration `upTo` is drawn (the iteration whose forward pass plays has no ℓ yet).
 * @param {History} h
 * @param {ZoomRange | null} [zoom]
 * @param {number} [upTo]
 * @returns {LossColumns}
 */
export function lossSeries(h, zoom = null, upTo = Infinity) {
  const loss = zoom?.loss;
  const exact = Boolean(loss);
  const base = zoom && loss ? exactSeries({ ...zoom, loss }, []) : bucketSeries(h);
  /** @param {number} x */
  const inRange = (x) => !zoom || (x >= zoom.from && x <= zoom.to);
  /** @type {number[]} */
  const keep = [];
  base.x.forEach((x, i) => {
    const first = exact ? x : bucketSpan(h, i)[0];
    if (inRange(x) && first <= upTo) keep.push(i);
  });
  const points = wholeSetPoints(h).filter(([it]) => inRange(it) && it <= upTo);
  /** @type {LossColumns} */
  const out = { x: [], mean: [], min: exact ? null : [], max: exact ? null : [], train: [], test: [] };
  /**
   * One x: bucket or exact point `b` of the base series and whole-set point `p`, each maybe null.
   * @param {number} x
   * @param {number | null} b
   * @param {WholeSetPoint | null} p
   */
  const push = (x, b, p) => {
    out.x.push(x);
    out.mean.push(b === null ? null : base.mean[b]);
    if (out.min && out.max && base.min && base.max) {
      out.min.push(b === null ? null : base.min[b]);
      out.max.push(b === null ? null : base.max[b]);
    }
    out.train.push(p?.[1] ?? null);
    out.test.push(p?.[2] ?? null);
  };
  let i = 0;
  let j = 0;
  while (i < keep.length || j < points.length) {
    const bx = i < keep.length ? base.x[keep[i]] : Infinity;
    const px = j < points.length ? points[j][0] : Infinity;
    if (bx === px) push(bx, keep[i++], points[j++]);
    else if (bx < px) push(bx, keep[i++], null);
    else push(px, null, points[j++]);
  }
  return out;
}

/**
 * The newest whole-set point at or before `upTo`: {iteration, train, test}, or null.
 * @param {Pick<History, "metrics" | "test">} h
 * @param {number} [upTo]
 * @returns {{iteration: number, train: Num, test: Num} | null}
 */
export function latestWholeSet(h, upTo = Infinity) {
  const p = wholeSetPoints(h).filter(([it]) => it <= upTo).at(-1);
  return p ? { iteration: p[0], train: p[1], test: p[2] } : null;
}
