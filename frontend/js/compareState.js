// @ts-check
// The compare view's settings and the query string that holds them, so a link reproduces the
// comparison: the data set, epochs, seed, the mini-batch run's batch size, each run's α, the
// chart's x-axis and the three jobs. The three job specs are equal but for training.mode,
// batch_size and learning_rate: the seed draws the data and the initial weights, so the three
// start from the same W^1 … W^L (the article's Figure 2 on one network). Pure: no DOM.

import { readAxis } from "./compareAxis.js";
import { cloneSpec, fitToDataset, validate } from "./spec.js";

/** @import { Axis } from "./compareAxis.js" */
/** @import { Mode, Options, Spec } from "./types.js" */
/** @typedef {Record<Mode, number>} PerRun */
/** @typedef {Record<Mode, string | null>} JobIds */
/**
 * @typedef {object} CompareSettings
 * @property {string} dataset  a registry set's name
 * @property {number} epochs
 * @property {number} seed
 * @property {number} batchSize  the mini-batch run's b
 * @property {PerRun} rates  α of each run
 * @property {Axis} axis
 * @property {JobIds} jobs  each run's job, when it has one
 */

/** @type {Mode[]} */
export const RUNS = ["batch", "sgd", "minibatch"];
export const RUN_NAMES = { batch: "Batch", sgd: "Stochastic (SGD)", minibatch: "Mini-batch" };
export const DEFAULT_EPOCHS = 200;

/**
 * The settings a page opens on without a query: the article's data, the server's defaults.
 * @param {Spec} defaults  /api/options' defaults
 * @returns {CompareSettings}
 */
export function defaultSettings(defaults) {
  const t = defaults.training;
  const named = /** @type {{name?: string}} */ (defaults.dataset);
  return {
    dataset: named.name ?? "article", epochs: DEFAULT_EPOCHS, seed: t.seed, batchSize: t.batch_size,
    rates: { batch: t.learning_rate, sgd: t.learning_rate, minibatch: t.learning_rate },
    axis: "iterations", jobs: { batch: null, sgd: null, minibatch: null },
  };
}

/** @param {string | null} text */
const number = (text) => (text === null || text.trim() === "" ? NaN : Number(text));

/**
 * Settings from a query string over `base`; an unreadable value keeps the base's.
 * @param {string} search
 * @param {CompareSettings} base
 * @returns {CompareSettings}
 */
export function readSettings(search, base) {
  const p = new URLSearchParams(search);
  /** @param {string} key @param {number} fallback */
  const num = (key, fallback) => {
    const v = number(p.get(key));
    return Number.isFinite(v) ? v : fallback;
  };
  /** @type {PerRun} */
  const rates = { ...base.rates };
  /** @type {JobIds} */
  const jobs = { ...base.jobs };
  for (const run of RUNS) {
    rates[run] = num(`lr-${run}`, base.rates[run]);
    jobs[run] = p.get(`job-${run}`) || base.jobs[run];
  }
  return {
    dataset: p.get("dataset") || base.dataset, epochs: num("epochs", base.epochs), seed: num("seed", base.seed),
    batchSize: num("batch", base.batchSize), rates, axis: p.has("x") ? readAxis(p.get("x")) : base.axis, jobs,
  };
}

/**
 * The query string of `settings` (with its leading "?").
 * @param {CompareSettings} s
 */
export function writeSettings(s) {
  const p = new URLSearchParams({ dataset: s.dataset, epochs: String(s.epochs), seed: String(s.seed),
    batch: String(s.batchSize) });
  for (const run of RUNS) p.set(`lr-${run}`, String(s.rates[run]));
  p.set("x", s.axis);
  for (const run of RUNS) {
    const id = s.jobs[run];
    if (id) p.set(`job-${run}`, id);
  }
  return `?${p.toString()}`;
}

/**
 * The job spec of one run: the server's defaults fitted to the data set, with the settings'
 * epochs and seed, and the run's mode, batch size and α. Created paused: the page resumes the
 * three together.
 * @param {CompareSettings} s
 * @param {Mode} run
 * @param {Options} options
 * @returns {Spec}
 */
export function runSpec(s, run, options) {
  const spec = cloneSpec(options.defaults);
  const info = options.datasets.find((d) => d.name === s.dataset);
  spec.dataset = { ...spec.dataset, name: s.dataset, features: info?.two_d ? [] : null };
  spec.network.weights = null;
  Object.assign(spec.training, { mode: run, batch_size: s.batchSize, learning_rate: s.rates[run],
    epochs: s.epochs, seed: s.seed });
  return { ...fitToDataset(spec, options), start: "paused", speed: null };
}

/**
 * Problems with the settings, keyed by the control they come from ("epochs", "batch",
 * "lr-sgd", …), from the server's limits as the main page checks them; {} when valid.
 * @param {CompareSettings} s
 * @param {Options} options
 * @returns {Record<string, string>}
 */
export function settingErrors(s, options) {
  /** @type {Record<string, string>} */
  const out = {};
  const fields = { "training.epochs": "epochs", "training.batch_size": "batch", "training.seed": "seed",
    "dataset.name": "dataset" };
  for (const run of RUNS) {
    const errors = validate(runSpec(s, run, options), options);
    for (const [field, message] of Object.entries(errors)) {
      const key = field === "training.learning_rate" ? `lr-${run}` : fields[/** @type {keyof typeof fields} */ (field)];
      if (key && !(key in out)) out[key] = message;
    }
  }
  return out;
}

/**
 * Whether a job's spec is the one `run` of these settings makes (the same comparison).
 * @param {Spec | null | undefined} jobSpec
 * @param {CompareSettings} s
 * @param {Mode} run
 */
export function matchesRun(jobSpec, s, run) {
  const t = jobSpec?.training;
  const d = /** @type {{name?: string} | undefined} */ (jobSpec?.dataset);
  return Boolean(t && d) && t?.mode === run && d?.name === s.dataset && t?.epochs === s.epochs &&
    t?.seed === s.seed && t?.learning_rate === s.rates[run] && (run !== "minibatch" || t?.batch_size === s.batchSize);
}

/**
 * The settings a set of jobs describes, over `base`: what a link's jobs were made with wins
 * over the link's own numbers, so the controls show what the runs do.
 * @param {CompareSettings} base
 * @param {Partial<Record<Mode, Spec>>} specs
 * @returns {CompareSettings}
 */
export function settingsOfJobs(base, specs) {
  const out = { ...base, rates: { ...base.rates } };
  for (const run of RUNS) {
    const spec = specs[run];
    if (!spec) continue;
    const d = /** @type {{name?: string}} */ (spec.dataset);
    out.rates[run] = spec.training.learning_rate;
    out.epochs = spec.training.epochs;
    out.seed = spec.training.seed;
    if (d.name) out.dataset = d.name;
    if (run === "minibatch") out.batchSize = spec.training.batch_size;
  }
  return out;
}
