// @ts-check
// Data a person brings: a CSV file (read and encoded by the server, POST /api/csv) or
// inline rows given through the API. What kind a spec's data set is, the spec a CSV preview
// gives (roles, layers sized to them, the output and loss they need), column roles, and
// whether two data sets are the same. Pure; no DOM.

/** @import { CsvColumn, CsvDatasetSpec, CsvPreview, DatasetSpec, InlineDatasetSpec, Spec } from "./types.js" */
/** @typedef {"named" | "csv" | "inline"} DataKind */
/** @typedef {"input" | "target" | "ignored"} Role */
/** @typedef {{input_columns: string[], target_columns: string[]}} Roles */
/**
 * POST /api/csv's answer as the CSV loader passes it (csvLoader.js still types it as a record).
 * @typedef {CsvPreview | Record<string, any>} Answer
 */

/**
 * "named" (a built-in set), "csv" or "inline".
 * @param {Spec["dataset"] | DatasetSpec | null | undefined} dataset
 * @returns {DataKind}
 */
export function dataKind(dataset) {
  const d = /** @type {DatasetSpec | null | undefined} */ (dataset);
  if (!d) return "named";
  if (typeof d.csv === "string") return "csv";
  if (d.inputs !== undefined) return "inline";
  return "named";
}

/**
 * The body of POST /api/csv for a spec's CSV data set and its training seed.
 * @param {Partial<CsvDatasetSpec> & {csv: string}} dataset
 * @param {number} [seed]
 * @returns {CsvDatasetSpec & {seed: number}}
 */
export function csvRequest(dataset, seed = 0) {
  return {
    csv: dataset.csv,
    input_columns: dataset.input_columns ?? null,
    target_columns: dataset.target_columns ?? null,
    standardize: dataset.standardize ?? true,
    test_fraction: dataset.test_fraction ?? 0,
    seed,
  };
}

/**
 * A spec's CSV data set from the file's text and a preview's roles.
 * @param {string} text
 * @param {Roles | Answer} answer
 * @param {{standardize?: boolean, testFraction?: number}} [how]
 * @returns {CsvDatasetSpec}
 */
export function csvDataset(text, answer, { standardize = true, testFraction = 0 } = {}) {
  return {
    csv: text,
    input_columns: answer.input_columns.slice(),
    target_columns: answer.target_columns.slice(),
    standardize,
    test_fraction: testFraction,
  };
}

/**
 * `spec` training on `dataset` as the preview `answer` describes it: the input and output layers
 * sized to its columns and classes (the hidden layers kept), the output activation and loss the
 * targets need (softmax and cross-entropy for classes, linear and MSE for numbers).
 * @param {Spec} spec
 * @param {CsvDatasetSpec} dataset
 * @param {Answer} answer
 * @returns {Spec}
 */
export function withCsvData(spec, dataset, answer) {
  const layers = spec.network.layers.slice();
  layers[0] = answer.input_columns.length;
  layers[layers.length - 1] = answer.target_names.length;
  return {
    ...spec,
    network: { ...spec.network, layers, weights: null,
      output_activation: answer.output_activation ?? spec.network.output_activation },
    training: { ...spec.training, loss: answer.loss ?? spec.training.loss },
    dataset,
  };
}

/**
 * The roles after giving column `name` the role `role` ("input", "target" or "ignored"), or
 * null when that leaves no target. A text column can only be the sole target; another target
 * next to number targets adds an output (a regression of several columns).
 * @param {Answer} answer
 * @param {string} name
 * @param {Role | string} role
 * @returns {Roles | null}
 */
export function withRole(answer, name, role) {
  const a = /** @type {CsvPreview} */ (answer);
  const column = a.columns.find((c) => c.name === name);
  if (!column) return null;
  let inputs = a.input_columns.filter((n) => n !== name);
  let targets = a.target_columns.filter((n) => n !== name);
  if (role === "input") inputs = order(a, [...inputs, name]);
  if (role === "target") {
    const kinds = new Map(a.columns.map((c) => [c.name, c.kind]));
    const text = column.kind === "text" || targets.some((n) => kinds.get(n) === "text");
    targets = text ? [name] : order(a, [...targets, name]);
  }
  if (!targets.length) return null;
  return { input_columns: inputs, target_columns: targets };
}

/**
 * Names in the file's column order.
 * @param {Answer} answer
 * @param {string[]} names
 * @returns {string[]}
 */
function order(answer, names) {
  const at = new Map(/** @type {CsvPreview} */ (answer).columns.map((c, j) => [c.name, j]));
  return [...new Set(names)].sort((a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0));
}

const num = (/** @type {number} */ v) => (Math.abs(v) >= 1e4 || (v !== 0 && Math.abs(v) < 1e-3) ? v.toExponential(2)
  : String(Number(v.toPrecision(3))));

