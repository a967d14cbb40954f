// The page's state and how server messages change it. Pure: no DOM, no network.
// `reduce(state, action)` returns a new state object (the loss history: see history.js).

import { appendHistory, emptyHistory } from "./history.js";
import { fitToDataset, validate } from "./spec.js";

export function initialState() {
  return {
    options: null,
    spec: null, // the form's spec, same shape as a job spec
    specErrors: {}, // field path → message, from client-side validation
    job: null, // the attached job's view
    jobs: [], // every job's view, for the jobs list
    dataset: null, // the snapshot's data set
    frame: null, // latest full frame
    prevWeights: null, // weights before that frame's update
    weights: null, // current weights
    counters: { epoch: 0, batch: 0, iteration: 0, loss: null, test_loss: null },
    history: emptyHistory(),
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

/** W before an update from W after it: W_old = W_new + α ∂ℓ/∂W (eq. update, undone). */
export function weightsBefore(weights, grads, rate) {
  if (!weights || !grads || !Number.isFinite(rate)) return weights;
  return weights.map((w, l) =>
    w.map((row, j) =>
      row.map((v, i) => {
        const g = grads[l]?.[j]?.[i];
        return v === null || g === null || g === undefined ? null : v + rate * g;
      }),
    ),
  );
}

/** Layer sizes of a weight list: [n_0, n_1, ..., n_L]. */
export function sizesOf(weights) {
  if (!weights || weights.length === 0) return null;
  return [weights[0][0].length - 1, ...weights.map((w) => w.length)];
}

/** The neuron shown by default: the first output neuron. */
function defaultSelected(sizes) {
  return sizes ? { layer: sizes.length - 1, index: 0 } : null;
}

function keepSelected(selected, sizes, byUser = true) {
  if (!sizes) return selected;
  if (!byUser) return defaultSelected(sizes);
  if (selected && selected.layer >= 1 && selected.layer < sizes.length && selected.index < sizes[selected.layer]) {
    return selected;
  }
  return defaultSelected(sizes);
}

function batchWidth(frame) {
  return frame?.inputs?.[0]?.length ?? 0;
}

function withFrame(state, frame) {
  const full = Array.isArray(frame.layers);
  const weights = frame.weights;
  const counters = {
    epoch: frame.epoch + 1,
    batch: frame.batch + 1,
    iteration: frame.iteration,
    loss: frame.loss,
    test_loss: frame.test_loss,
  };
  const job = state.job
    ? { ...state.job, status: frame.status === "running" ? state.job.status : frame.status,
        iteration: frame.iteration, loss: frame.loss, test_loss: frame.test_loss }
    : state.job;
  const next = { ...state, weights, counters, job };
  if (full) {
    const grads = frame.layers.map((l) => l.grad);
    next.frame = frame;
    next.prevWeights = weightsBefore(weights, grads, frame.learning_rate);
    next.sample = Math.min(state.sample, Math.max(0, batchWidth(frame) - 1));
  } else {
    next.prevWeights = state.weights ?? weights;
  }
  next.selected = keepSelected(state.selected, sizesOf(weights), state.selectedByUser);
  return next;
}

function withHistory(state, msg) {
  return { ...state, history: appendHistory(state.history, msg) };
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
    next.prevWeights = null;
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
    counters: counterFromJob(msg.job),
    history: emptyHistory(state.history.version + 1),
    phase: "idle",
    phaseProgress: 0,
    error: null,
  };
  let next = withHistory(base, { ...(msg.history ?? {}), reset: true });
  if (msg.trace && Array.isArray(msg.trace.layers)) {
    next = withFrame(next, msg.trace);
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

function withSpec(state, spec) {
  const fitted = state.options ? fitToDataset(spec, state.options) : spec;
  return { ...state, spec: fitted, specErrors: validate(fitted, state.options) };
}

/** The state after `action` ({type, ...}). */
export function reduce(state, action) {
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
        connection: state.connection };
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
    case "connection":
      return state.connection === action.connection ? state : { ...state, connection: action.connection };
    default:
      return state;
  }
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
