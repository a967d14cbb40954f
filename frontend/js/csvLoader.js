// @ts-check
// Loading a CSV file: its text goes to POST /api/csv (the server reads and checks it
// once), the answer — columns, first rows, roles, μ and σ, classes — goes into the store's
// `csv`, and the form's spec trains on it (layers sized to its columns and classes, the output
// and loss its target needs). Role and standardisation changes ask again; while the form's
// data set is a CSV (the reader's, or a watched job's) the answer follows its roles, split and
// seed. Requests are latest-wins (latest.js). No DOM.

import { createLatest } from "./latest.js";
import { csvDataset, csvProblem, csvRequest, dataKind, withCsvData, withRole } from "./userData.js";

const NO_TARGET = "A network needs a target: make another column the target first.";

/** @import { CsvState, Spec, State, Store } from "./types.js" */
/** @typedef {Record<string, any>} CsvAnswer  POST /api/csv's answer (backend/api/schemas/dataset.py) */
/**
 * A request to POST /api/csv: the text, the columns' roles, the split and the seed.
 * @typedef {{csv: string, input_columns: string[] | null, target_columns: string[] | null,
 *   standardize: boolean, test_fraction: number, seed: number}} CsvBody
 */
/** @typedef {{body: CsvBody, apply: boolean, serial: number}} Asked */

/** The form's test split (0 when it has none). @param {State} s */
const testShare = (s) => {
  const f = s.spec?.dataset?.test_fraction;
  return f !== undefined && Number.isFinite(f) ? f : 0;
};

/**
 * `store`, `api` and {setSpec} → {load(text, name), setRole(column, role), setStandardize(on), use()}.
 * @param {Store} store
 * @param {{csv: (body: CsvBody) => Promise<CsvAnswer>}} api
 * @param {{setSpec: (spec: Spec) => void}} parts
 */
export function createCsvLoader(store, api, { setSpec }) {
  const { get, dispatch } = store;
  /** @type {CsvBody | null} */
  let asked = null; // the body of the newest request, so that the store's changes ask only once
  let serial = 0; // the newest request's number: an older answer leaves the loader busy
  const csv = (/** @type {Partial<CsvState>} */ change) => dispatch({ type: "csv", csv: { ...(get().csv ?? {}), ...change } });
  const latest = createLatest((/** @type {Asked} */ want) => api.csv(want.body), { onResult, onError });

  /**
   * @param {CsvBody} body
   * @param {{apply: boolean, name?: string | null, keep?: boolean}} how
   */
  function ask(body, { apply, name = get().csv?.name ?? null, keep = false }) {
    asked = body;
    csv({ name, text: body.csv, busy: true, ...(keep ? {} : { answer: null, problem: null }) });
    latest.request({ body, apply, serial: ++serial });
  }

  /** @param {CsvAnswer} answer @param {Asked} asked */
  function onResult(answer, { body, apply, serial: n }) {
    csv({ text: body.csv, answer, problem: answer.problem ?? null, busy: n !== serial, standardize: body.standardize });
    if (apply && !answer.problem) train(body.csv, answer, body.standardize);
  }

  /** @param {unknown} err @param {Asked} asked */
  function onError(err, { body, serial: n }) {
    csv({ text: body.csv, problem: csvProblem(err), busy: n !== serial });
  }

  /**
   * The form's spec on the CSV as `answer` describes it.
   * @param {string} text @param {CsvAnswer} answer @param {boolean} standardize
   */
  function train(text, answer, standardize) {
    const s = get();
    if (!s.spec) return;
    const testFraction = testShare(s);
    const dataset = csvDataset(text, answer, { standardize, testFraction });
    asked = csvRequest(dataset, s.spec.training.seed);
    setSpec(withCsvData(s.spec, dataset, answer));
  }

  /**
   * @param {string} text
   * @param {{input_columns?: string[] | null, target_columns?: string[] | null, standardize?: boolean}} roles
   * @returns {CsvBody}
   */
  function body(text, roles = {}) {
    const s = get();
    return {
      csv: text, input_columns: roles.input_columns ?? null, target_columns: roles.target_columns ?? null,
      standardize: roles.standardize ?? s.csv?.standardize ?? true,
      test_fraction: testShare(s), seed: s.spec?.training?.seed ?? 0,
    };
  }

  /** While the form trains on a CSV, keep the answer about that CSV, its roles, split and seed. */
  /** @type {Spec | null} */
  let seen = null; // the spec last looked at: only a changed spec asks again
  /** @param {State} s */
  function follow(s) {
    if (s.spec === seen) return;
    seen = s.spec;
    if (!s.spec || dataKind(s.spec.dataset) !== "csv") return;
    const data = /** @type {import("./types.js").CsvDatasetSpec} */ (s.spec.dataset);
    const want = csvRequest(data, s.spec.training.seed);
    if (asked && JSON.stringify({ ...asked, csv: null }) === JSON.stringify({ ...want, csv: null }) &&
      asked.csv === want.csv) return;
    const name = s.csv?.text === data.csv || !s.job ? s.csv?.name ?? null : `job ${s.job.id.slice(0, 6)}…'s data`;
    ask(want, { apply: false, name, keep: s.csv?.text === data.csv });
  }
  store.subscribe(follow);

  return {
    /** A new file or pasted text: read it, and train on it if its default roles can. */
    /** @param {string} text @param {string | null} name */
    load(text, name = null) {
      ask(body(text), { apply: true, name });
    },
    /** Give a column the role "input", "target" or "ignored". */
    /** @param {string} column @param {"input" | "target" | "ignored"} role */
    setRole(column, role) {
      const s = get();
      const answer = s.csv?.answer;
      if (!answer || !s.csv?.text) return;
      const roles = withRole(answer, column, role);
      if (!roles) return csv({ problem: { message: NO_TARGET, line: null, column: null } });
      ask(body(s.csv.text, { ...roles, standardize: s.csv.standardize }), { apply: true, keep: true });
    },
    /** Standardise the inputs or not. */
    /** @param {boolean} on */
    setStandardize(on) {
      const s = get();
      const answer = s.csv?.answer;
      if (!s.csv?.text) return;
      const roles = answer ? { input_columns: answer.input_columns, target_columns: answer.target_columns } : {};
      ask(body(s.csv.text, { ...roles, standardize: on }), { apply: true, keep: true });
    },
    /** Train on the loaded CSV again (after a built-in set was chosen). */
    use() {
      const c = get().csv;
      if (c?.answer && !c.problem && c.text) train(c.text, c.answer, c.standardize ?? true);
      else dispatch({ type: "notice", notice: "Load a CSV file or paste one under Your data first." });
    },
  };
}