/**
 * One line about a column: its kind and range, or its classes.
 * @param {CsvColumn} column
 * @returns {string}
 */
export function columnNote(column) {
  const empty = column.empty ? ` · ${column.empty} empty` : "";
  if (column.kind === "number") {
    if (column.min === null || column.max === null) return `numbers${empty}`;
    return `numbers ${num(column.min)} … ${num(column.max)}${empty}`;
  }
  // a column of numbers but for a few cells: say where the first of them is
  const numeric = column.classes.filter((c) => c.trim() !== "" && Number.isFinite(Number(c))).length;
  const bad = column.first_text && numeric > 0 ? ` (line ${column.first_text[0]}: “${column.first_text[1]}” is not a number)` : "";
  const values = column.distinct === 1 ? "1 value" : `${column.distinct} values`;
  const some = numeric ? "" : `: ${column.classes.slice(0, 4).join(", ")}${column.distinct > 4 ? ", …" : ""}`;
  return `text, ${values}${some}${bad}${empty}`;
}

/**
 * μ and σ of each input, as the server standardised it: [{name, mean, std}].
 * @param {Pick<CsvPreview, "input_columns"> & {mean?: number[], std?: number[]}} answer
 * @returns {{name: string, mean: number | undefined, std: number | undefined}[]}
 */
export function scaling(answer) {
  return answer.input_columns.map((name, i) => ({ name, mean: answer.mean?.[i], std: answer.std?.[i] }));
}

/**
 * "3 outputs, one per class: softmax and cross-entropy" or the regression's counterpart.
 * @param {Partial<Pick<CsvPreview, "target_names" | "classes" | "kind">>} answer
 * @returns {string}
 */
export function outputNote(answer) {
  const n = answer.target_names?.length ?? 0;
  const outputs = n === 1 ? "1 output" : `${n} outputs`;
  if (answer.classes) return `${outputs}, one per class: softmax and cross-entropy`;
  if (answer.kind === "classification") return `${outputs} of 0 or 1: sigmoid and cross-entropy`;
  return `${outputs}: linear output and mean squared error`;
}

/** @typedef {{msg?: string, ctx?: {line?: number | null, column?: string | number | null}}} ErrorItem  a 422's item */
/**
 * {message, line, column} from a refusal of POST /api/csv (an ApiError).
 * @param {unknown} err
 * @returns {{message: string, line: number | null, column: string | number | null}}
 */
export function csvProblem(err) {
  const e = /** @type {{detail?: unknown, message?: string} | null | undefined} */ (err);
  const detail = Array.isArray(e?.detail) ? /** @type {ErrorItem | undefined} */ (e.detail[0]) : null;
  return {
    message: detail?.msg ?? e?.message ?? String(err),
    line: detail?.ctx?.line ?? null,
    column: detail?.ctx?.column ?? null,
  };
}

/**
 * A message when a file is too large to send, else null.
 * @param {{name: string, size: number}} file
 * @param {number | null | undefined} maxBytes
 * @returns {string | null}
 */
export function fileProblem(file, maxBytes) {
  if (maxBytes && file.size > maxBytes) {
    return `${file.name} is ${file.size} bytes, more than the server's limit of ${maxBytes} bytes`;
  }
  return null;
}

/** @type {WeakMap<InlineDatasetSpec, string>} */
const prints = new WeakMap();

/**
 * A text key of an inline data set's rows, made once per data set object.
 * @param {InlineDatasetSpec} dataset
 * @returns {string | undefined}
 */
function rowsKey(dataset) {
  if (!prints.has(dataset)) {
    prints.set(dataset, JSON.stringify([dataset.inputs, dataset.targets, dataset.test_inputs ?? null,
      dataset.test_targets ?? null]));
  }
  return prints.get(dataset);
}

/**
 * True when two data sets of user data hold the same data with the same roles.
 * @param {Spec["dataset"] | DatasetSpec | undefined} dataA
 * @param {Spec["dataset"] | DatasetSpec | undefined} dataB
 * @returns {boolean}
 */
export function sameData(dataA, dataB) {
  const a = /** @type {DatasetSpec} */ (dataA);
  const b = /** @type {DatasetSpec} */ (dataB);
  const kind = dataKind(a);
  if (kind !== dataKind(b)) return false;
  if (kind === "csv") {
    /** @param {"input_columns" | "target_columns" | "standardize" | "test_fraction"} k */
    const same = (k) => JSON.stringify(a[k] ?? null) === JSON.stringify(b[k] ?? null);
    return a.csv === b.csv && /** @type {const} */ (["input_columns", "target_columns", "standardize", "test_fraction"]).every(same);
  }
  if (kind === "inline") {
    return a === b || rowsKey(/** @type {InlineDatasetSpec} */ (a)) === rowsKey(/** @type {InlineDatasetSpec} */ (b));
  }
  return true;
}
