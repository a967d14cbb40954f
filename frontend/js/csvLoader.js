// Loading a CSV file: its text goes to POST /api/csv (the server reads and checks it
// once), the answer — columns, first rows, roles, μ and σ, classes — goes into the store's
// `csv`, and the form's spec trains on it (layers sized to its columns and classes, the output
// and loss its target needs). Role and standardisation changes ask again; while the form's
// data set is a CSV (the reader's, or a watched job's) the answer follows its roles, split and
// seed. Requests are latest-wins (latest.js). No DOM.

import { createLatest } from "./latest.js";
import { csvDataset, csvProblem, csvRequest, dataKind, withCsvData, withRole } from "./userData.js";

const NO_TARGET = "A network needs a target: make another column the target first.";

/** `store`, `api` and {setSpec} → {load(text, name), setRole(column, role), setStandardize(on), use()}. */
export function createCsvLoader(store, api, { setSpec }) {
  const { get, dispatch } = store;
  let asked = null; // the body of the newest request, so that the store's changes ask only once
  let serial = 0; // the newest request's number: an older answer leaves the loader busy
  const csv = (change) => dispatch({ type: "csv", csv: { ...(get().csv ?? {}), ...change } });
  const latest = createLatest((want) => api.csv(want.body), { onResult, onError });

  function ask(body, { apply, name = get().csv?.name ?? null, keep = false }) {
    asked = body;
    csv({ name, text: body.csv, busy: true, ...(keep ? {} : { answer: null, problem: null }) });
    latest.request({ body, apply, serial: ++serial });
  }

  function onResult(answer, { body, apply, serial: n }) {
    csv({ text: body.csv, answer, problem: answer.problem ?? null, busy: n !== serial, standardize: body.standardize });
    if (apply && !answer.problem) train(body.csv, answer, body.standardize);
  }

  function onError(err, { body, serial: n }) {
    csv({ text: body.csv, problem: csvProblem(err), busy: n !== serial });
  }

  /** The form's spec on the CSV as `answer` describes it. */
  function train(text, answer, standardize) {
    const s = get();
    const testFraction = Number.isFinite(s.spec.dataset.test_fraction) ? s.spec.dataset.test_fraction : 0;
    const dataset = csvDataset(text, answer, { standardize, testFraction });
    asked = csvRequest(dataset, s.spec.training.seed);
    setSpec(withCsvData(s.spec, dataset, answer));
  }

  function body(text, roles = {}) {
    const s = get();
    const test = s.spec?.dataset?.test_fraction;
    return {
      csv: text, input_columns: roles.input_columns ?? null, target_columns: roles.target_columns ?? null,
      standardize: roles.standardize ?? s.csv?.standardize ?? true,
      test_fraction: Number.isFinite(test) ? test : 0, seed: s.spec?.training?.seed ?? 0,
    };
  }

  /** While the form trains on a CSV, keep the answer about that CSV, its roles, split and seed. */
  let seen = null; // the spec last looked at: only a changed spec asks again
  function follow(s) {
    if (s.spec === seen) return;
    seen = s.spec;
    const data = s.spec?.dataset;
    if (dataKind(data) !== "csv") return;
    const want = csvRequest(data, s.spec.training.seed);
    if (asked && JSON.stringify({ ...asked, csv: null }) === JSON.stringify({ ...want, csv: null }) &&
      asked.csv === want.csv) return;
    const name = s.csv?.text === data.csv || !s.job ? s.csv?.name ?? null : `job ${s.job.id.slice(0, 6)}…'s data`;
    ask(want, { apply: false, name, keep: s.csv?.text === data.csv });
  }
  store.subscribe(follow);

  return {
    /** A new file or pasted text: read it, and train on it if its default roles can. */
    load(text, name = null) {
      ask(body(text), { apply: true, name });
    },
    /** Give a column the role "input", "target" or "ignored". */
    setRole(column, role) {
      const s = get();
      const answer = s.csv?.answer;
      if (!answer) return;
      const roles = withRole(answer, column, role);
      if (!roles) return csv({ problem: { message: NO_TARGET, line: null, column: null } });
      ask(body(s.csv.text, { ...roles, standardize: s.csv.standardize }), { apply: true, keep: true });
    },
    /** Standardise the inputs or not. */
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
      if (c?.answer && !c.problem) train(c.text, c.answer, c.standardize ?? true);
      else dispatch({ type: "notice", notice: "Load a CSV file or paste one under Your data first." });
    },
  };
}
