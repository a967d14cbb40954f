// @ts-check
// How what the server says about the attached job changes the state: the stream's messages
// (snapshot, frame, history, status, error) and the job views the REST routes answer with.
// Pure: no DOM, no network; each function returns a new state.

import { keepSelected, showFrame, sizesOf } from "./frame.js";
import { applyHistory, emptyHistory } from "./history.js";
import { withLive } from "./replay.js";

/** @import { Counters, Frame, FullFrame, History, HistoryMessage, JobView, Num, ServerMessage, SnapshotMessage, State, Status } from "./types.js" */

/**
 * Parse one WebSocket text message; throws on anything but a JSON object with a type.
 * @param {string} text
 * @returns {ServerMessage}
 */
export function decode(text) {
  const message = JSON.parse(text);
  if (message === null || typeof message !== "object" || typeof message.type !== "string") {
    throw new TypeError("stream: a message must be a JSON object with a type");
  }
  return message;
}

/**
 * The counters of a job view (its batch is not in the view: 0 until a frame says).
 * @param {{epoch: number, iteration: number, loss: Num, test_loss: Num}} job
 * @returns {Counters}
 */
export function counterFromJob(job) {
  return { epoch: job.epoch, batch: 0, iteration: job.iteration, loss: job.loss, test_loss: job.test_loss };
}

/**
 * A frame of the job as it trains: counters always, the shown frame only when live.
 * @param {State} state
 * @param {Frame} frame
 * @returns {State}
 */
export function withFrame(state, frame) {
  const counters = {
    epoch: frame.epoch + 1,
    batch: frame.batch + 1,
    iteration: frame.iteration,
    loss: frame.loss,
    test_loss: frame.test_loss,
    max_delta: frame.max_delta ?? null,
  };
  const job = state.job
    ? { ...state.job, status: frame.status === "running" ? state.job.status : /** @type {Status} */ (frame.status),
        iteration: frame.iteration, loss: frame.loss, test_loss: frame.test_loss,
        metrics: frame.metrics ?? state.job.metrics ?? null }
    : state.job;
  const base = { ...state, counters, job, latestFrame: frame };
  if (state.replay !== null) return withLive(base, frame);
  if (Array.isArray(/** @type {FullFrame} */ (frame).layers)) return showFrame(base, /** @type {FullFrame} */ (frame));
  const next = { ...base, weights: frame.weights, prevWeights: state.weights ?? frame.weights };
  next.selected = keepSelected(state.selected, sizesOf(frame.weights), state.selectedByUser);
  return next;
}

/**
 * @param {State} state
 * @param {HistoryMessage | (Partial<HistoryMessage> & {reset: boolean})} msg
 * @returns {State}
 */
function withHistory(state, msg) {
  const next = { ...state, history: /** @type {History} */ (applyHistory(state.history, msg)) };
  if (msg.reset) next.zoom = null;
  return next;
}

/**
 * A job view, streamed or answered by a REST route: another job's only updates the list.
 * @param {State} state
 * @param {JobView} job
 * @returns {State}
 */
export function withStatus(state, job) {
  if (state.job && job.id !== state.job.id) {
    return { ...state, jobs: upsert(state.jobs, job) };
  }
  const next = { ...state, job, jobs: upsert(state.jobs, job) };
  if (job.iteration < state.counters.iteration || job.iteration === 0) {
    // a reset: back to the initial weights, nothing trained yet
    next.frame = null;
    next.latestFrame = null;
    next.prevWeights = null;
    next.replay = null;
    next.live = null;
    next.zoom = null;
    next.counters = counterFromJob(job);
    if (job.iteration === 0 && state.counters.iteration > 0) next.weights = null;
  } else if (job.iteration > state.counters.iteration) {
    next.counters = { ...state.counters, iteration: job.iteration, loss: job.loss, test_loss: job.test_loss };
  }
  return next;
}

/**
 * A control route's answer. It may arrive after frames of later iterations (the stream and
 * the request are not ordered): then the job's settings and message are taken, its numbers not.
 * @param {State} state
 * @param {JobView} job
 * @returns {State}
 */
export function withAnswer(state, job) {
  const current = state.job;
  if (!current || job.id !== current.id || job.iteration >= state.counters.iteration) return withStatus(state, job);
  const kept = { ...job, status: current.status, iteration: current.iteration, epoch: current.epoch,
    loss: current.loss, test_loss: current.test_loss, metrics: current.metrics ?? job.metrics };
  return { ...state, job: kept, jobs: upsert(state.jobs, kept) };
}

/**
 * The answer of POST /reset: the view of the job at iteration 0, its loss history empty.
 * @param {State} state
 * @param {JobView} job
 * @returns {State}
 */
export function withReset(state, job) {
  if (state.job && job.id !== state.job.id) return withStatus(state, job);
  return withStatus({ ...state, history: emptyHistory(state.history.version + 1), zoom: null }, job);
}

/**
 * @param {JobView[]} jobs
 * @param {JobView} job
 */
function upsert(jobs, job) {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i < 0) return [...jobs, job];
  const out = jobs.slice();
  out[i] = job;
  return out;
}

/**
 * @param {State} state
 * @param {SnapshotMessage} msg
 * @returns {State}
 */
function withSnapshot(state, msg) {
  /** @type {State} */
  const base = {
    ...state,
    job: msg.job,
    jobs: upsert(state.jobs, msg.job),
    dataset: msg.dataset ?? null,
    weights: msg.weights ?? null,
    prevWeights: msg.weights ?? null,
    frame: null,
    latestFrame: null,
    counters: counterFromJob(msg.job),
    replay: null,
    live: null,
    zoom: null,
    history: emptyHistory(state.history.version + 1),
    phase: "idle",
    phaseProgress: 0,
    error: null,
  };
  let next = withHistory(base, { ...(msg.history ?? {}), reset: true });
  if (msg.trace && Array.isArray(msg.trace.layers)) {
    next = withFrame(next, msg.trace); // a finished, paused or restored job opens on its last iteration
    next.job = msg.job;
  }
  next.selected = keepSelected(state.selected, sizesOf(next.weights), state.selectedByUser);
  return next;
}

/**
 * Apply a decoded server message. Messages for another job than the attached one are ignored.
 * @param {State} state
 * @param {ServerMessage} msg
 * @returns {State}
 */
export function withMessage(state, msg) {
  /** @param {string | undefined} id */
  const mine = (id) => !state.job || id === undefined || id === state.job.id;
  switch (msg.type) {
    case "snapshot":
      return withSnapshot(state, msg);
    case "frame":
      return mine(msg.job) ? withFrame(state, msg) : state;
    case "history":
      return withHistory(state, msg);
    case "status":
      return withStatus(state, msg.job);
    case "error":
      return { ...state, error: msg.message ?? "the server reported an error" };
    default:
      return state;
  }
}
