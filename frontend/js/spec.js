// @ts-check
// The job spec the form edits: architecture edits (+/− layers and neurons) and validation
// against the server's limits. Pure; no DOM.

import { dataKind, sameData } from "./userData.js";

/** @import { DatasetOption, DatasetSpec, Options, Spec } from "./types.js" */
/** @typedef {Options | null | undefined} MaybeOptions  /api/options, or null before it is loaded */

export const TEST_FRACTION_MAX = 0.9; // the server's fixed bound on dataset.test_fraction
const NEW_LAYER_SIZE = 4;

/**
 * A spec's data set, read before its kind is known (a field of another kind reads as undefined).
 * @param {Partial<Spec>} spec
 * @returns {DatasetSpec}
 */
const dataOf = (spec) => /** @type {DatasetSpec} */ (spec.dataset);

/**
 * A deep copy; a user data set's rows and CSV text are shared (nothing changes them in place).
 * @param {Spec | null | undefined} spec
 * @returns {any} a Spec, or what `spec` was (any: callers still spread it untyped)
 */
export function cloneSpec(spec) {
  const data = spec ? dataOf(spec) : undefined;
  if (!data || dataKind(data) === "named") return JSON.parse(JSON.stringify(spec));
  const copy = JSON.parse(JSON.stringify({ ...spec, dataset: null }));
  copy.dataset = { ...data };
  for (const key of /** @type {const} */ (["input_columns", "target_columns"])) {
    const columns = data[key];
    if (Array.isArray(columns)) copy.dataset[key] = columns.slice();
  }
  return copy;
}

/**
 * The /api/options entry of a data set, or null.
 * @param {MaybeOptions} options
 * @param {string | undefined} name
 * @returns {DatasetOption | null}
 */
export function datasetInfo(options, name) {
  return options?.datasets?.find((d) => d.name === name) ?? null;
}

/**
 * Input columns the data set gives: raw inputs plus derived features on 2-D sets.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @returns {number}
 */
export function inputWidth(spec, options) {
  const info = datasetInfo(options, dataOf(spec).name);
  if (!info) return spec.network.layers[0];
  return info.n_inputs + (info.two_d ? (dataOf(spec).features ?? []).length : 0);
}

/**
 * The spec with its input and output layers sized for its data set.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @returns {Spec}
 */
export function fitToDataset(spec, options) {
  const out = cloneSpec(spec);
  const info = datasetInfo(options, dataOf(out).name);
  if (!info) return out;
  const layers = out.network.layers;
  layers[0] = inputWidth(out, options);
  if (!info.outputs.includes(layers[layers.length - 1])) layers[layers.length - 1] = info.outputs[0];
  if (!info.two_d) dataOf(out).features = [];
  return out;
}

/**
 * Hidden layer sizes, e.g. [5] for 3-5-2.
 * @param {Spec} spec
 * @returns {number[]}
 */
export function hiddenLayers(spec) {
  return spec.network.layers.slice(1, -1);
}

/**
 * The spec with these neurons per layer and seeded initial weights.
 * @param {Spec} spec
 * @param {number[]} layers
 * @returns {Spec}
 */
export function withLayers(spec, layers) {
  const out = cloneSpec(spec);
  out.network.layers = layers.slice();
  out.network.weights = null;
  return out;
}

/**
 * The spec with these hidden layer sizes, its input and output layers kept.
 * @param {Spec} spec
 * @param {number[]} hidden
 * @returns {Spec}
 */
export function setHidden(spec, hidden) {
  const l = spec.network.layers;
  return withLayers(spec, [l[0], ...hidden, l[l.length - 1]]);
}

/**
 * Parse "4, 4" or "4-4" or "" into hidden sizes; null when not a list of integers.
 * @param {unknown} text
 * @returns {number[] | null}
 */
export function parseHidden(text) {
  const parts = String(text).split(/[\s,;x×-]+/).filter(Boolean);
  if (!parts.every((p) => /^\d+$/.test(p))) return null;
  return parts.map(Number);
}

/**
 * True while the network has fewer layers than the server allows.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @returns {boolean}
 */
export function canAddLayer(spec, options) {
  return spec.network.layers.length < (options?.limits?.max_layers ?? 12);
}

/**
 * Insert a hidden layer just before the output layer.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @returns {Spec}
 */
export function addLayer(spec, options) {
  if (!canAddLayer(spec, options)) return spec;
  const l = spec.network.layers;
  const size = l.length > 2 ? l[l.length - 2] : NEW_LAYER_SIZE;
  return withLayers(spec, [...l.slice(0, -1), size, l[l.length - 1]]);
}

/**
 * Remove hidden layer `layer` (default: the last hidden one).
 * @param {Spec} spec
 * @param {number} [layer]
 * @returns {Spec}
 */
