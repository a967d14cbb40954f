// @ts-check
// Replay: the diagram, the equations and the batches show a past iteration (a frame from
// GET /trace?iteration=N) while the job's newest one is kept aside, so that live frames still
// move the counters and the chart, and "back to live" has the newest frame at hand. Pure.

import { showFrame } from "./frame.js";

/** @import { Frame, FullFrame, LiveKept, State } from "./types.js" */

/**
 * The state showing past frame `frame`; at the job's newest iteration it is live again.
 * @param {State} state
 * @param {FullFrame} frame
 * @returns {State}
 */
export function withReplay(state, frame) {
  if (!Array.isArray(frame.layers)) return state;
  const live = state.replay === null
    ? { frame: state.frame, weights: state.weights, prevWeights: state.prevWeights }
    : state.live;
  const next = showFrame(state, frame);
  if (frame.iteration >= state.counters.iteration) return { ...next, replay: null, live: null };
  return { ...next, replay: frame.iteration, live };
}

/**
 * While replaying: `frame` (the job's newest, full or summary) is kept for "back to live".
 * Otherwise: back to live, showing the newest frame kept.
 * @param {State} state
 * @param {Frame | null} [frame]
 * @returns {State}
 */
export function withLive(state, frame = null) {
  if (state.replay === null) return state;
  if (frame) {
    /** @type {Partial<LiveKept>} */
    const live = state.live ?? {};
    const full = Array.isArray(/** @type {FullFrame} */ (frame).layers);
    return { ...state, live: {
      frame: full ? /** @type {FullFrame} */ (frame) : live.frame ?? null,
      weights: frame.weights,
      prevWeights: full ? null : live.weights ?? frame.weights, // a full frame's: derived on return
    } };
  }
  /** @type {Partial<LiveKept>} */
  const kept = state.live ?? {};
  const { frame: newest, weights, prevWeights } = kept;
  const back = { ...state, replay: null, live: null };
  if (newest && newest.weights === weights) return showFrame(back, newest);
  return { ...back, frame: newest ?? null, weights: weights ?? state.weights, prevWeights: prevWeights ?? weights ?? null };
}
