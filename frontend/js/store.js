// @ts-check
// The page's state and the one channel that changes it: `dispatch(action)`. Pure: no DOM, no
// network. `reduce(state, action)` returns a new state object (the server's messages and job
// views: messages.js; the loss history: history.js; the replay of past iterations: replay.js;
// what views read off the state: selectors.js).

import { batchWidth, keepSelected, sizesOf } from "./frame.js";
import { emptyHistory } from "./history.js";
import { counterFromJob, withAnswer, withFrame, withMessage, withReset } from "./messages.js";
import { withLive, withReplay } from "./replay.js";
import { fitToDataset, validate } from "./spec.js";
import { withTracker } from "./tracker.js";

/** @import { Action, State } from "./types.js" */

/** @returns {State} */
export function initialState() {
  return {
    options: null,
    spec: null, // the form's spec, same shape as a job spec
    specErrors: {}, // field path → message, from client-side validation
    job: null, // the attached job's view; null while the page previews the form's setup
    preview: null, // the spec whose preview (POST /api/preview) is shown, when no job is attached
    ownIds: [], // ids of the jobs whose keys this browser holds: the page controls those only
    jobs: [], // every job's view, for the jobs list
    dataset: null, // the snapshot's data set
    frame: null, // the full frame shown: the latest, or a past one while replaying
    latestFrame: null, // the job's newest frame of any detail (summary ones too), live or not
    batchTracker: null, // Figure 2, shuffled rows: each row's batch so far in the newest frame's epoch (tracker.js)
    replayTracker: null, // the same for the past frame shown while replaying
    prevWeights: null, // weights before that frame's update
    weights: null, // the weights shown (current ones when live)
    counters: { epoch: 0, batch: 0, iteration: 0, loss: null, test_loss: null }, // the job's, live
    replay: null, // the iteration shown when it is a past one (GET /trace?iteration=N), else null
    live: null, // while replaying: {frame, weights, prevWeights} of the newest iteration
    history: emptyHistory(), // the loss buckets
    zoom: null, // the loss chart's zoom: {from, to, loss} (exact losses, or null for buckets)
    phase: "idle",
    phaseProgress: 0,
    playing: false, // explain: the player runs on; train: the job is running
    busy: false, // a request that changes the job is under way
    mode: "explain",
    animSpeed: 1, // explain mode: animation speed multiplier
    trainSpeed: null, // train mode: iterations per second, null = as fast as possible
    sample: 0,
    selected: null, // {layer, index}: the neuron the equations explain
    selectedByUser: false, // until a neuron is picked, the first output neuron is shown
    error: null,
    notice: null,
    connection: "closed",
    csv: null, // the CSV being loaded or trained on: {name, text, answer (POST /api/csv), problem, busy, standardize}
    nodeMaps: true, // each neuron's output over the input plane drawn in it (2-D inputs only)
    tour: null, // the guided tour's step index (tourSteps.js) while it is open, else null
  };
}

/**
 * The form's setup before any job: its initial weights and data from POST /api/preview.
 * @param {State} state
 * @param {import("./types.js").Spec} spec
 * @param {Partial<import("./types.js").Preview>} answer
 * @returns {State}
 */
function withPreview(state, spec, answer) {
  if (state.job) return state; // a job was attached meanwhile: the preview is out of date
  const weights = answer.weights ?? null;
  return {
    ...state, preview: spec, dataset: answer.dataset ?? null, weights, prevWeights: weights, frame: null,
    latestFrame: null,
    counters: counterFromJob({ epoch: 0, iteration: 0, loss: null, test_loss: null }),
    replay: null, live: null, zoom: null, history: emptyHistory(state.history.version + 1),
    selected: keepSelected(state.selected, sizesOf(weights), state.selectedByUser),
  };
}

/**
 * @param {State} state
 * @param {import("./types.js").Spec} spec
 * @returns {State}
 */
