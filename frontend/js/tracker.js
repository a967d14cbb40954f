// @ts-check
// Figure 2 in the store: the frame whose batch it highlights and, for shuffled rows, which
// batch of that frame's epoch each row was drawn into so far. Summary frames (train mode on
// large frames) carry the counters and the batch's rows too, so the figure follows every
// frame the page receives, not only the full ones the diagram needs. Pure: no DOM.

import { trackBatches } from "./partition.js";

/** @import { BatchFrame } from "./partition.js" */
/** @import { BatchTracker, State } from "./types.js" */

/**
 * The frame Figure 2 shows: the past one while replaying, else the newest of any detail.
 * @param {Pick<State, "replay" | "frame" | "latestFrame">} state
 * @returns {BatchFrame | null}
 */
export function figureFrame(state) {
  if (state.replay !== null) return state.frame;
  return state.latestFrame ?? state.frame;
}

/**
 * What Figure 2 knows of the shown frame's epoch: the replay's tracker while replaying, else
 * the live one (both null when the rows are not shuffled).
 * @param {Pick<State, "replay" | "batchTracker" | "replayTracker">} state
 * @returns {BatchTracker | null}
 */
export function figureTracker(state) {
  return state.replay !== null ? state.replayTracker : state.batchTracker;
}

/**
 * Whether the shown job's (else the form's) rows are reshuffled every epoch.
 * @param {Pick<State, "job" | "spec">} state
 */
function shuffled(state) {
  return Boolean((state.job?.spec ?? state.spec)?.training?.shuffle);
}

/**
 * `tracker` moved on from frame `was` to frame `now`: as it is when the frame, the data and
 * the shuffle stay; started over for other data; null unless the rows are shuffled (in their
 * own order the batches follow from the mode alone, partition.js).
 * @param {BatchTracker | null} tracker
 * @param {BatchFrame | null} was
 * @param {BatchFrame | null} now
 * @param {{same: boolean, rows: number, shuffle: boolean}} data  `same`: the data and shuffle did not change
 * @returns {BatchTracker | null}
 */
function follow(tracker, was, now, data) {
  if (now === was && data.same) return tracker;
  if (!now || !data.rows || !data.shuffle) return null;
  return trackBatches(data.same ? tracker : null, now, data.rows);
}

/**
 * `after` with its trackers following its frames: the live one the newest frame, the replay's
 * the past frame shown (kept apart, so that going back to live loses nothing of the epoch).
 * @template {State} S
 * @param {S} before  the state before an action
 * @param {S} after  the state the action made
 * @returns {S}
 */
export function withTracker(before, after) {
  const shuffle = shuffled(after);
  const data = { same: after.dataset === before.dataset && shuffle === shuffled(before),
    rows: after.dataset?.inputs?.length ?? 0, shuffle };
  const live = follow(before.batchTracker, before.latestFrame, after.latestFrame, data);
  const past = after.replay === null ? null
    : follow(before.replay === null ? null : before.replayTracker, before.replay === null ? null : before.frame,
      after.frame, data);
  if (live === after.batchTracker && past === after.replayTracker) return after;
  return { ...after, batchTracker: live, replayTracker: past };
}