export function removeLayer(spec, layer = spec.network.layers.length - 2) {
  const l = spec.network.layers;
  if (layer < 1 || layer > l.length - 2) return spec;
  return withLayers(spec, l.filter((_, i) => i !== layer));
}

/**
 * The allowed neuron counts of `layer`: null means any count within the limits.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @param {number} layer
 * @returns {number[] | null}
 */
function allowedSizes(spec, options, layer) {
  const l = spec.network.layers;
  if (layer === 0) return [inputWidth(spec, options)];
  if (layer === l.length - 1 && dataKind(spec.dataset) !== "named") return [l[layer]]; // the data's
  if (layer === l.length - 1) return datasetInfo(options, dataOf(spec).name)?.outputs ?? null;
  return null;
}

/**
 * The spec with `layer` one allowed size up (delta > 0) or down, or null when there is none.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @param {number} layer
 * @param {number} delta
 * @returns {Spec | null}
 */
function resize(spec, options, layer, delta) {
  const l = spec.network.layers;
  if (layer < 0 || layer >= l.length) return null;
  const allowed = allowedSizes(spec, options, layer);
  const max = options?.limits?.max_neurons ?? 1024;
  let size = null;
  if (allowed === null) {
    const n = l[layer] + delta;
    if (n >= 1 && n <= max) size = n;
  } else {
    const sorted = [...allowed].sort((a, b) => a - b);
    const next = delta > 0 ? sorted.find((n) => n > l[layer]) : sorted.reverse().find((n) => n < l[layer]);
    if (next !== undefined) size = next;
  }
  if (size === null) return null;
  const layers = l.slice();
  layers[layer] = size;
  return withLayers(spec, layers);
}

/** @param {Spec} spec @param {Options | null | undefined} options @param {number} layer @returns {boolean} */
export const canAddNeuron = (spec, options, layer) => resize(spec, options, layer, 1) !== null;
/** @param {Spec} spec @param {Options | null | undefined} options @param {number} layer @returns {boolean} */
export const canRemoveNeuron = (spec, options, layer) => resize(spec, options, layer, -1) !== null;
/** @param {Spec} spec @param {Options | null | undefined} options @param {number} layer @returns {Spec} */
export const addNeuron = (spec, options, layer) => resize(spec, options, layer, 1) ?? spec;
/** @param {Spec} spec @param {Options | null | undefined} options @param {number} layer @returns {Spec} */
export const removeNeuron = (spec, options, layer) => resize(spec, options, layer, -1) ?? spec;

// ------------------------------------------------------------------ validation

/** @param {unknown} v @returns {v is number} */
const isInt = (v) => typeof v === "number" && Number.isInteger(v);
/** @param {unknown} v @returns {v is number} */
const isNum = (v) => typeof v === "number" && Number.isFinite(v);

/**
 * Training rows of the spec's data set, or null when unknown.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @returns {number | null}
 */
export function trainingRows(spec, options) {
  const info = datasetInfo(options, dataOf(spec).name);
  if (!info) return null;
  const rows = info.fixed_rows ?? dataOf(spec).samples;
  if (!isInt(rows) || rows < 1) return null;
  const test = dataOf(spec).test_fraction;
  const f = isNum(test) ? test : 0;
  return rows - Math.min(Math.floor(rows * f + 0.5), rows - 1);
}

/**
 * Iterations per epoch: 1 (batch), rows (sgd) or ⌈rows / b⌉ (minibatch).
 * @param {string} mode
 * @param {number | undefined} rows  a whole number (replayer.js checks it with Number.isInteger)
 * @param {number} batchSize
 * @returns {number}
 */
export function iterationsPerEpoch(mode, rows, batchSize) {
  const n = /** @type {number} */ (rows);
  if (mode === "batch") return 1;
  if (mode === "sgd") return n;
  return Math.ceil(n / Math.max(1, Math.min(batchSize, n)));
}

/**
 * Problems with the spec, keyed by field path ("training.learning_rate"); {} when valid.
 * @param {Spec} spec
 * @param {MaybeOptions} options
 * @returns {Record<string, string>}
 */
