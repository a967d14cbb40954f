// @ts-check
// The whole-set numbers the read-outs show: the loss of each row on its own averaged over the
// whole training and test sets, and the accuracy of a classifier, at the weights after some
// iteration (the server computes them at epoch ends, pauses, steps and the run's end). Pure.

/** @import { MetricPoint, Num, State } from "./types.js" */
/**
 * @typedef {{iteration: number | null, epoch: number | null, train_loss: Num, test_loss: Num,
 *   train_accuracy: Num, test_accuracy: Num}} ShownMetrics  Metrics, null where there are none
 */

/** @type {ShownMetrics} */
const NONE = { iteration: null, epoch: null, train_loss: null, test_loss: null, train_accuracy: null, test_accuracy: null };

/**
 * A history metrics point [iteration, train_loss, test_loss, train_accuracy, test_accuracy] as an object.
 * @param {MetricPoint} p
 * @returns {ShownMetrics}
 */
export function metricPoint(p) {
  return { iteration: p[0], epoch: null, train_loss: p[1], test_loss: p[2], train_accuracy: p[3], test_accuracy: p[4] };
}

/**
 * The metrics the page shows: live, the job's newest (its view and every frame carry them);
 * while a past iteration is replayed, the history's last metric point at or before it. Each
 * value is null where there is none (no test set, a regression's accuracy, nothing yet).
 * @param {Pick<State, "job" | "replay" | "history">} s
 * @returns {ShownMetrics}
 */
export function shownMetrics(s) {
  if (!s.job) return NONE;
  if (s.replay !== null && s.replay !== undefined) {
    const points = s.history?.metrics ?? [];
    /** @type {MetricPoint | null} */
    let best = null;
    for (const p of points) if (p[0] <= s.replay && (!best || p[0] >= best[0])) best = p;
    return best ? metricPoint(best) : NONE;
  }
  return { ...NONE, ...(s.job.metrics ?? {}) };
}

/**
 * True when the batch loss of the frame shown may be read: not while its forward pass plays.
 * @param {Pick<State, "mode" | "phase">} s
 * @returns {boolean}
 */
export function lossRevealed(s) {
  return !(s.mode === "explain" && s.phase === "forward");
}
