// The page's state and how server messages change it. Pure: no DOM, no network.
// `reduce(state, action)` returns a new state object (the loss history: see history.js; the
// replay of past iterations: see replay.js).

import { batchWidth, keepSelected, showFrame, shownSamples, shownSizes, sizesOf, weightsBefore }
  from "./frame.js";
import { applyHistory, emptyHistory } from "./history.js";
import { withLive, withReplay } from "./replay.js";
import { figureFrame, figureTracker, withTracker } from "./tracker.js";

export { figureFrame, figureTracker, showFrame, shownSamples, shownSizes, sizesOf, weightsBefore };
import { fitToDataset, validate } from "./spec.js";

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

/** Parse one WebSocket text message; throws on anything but a JSON object with a type. */
export function decode(text) {
  const message = JSON.parse(text);
  if (message === null || typeof message !== "object" || typeof message.type !== "string") {
    throw new TypeError("stream: a message must be a JSON object with a type");
  }
  return message;
}

/** A frame of the job as it trains: counters always, the shown frame only when live. */
function withFrame(state, frame) {
  const counters = {
    epoch: frame.epoch + 1,
    batch: frame.batch + 1,
    iteration: frame.iteration,
    loss: frame.loss,
    test_loss: frame.test_loss,
    max_delta: frame.max_delta ?? null,
  };
  const job = state.job
    ? { ...state.job, status: frame.status === "running" ? state.job.status : frame.status,
        iteration: frame.iteration, loss: frame.loss, test_loss: frame.test_loss,
        metrics: frame.metrics ?? state.job.metrics ?? null }
    : state.job;
  const base = { ...state, counters, job, latestFrame: frame };
  if (state.replay !== null) return withLive(base, frame);
  if (Array.isArray(frame.layers)) return showFrame(base, frame);
  const next = { ...base, weights: frame.weights, prevWeights: state.weights ?? frame.weights };
  next.selected = keepSelected(state.selected, sizesOf(frame.weights), state.selectedByUser);
  return next;
}

function withHistory(state, msg) {
  const next = { ...state, history: applyHistory(state.history, msg) };
  if (msg.reset) next.zoom = null;
  return next;
}

function counterFromJob(job) {
  return { epoch: job.epoch, batch: 0, iteration: job.iteration, loss: job.loss, test_loss: job.test_loss };
}

function withStatus(state, job) {
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

function upsert(jobs, job) {
  const i = jobs.findIndex((j) => j.id === job.id);
  if (i < 0) return [...jobs, job];
  const out = jobs.slice();
  out[i] = job;
  return out;
}

function withSnapshot(state, msg) {
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

/** Apply a decoded server message. Messages for another job than the attached one are ignored. */
function withMessage(state, msg) {
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

/** The form's setup before any job: its initial weights and data from POST /api/preview. */
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

function withSpec(state, spec) {
  const fitted = state.options ? fitToDataset(spec, state.options) : spec;
  return { ...state, spec: fitted, specErrors: validate(fitted, state.options) };
}

/** The state after `action` ({type, ...}). */
export function reduce(state, action) {
  return withTracker(state, apply(state, action)); // Figure 2 follows whatever frame the action shows
}

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
      return { ...state, tour: Number.isInteger(action.step) && action.step >= 0 ? action.step : null };
    default:
      return state;
  }
}

/** True when the page holds the key of the attached job: its controls are the page's. */
export function owns(state) {
  return Boolean(state.job && state.ownIds.includes(state.job.id));
}

/** True when the page may start or train a job: a preview (a job is made) or a job it owns. */
export function canTrain(state) {
  return !state.job || owns(state);
}

/** The read-outs' epoch, batch, iteration and losses: the shown frame's while replaying. */
export function shownCounters(state) {
  const f = state.frame;
  if (state.replay === null || !f) return state.counters;
  return { epoch: f.epoch + 1, batch: f.batch + 1, iteration: f.iteration, loss: f.loss, test_loss: f.test_loss,
    max_delta: f.max_delta ?? null };
}

/** A tiny observable store around `reduce`. */
export function createStore(state = initialState()) {
  const listeners = new Set();
  return {
    get: () => state,
    dispatch(action) {
      const next = reduce(state, action);
      if (next !== state) {
        state = next;
        for (const fn of listeners) fn(state, action);
      }
      return state;
    },
    subscribe(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
  };
}
