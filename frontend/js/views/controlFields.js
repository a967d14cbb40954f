// @ts-check
// The settings form's fields: where each lives in the spec, how it reads and writes, and the
// bounds the server's limits put on it.

import { TEST_FRACTION_MAX, hiddenLayers, iterationsPerEpoch, parseHidden, setHidden, trainingRows } from "../spec.js";
import { dataKind } from "../userData.js";

/** @import { DatasetOption, DatasetSpec, NamedDatasetSpec, Options, Spec } from "../types.js" */
/** @typedef {"data" | "network" | "training"} Section  a fieldset of the form */
/** @typedef {"dataset" | "network" | "training"} Part  a part of the spec */
/**
 * A select's choice: an /api/options entry (a name, and a description or a label), or a bare name.
 * @typedef {string | {name: string, label?: string, description?: string, disabled?: boolean}} Choice
 */
/** @typedef {string | number | boolean | string[]} FieldValue  what a field's input reads */
/** @typedef {{useCsv?: () => unknown}} FieldActions  what a choice that is an action asks for */
/**
 * A field of the form: where it lives in the spec (`path`, as validation names it), its input,
 * and how it reads the spec and writes a value into a copy of it.
 * @typedef {object} FieldDef
 * @property {string} id
 * @property {Section} section
 * @property {string} label
 * @property {"select" | "number" | "range" | "text" | "checks" | "checkbox"} kind
 * @property {string} path
 * @property {string} [math]  the symbol after the label
 * @property {Choice[]} [choices]  a select's options
 * @property {(choice: Choice) => string} [labelOf]  a choice's text (else its name)
 * @property {Record<string, string | number>} [attrs]  the input's attributes
 * @property {number} [scale]  a range's input value per unit of the spec's
 * @property {(value: number) => string} [format]  a range's read-out
 * @property {boolean} [patches]  a change alone is a PATCH of the job (α)
 * @property {(spec: Spec, info: DatasetOption | null) => boolean} [visible]
 * @property {(spec: Spec) => FieldValue | undefined} read
 * @property {(spec: Spec, value: FieldValue) => Spec} write
 * @property {(value: FieldValue, actions: FieldActions) => boolean} [act]  true: the choice was an action
 * @property {(spec: Spec, info: DatasetOption | null) => string} [note]
 */

/** @type {[Section, string][]} */
export const SECTIONS = [
  ["data", "Data"],
  ["network", "Network"],
  ["training", "Training"],
];

/** @param {Choice} x @returns {string} */
const nameOf = (x) => (typeof x === "string" ? x : x.name);
/** @param {number} v @returns {string} */
const pct = (v) => `${Math.round(v * 100)} %`;
/**
 * A spec's data set, read before its kind is known (a field of another kind reads as undefined).
 * @param {Spec} spec
 * @returns {DatasetSpec}
 */
const dataOf = (spec) => /** @type {DatasetSpec} */ (spec.dataset);

/**
 * A writer of `spec[section][key]`, in place.
 * @param {Part} section
 * @param {string} key
 * @returns {(spec: Spec, value: FieldValue) => Spec}
 */
const set = (section, key) => (spec, value) => {
  /** @type {Record<Part, Record<string, unknown>>} */ (/** @type {unknown} */ (spec))[section][key] = value;
  return spec;
};

/** @type {Record<string, string>} */
const MODE_LABELS = { batch: "Batch (all rows)", sgd: "Stochastic (1 row)", minibatch: "Mini-batch" };
/** @type {Record<string, string>} */
const REGULARIZATION_LABELS = { none: "None", l1: "L1: λ Σ |w|", l2: "L2: λ ½ Σ w²" };
/** @type {Record<string, string>} */
const LOSS_LABELS = { half_sse: "½ Σ (y − t)²  eq. (5)", mse: "Mean squared error", cross_entropy: "Cross-entropy" };