export function validate(spec, options) {
  /** @type {Record<string, number | undefined>} */
  const lim = options?.limits ?? {};
  /** @type {Record<string, string>} */
  const errors = {};
  const { network: net, training: tr } = spec;
  const ds = dataOf(spec);
  /** @param {string} field @param {boolean} ok @param {string} message */
  const check = (field, ok, message) => {
    if (!ok && !(field in errors)) errors[field] = message;
  };
  const maxLr = lim.max_learning_rate ?? 1e6;
  check("training.learning_rate", isNum(tr.learning_rate) && tr.learning_rate > 0 && tr.learning_rate <= maxLr,
    `Learning rate α must be a number > 0 and ≤ ${maxLr}`);
  const maxEpochs = lim.max_epochs ?? 100000;
  check("training.epochs", isInt(tr.epochs) && tr.epochs >= 1 && tr.epochs <= maxEpochs,
    `Epochs must be a whole number from 1 to ${maxEpochs}`);
  const maxBatch = lim.max_batch_size ?? 100000;
  check("training.batch_size", isInt(tr.batch_size) && tr.batch_size >= 1 && tr.batch_size <= maxBatch,
    `Batch size must be a whole number from 1 to ${maxBatch}`);
  const maxTol = lim.max_tolerance ?? Infinity;
  check("training.tolerance", isNum(tr.tolerance) && tr.tolerance >= 0 && tr.tolerance <= maxTol,
    `Tolerance τ must be a number ≥ 0${Number.isFinite(maxTol) ? ` and ≤ ${maxTol}` : ""}`);
  const maxLambda = lim.max_regularization_rate ?? 10;
  const lambda = tr.regularization_rate ?? 0;
  check("training.regularization_rate", isNum(lambda) && lambda >= 0 && lambda <= maxLambda,
    `Regularisation rate λ must be a number from 0 to ${maxLambda}`);
  check("training.seed", isInt(tr.seed) && tr.seed >= 0 && tr.seed <= 2 ** 32 - 1,
    "Seed must be a whole number ≥ 0");
  const named = dataKind(ds) === "named"; // a CSV or inline data set is checked by the server
  const info = datasetInfo(options, ds.name);
  check("dataset.name", info !== null || !options || !named, `Unknown data set ${ds.name}`);
  const maxSamples = lim.max_samples ?? 5000;
  if (info && info.fixed_rows === null) {
    check("dataset.samples", isInt(ds.samples) && ds.samples >= 1 && ds.samples <= maxSamples,
      `Samples must be a whole number from 1 to ${maxSamples}`);
  }
  if (named) check("dataset.noise", isNum(ds.noise) && ds.noise >= 0 && ds.noise <= 1, "Noise must be in 0–100 %");
  const maxTest = TEST_FRACTION_MAX;
  if (dataKind(ds) !== "inline") {
    check("dataset.test_fraction", isNum(ds.test_fraction) && ds.test_fraction >= 0 && ds.test_fraction <= maxTest,
      `Test split must be in 0–${Math.round(maxTest * 100)} %`);
  }

  const layers = net.layers;
  const maxLayers = lim.max_layers ?? 12;
  const maxNeurons = lim.max_neurons ?? 1024;
  check("network.layers", layers.length >= 2 && layers.length <= maxLayers,
    `A network has 2 to ${maxLayers} layers (input and output included)`);
  check("network.layers", layers.every((n) => isInt(n) && n >= 1 && n <= maxNeurons),
    `Each layer has 1 to ${maxNeurons} neurons`);
  let params = 0;
  for (let i = 1; i < layers.length; i++) params += (1 + layers[i - 1]) * layers[i];
  const maxParams = lim.max_parameters ?? 2e6;
  check("network.layers", params <= maxParams, `${params} weights exceed the limit of ${maxParams}`);

  const loss = options?.losses?.find((l) => l.name === tr.loss);
  if (loss && Array.isArray(loss.outputs)) {
    check("training.loss", loss.outputs.includes(net.output_activation),
      `Loss ${tr.loss} needs output activation ${loss.outputs.join(" or ")}`);
  }
  const rows = trainingRows(spec, options);
  if (rows !== null && isInt(tr.epochs) && isInt(tr.batch_size) && !("training.epochs" in errors)) {
    const total = tr.epochs * iterationsPerEpoch(tr.mode, rows, tr.batch_size);
    const maxIt = lim.max_iterations ?? 2e6;
    check("training.epochs", total <= maxIt,
      `${tr.epochs} epochs × ${total / tr.epochs} iterations exceed ${maxIt} iterations`);
  }
  return errors;
}

/**
 * True when two specs describe the same training run (start and speed ignored).
 * @param {Partial<Spec> | null | undefined} a
 * @param {Partial<Spec> | null | undefined} b
 * @returns {boolean}
 */
export function sameRun(a, b) {
  if (!a || !b || !sameData(a.dataset, b.dataset)) return false;
  /** @param {Partial<Spec>} s */
  const key = (s) => JSON.stringify([
    s.network?.layers, s.network?.activation, s.network?.output_activation,
    ...["loss", "mode", "batch_size", "learning_rate", "epochs", "tolerance", "shuffle", "seed"]
      .map((k) => s.training?.[/** @type {keyof Spec["training"]} */ (k)]),
    s.training?.regularization ?? "none", s.training?.regularization_rate ?? 0,
    ...(/** @type {const} */ (["name", "samples", "noise", "test_fraction"])).map((k) => s.dataset && dataOf(s)[k]),
    (s.dataset && dataOf(s).features) ?? [],
  ]);
  return key(a) === key(b);
}