function withSpec(state, spec) {
  const fitted = state.options ? fitToDataset(spec, state.options) : spec;
  return { ...state, spec: fitted, specErrors: validate(fitted, state.options) };
}

/**
 * The state after `action`.
 * @param {State} state
 * @param {Action} action
 * @returns {State}
 */
export function reduce(state, action) {
  return withTracker(state, apply(state, action)); // Figure 2 follows whatever frame the action shows
}

/**
 * @param {State} state
 * @param {Action} action
 * @returns {State}
 */
function apply(state, action) {
  switch (action.type) {
    case "options": {
      const next = { ...state, options: action.options };
      return withSpec(next, state.spec ?? action.options.defaults);
    }
    case "spec":
      return withSpec(state, action.spec);
    case "message":
      return withMessage(state, action.message);
    case "job":
      return withAnswer(state, action.job); // a control route's answer
    case "job-reset":
      return withReset(state, action.job);
    case "attach":
      // a new job is being attached: forget the old one's numbers until its snapshot arrives
      return { ...initialState(), options: state.options, spec: state.spec, specErrors: state.specErrors,
        jobs: state.jobs, mode: state.mode, animSpeed: state.animSpeed, trainSpeed: state.trainSpeed,
        selected: state.selected, selectedByUser: state.selectedByUser, job: action.job ?? null,
        ownIds: state.ownIds, connection: state.connection, csv: state.csv, nodeMaps: state.nodeMaps, tour: state.tour };
    case "preview":
      return withPreview(state, action.spec, action.answer ?? {});
    case "keys":
      return { ...state, ownIds: action.ids ?? [] };
    case "replay":
      return state.job && action.frame?.job === state.job.id ? withReplay(state, action.frame) : state;
    case "live":
      return withLive(state);
    case "zoom":
      return { ...state, zoom: action.zoom ?? null };
    case "jobs":
      return { ...state, jobs: action.jobs };
    case "weights":
      return { ...state, weights: action.weights, prevWeights: action.weights,
        selected: keepSelected(state.selected, sizesOf(action.weights), state.selectedByUser) };
    case "frame":
      return withFrame(state, action.frame);
    case "phase":
      if (state.phase === action.phase && state.phaseProgress === action.progress) return state;
      return { ...state, phase: action.phase, phaseProgress: action.progress };
    case "mode":
      return { ...state, mode: action.mode === "train" ? "train" : "explain" };
    case "playing":
      return state.playing === action.playing ? state : { ...state, playing: action.playing };
    case "busy":
      return state.busy === action.busy ? state : { ...state, busy: action.busy };
    case "anim-speed":
      return { ...state, animSpeed: action.speed };
    case "train-speed":
      return { ...state, trainSpeed: action.speed };
    case "sample":
      return { ...state, sample: Math.max(0, Math.min(action.sample, Math.max(0, batchWidth(state.frame) - 1))) };
    case "select":
      return { ...state, selected: action.selected, selectedByUser: true };
    case "error":
      return { ...state, error: action.error ?? null };
    case "notice":
      return { ...state, notice: action.notice ?? null };
    case "csv":
      return { ...state, csv: action.csv ?? null };
    case "connection":
      return state.connection === action.connection ? state : { ...state, connection: action.connection };
    case "node-maps":
      return { ...state, nodeMaps: Boolean(action.on) };
    case "tour":
      return { ...state, tour: action.step !== null && Number.isInteger(action.step) && action.step >= 0 ? action.step : null };
    default:
      return state;
  }
}

/**
 * A tiny observable store around `reduce`.
 * @param {State} [state]
 */
export function createStore(state = initialState()) {
  /** @type {Set<(state: State, action: Action) => void>} */
  const listeners = new Set();
  return {
    get: () => state,
    /** @param {Action} action */
    dispatch(action) {
      const next = reduce(state, action);
      if (next !== state) {
        state = next;
        for (const fn of listeners) fn(state, action);
      }
      return state;
    },
    /** @param {(state: State, action: Action) => void} fn */
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