// Data a person brings, beside the built-in sets: a CSV loaded under "Your data", or rows
// given through the API (shown when a watched job has them, never chosen here).
/** @type {{name: string, label: string, description: string, disabled?: boolean}[]} */
const USER_DATA = [
  { name: "csv", label: "Your data (CSV)", description: "The file loaded or pasted under Your data" },
  { name: "inline", label: "Inline rows (from the API)", description: "Rows sent with the job", disabled: true },
];

/**
 * The spec on built-in set `name`: a CSV or inline data set gives way to the defaults.
 * @param {Spec} spec
 * @param {string} name
 * @param {Options} options
 * @returns {Spec}
 */
function namedData(spec, name, options) {
  if (dataKind(spec.dataset) === "named") return set("dataset", "name")(spec, name);
  const test = spec.dataset.test_fraction;
  const defaults = /** @type {NamedDatasetSpec} */ (options.defaults.dataset); // the server's default is a built-in set
  spec.dataset = { ...defaults, features: [], name, test_fraction: Number.isFinite(test) ? /** @type {number} */ (test) : 0 };
  return spec;
}

/**
 * The form's fields, in order, with the bounds of the server's limits.
 * @param {Options} options
 * @returns {FieldDef[]}
 */
export function fieldDefs(options) {
  const lim = options.limits ?? {};
  return [
    { id: "dataset", section: "data", label: "Data set", kind: "select", path: "dataset.name",
      choices: [...options.datasets, ...USER_DATA], labelOf: (d) => (typeof d === "string" ? d : d.label ?? d.name),
      read: (s) => dataOf(s).name ?? dataKind(s.dataset),
      // "csv" trains on the loaded file again (the loader knows it), not a spec edit
      act: (value, actions) => value === "csv" && (actions.useCsv?.(), true),
      write: (spec, name) => (USER_DATA.some((d) => d.name === name) ? spec
        : namedData(spec, /** @type {string} */ (name), options)),
      note: (s, info) => info?.description ?? (dataKind(s.dataset) === "csv"
        ? "Your CSV file: its columns and roles are under Your data" : "Rows sent with the job through the API") },
    { id: "samples", section: "data", label: "Samples", kind: "number", path: "dataset.samples",
      attrs: { min: 1, max: lim.max_samples ?? 5000, step: 1 },
      visible: (s, info) => info?.fixed_rows === null, read: (s) => dataOf(s).samples, write: set("dataset", "samples") },
    { id: "noise", section: "data", label: "Noise", kind: "range", path: "dataset.noise", scale: 100,
      attrs: { min: 0, max: 100, step: 5 }, format: pct, visible: (s, info) => Boolean(info?.two_d),
      read: (s) => dataOf(s).noise, write: set("dataset", "noise") },
    { id: "test", section: "data", label: "Test split", kind: "range", path: "dataset.test_fraction", scale: 100,
      attrs: { min: 0, max: Math.round(TEST_FRACTION_MAX * 100), step: 5 }, format: pct,
      visible: (s) => dataKind(s.dataset) !== "inline", read: (s) => s.dataset.test_fraction ?? 0, write: set("dataset", "test_fraction") },
    { id: "features", section: "data", label: "Derived features", kind: "checks", path: "dataset.features",
      visible: (s, info) => Boolean(info?.two_d), read: (s) => dataOf(s).features ?? [], write: set("dataset", "features") },

    { id: "hidden", section: "network", label: "Hidden layers", kind: "text", path: "network.layers",
      attrs: { autocomplete: "off", spellcheck: "false", placeholder: "e.g. 4, 4" },
      read: (s) => hiddenLayers(s).join(", "),
      write: (spec, text) => {
        const hidden = parseHidden(text);
        return hidden === null ? { ...spec, network: { ...spec.network, layers: [spec.network.layers[0], NaN, /** @type {number} */ (spec.network.layers.at(-1))] } } : setHidden(spec, hidden);
      },
      note: () => `neurons per hidden layer; the diagram's −/+ buttons change them too` },
    { id: "activation", section: "network", label: "Activation f", kind: "select", path: "network.activation",
      choices: options.activations?.hidden ?? [], read: (s) => s.network.activation, write: set("network", "activation") },
    { id: "output", section: "network", label: "Output activation", kind: "select", path: "network.output_activation",
      choices: options.activations?.output ?? [], read: (s) => s.network.output_activation, write: set("network", "output_activation") },

    { id: "loss", section: "training", label: "Loss ℓ", kind: "select", path: "training.loss",
      choices: options.losses ?? [], labelOf: (l) => LOSS_LABELS[nameOf(l)] ?? nameOf(l),
      read: (s) => s.training.loss, write: set("training", "loss") },
    { id: "mode", section: "training", label: "Gradient descent", kind: "select", path: "training.mode",
      choices: options.modes ?? [], labelOf: (m) => MODE_LABELS[nameOf(m)] ?? nameOf(m),
      read: (s) => s.training.mode, write: set("training", "mode"),
      note: (s) => batchNote(s, options) },
    { id: "batch", section: "training", label: "Batch size", kind: "number", path: "training.batch_size",
      attrs: { min: 1, max: lim.max_batch_size ?? 100000, step: 1 }, visible: (s) => s.training.mode === "minibatch",
      read: (s) => s.training.batch_size, write: set("training", "batch_size") },
    { id: "lr", section: "training", label: "Learning rate", math: " α", kind: "number", path: "training.learning_rate",
      patches: true, // a changed α alone is a PATCH of the job, not a new setup
      attrs: { min: 0, max: lim.max_learning_rate ?? 1e6, step: "any" },
      read: (s) => s.training.learning_rate, write: set("training", "learning_rate") },
    { id: "regularization", section: "training", label: "Regularisation", kind: "select",
      path: "training.regularization", choices: options.regularizations ?? [],
      labelOf: (r) => REGULARIZATION_LABELS[nameOf(r)] ?? nameOf(r),
      read: (s) => s.training.regularization ?? "none", write: set("training", "regularization"),
      note: (s) => ((s.training.regularization ?? "none") === "none" ? ""
        : "a penalty λR on the weights, not the biases: W := W − α (∂ℓ/∂W + λ ∂R/∂W); the losses shown exclude it") },
    { id: "lambda", section: "training", label: "Regularisation rate", math: " λ", kind: "number",
      path: "training.regularization_rate", attrs: { min: 0, max: lim.max_regularization_rate ?? 10, step: "any" },
      visible: (s) => (s.training.regularization ?? "none") !== "none",
      read: (s) => s.training.regularization_rate ?? 0, write: set("training", "regularization_rate") },
    { id: "epochs", section: "training", label: "Epochs", kind: "number", path: "training.epochs",
      attrs: { min: 1, max: lim.max_epochs ?? 100000, step: 1 }, read: (s) => s.training.epochs, write: set("training", "epochs") },
    { id: "tolerance", section: "training", label: "Tolerance", math: " τ", kind: "number", path: "training.tolerance",
      attrs: { min: 0, step: "any" }, read: (s) => s.training.tolerance, write: set("training", "tolerance"),
      note: () => "stop when every |Δw| < τ (0: never)" },
    { id: "seed", section: "training", label: "Seed", kind: "number", path: "training.seed",
      attrs: { min: 0, step: 1 }, read: (s) => s.training.seed, write: set("training", "seed") },
    { id: "shuffle", section: "training", label: "Shuffle rows every epoch", kind: "checkbox", path: "training.shuffle",
      read: (s) => s.training.shuffle, write: set("training", "shuffle") },
  ];
}

/**
 * "3 batches → 3 iterations per epoch", Figure 2's arithmetic for this setup.
 * @param {Spec} spec
 * @param {Options} options
 * @returns {string}
 */
export function batchNote(spec, options) {
  const rows = trainingRows(spec, options);
  if (rows === null) return "";
  const it = iterationsPerEpoch(spec.training.mode, rows, spec.training.batch_size);
  const per = it === 1 ? "1 iteration" : `${it} iterations`;
  return `${rows} training rows → ${per} per epoch`;
}
