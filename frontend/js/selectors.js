// @ts-check
// What the views read off the state beyond its fields: who controls the job, the counters
// shown, the shown sizes of a wide network, the frame and tracker Figure 2 draws. Pure: no DOM.

/** @import { Counters, State } from "./types.js" */

export { shownSamples, shownSizes, sizesOf, weightsBefore } from "./frame.js";
export { figureFrame, figureTracker } from "./tracker.js";

/**
 * True when the page holds the key of the attached job: its controls are the page's.
 * @param {State} state
 */
export function owns(state) {
  return Boolean(state.job && state.ownIds.includes(state.job.id));
}

/**
 * True when the page may start or train a job: a preview (a job is made) or a job it owns.
 * @param {State} state
 */
export function canTrain(state) {
  return !state.job || owns(state);
}

/**
 * The read-outs' epoch, batch, iteration and losses: the shown frame's while replaying.
 * @param {State} state
 * @returns {Counters}
 */
export function shownCounters(state) {
  const f = state.frame;
  if (state.replay === null || !f) return state.counters;
  return { epoch: f.epoch + 1, batch: f.batch + 1, iteration: f.iteration, loss: f.loss, test_loss: f.test_loss,
    max_delta: f.max_delta ?? null };
}
