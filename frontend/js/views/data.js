// @ts-check
// "Your data": a CSV file (chosen, dropped or pasted) read by the server, its first rows with
// each column's kind and role (input, target, ignored), the inputs' standardisation (μ and σ
// shown), the classes a text target gives, and a refusal next to the input, naming the line
// and the column (the cell marked when it is among the rows shown). A job with inline rows
// is described from its data set.

import { canTrain } from "../selectors.js";
import { columnNote, dataKind, fileProblem, outputNote, scaling } from "../userData.js";
import { html, setText } from "./svg.js";

/** @import { CsvPreview, CsvState, DatasetSpec, State, View } from "../types.js" */
/** @import { DataKind, Role } from "../userData.js" */
/**
 * What the panel asks of the controller (controller.js's actions, csvLoader.js's loader).
 * @typedef {object} DataActions
 * @property {(text: string, name: string) => unknown} [loadCsv]
 * @property {(column: string, role: Role) => unknown} [setCsvRole]
 * @property {(on: boolean) => unknown} [setStandardize]
 * @property {() => unknown} [useCsv]
 */
/** @typedef {CsvState["problem"]} Problem  why the CSV cannot train, and where */
/**
 * What the panel last drew from: it redraws when one of these changes.
 * @typedef {object} Shown
 * @property {CsvPreview | null | undefined} answer
 * @property {Problem} problem
 * @property {boolean | undefined} busy
 * @property {DataKind} kind
 * @property {State["dataset"]} data
 * @property {boolean} using  the spec trains on this CSV
 * @property {boolean} editable
 */

/** @type {[Role, string][]} */
const ROLES = [["input", "Input"], ["target", "Target"], ["ignored", "Ignore"]];
const PASTE_SHOWN = 100_000; // characters of a loaded file copied into the paste box to edit
/** @type {Record<string, string>} */
const DELIMITERS = { ",": "comma", ";": "semicolon", "\t": "tab" };
/** @param {number | null | undefined} v @returns {string} */
const fix = (v) => (typeof v === "number" && Number.isFinite(v) ? Number(v.toPrecision(4)).toString() : "–");

/**
 * The "Your data" panel in `el`.
 * @param {HTMLElement} el
 * @param {DataActions} actions
 * @returns {View<State>}
 */
export function DataView(el, actions) {
  el.classList.add("data");
  const pick = html("div", { class: "csv-pick" }, el);
  const label = html("label", { class: "csv-file" }, pick);
  html("span", { class: "csv-file-text" }, label, "Choose a CSV file");
  const file = html("input", { type: "file", "data-input": "csv", accept: ".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain" }, label);
  html("span", { class: "hint" }, pick, "or drop one here, or paste it below");
  const paste = html("textarea", { class: "csv-text", "data-input": "csv-text", rows: 4, spellcheck: "false",
    "aria-label": "CSV text", placeholder: "x1,x2,label\n0.5,1.2,red\n-0.3,0.8,blue" }, el);
  const pasteRow = html("div", { class: "csv-actions" }, el);
  const usePaste = html("button", { type: "button", class: "tool", "data-action": "csv-paste" }, pasteRow, "Read pasted text");
  const train = html("button", { type: "button", class: "tool primary", "data-action": "csv-use", hidden: "" }, pasteRow, "Train on this data");
  const error = html("p", { class: "csv-error", role: "alert", "data-error": "csv" }, el);
  const status = html("p", { class: "csv-status", "data-readout": "csv", "aria-live": "polite" }, el);
  const wrap = html("div", { class: "csv-table-wrap", "data-preview": "csv", tabindex: "0", "aria-label": "The file's first rows" }, el);
  const options = html("div", { class: "csv-options", hidden: "" }, el);
  const stdLabel = html("label", { class: "check" }, options);
  const standardize = html("input", { type: "checkbox", "data-field": "dataset.standardize" }, stdLabel);
  html("span", {}, stdLabel, "Standardise inputs: x′ = (x − μ) / σ");
  const scale = html("p", { class: "csv-scale note", "data-readout": "csv-scaling" }, options);
  const output = html("p", { class: "csv-output note", "data-readout": "csv-output" }, options);
  const classes = html("p", { class: "csv-classes note", "data-readout": "classes" }, options);

  /** Read a chosen or dropped file, unless the server would refuse its size. @param {File} f */
  async function readFile(f) {
    const tooBig = fileProblem(f, lastState?.options?.limits?.max_body_bytes);
    if (tooBig) return setText(error, tooBig);
    const text = await f.text();
    paste.value = text.length <= PASTE_SHOWN ? text : "";
    actions.loadCsv?.(text, f.name);
  }
  file.addEventListener("change", () => file.files?.[0] && readFile(file.files[0]));
  el.addEventListener("dragover", (e) => {
    e.preventDefault();
    el.classList.add("dropping");
  });
  el.addEventListener("dragleave", () => el.classList.remove("dropping"));
  el.addEventListener("drop", (e) => {
    e.preventDefault();
    el.classList.remove("dropping");
    const f = e.dataTransfer?.files?.[0];
    if (f) readFile(f);
  });
  const readPaste = () => paste.value.trim() && actions.loadCsv?.(paste.value, "pasted text");
  usePaste.addEventListener("click", readPaste);
  paste.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) readPaste();
  });
  train.addEventListener("click", () => actions.useCsv?.());
  standardize.addEventListener("change", () => actions.setStandardize?.(standardize.checked));
  wrap.addEventListener("change", (e) => {
    const target = /** @type {Element | null} */ (e.target);
    const select = /** @type {HTMLSelectElement | null | undefined} */ (target?.closest?.("select[data-role-column]"));
    // its options are the roles, and the table names each select's column
    if (select) actions.setCsvRole?.(/** @type {string} */ (select.dataset.roleColumn), /** @type {Role} */ (select.value));
  });

  /** @type {State | null} */
  let lastState = null;
  /** @type {Partial<Shown>} */
  let shown = {};
  return {
    update(s) {
      lastState = s;
      const csv = s.csv;
      const kind = dataKind(s.spec?.dataset);
      const data = /** @type {DatasetSpec | undefined} */ (s.spec?.dataset);
      /** @type {Shown} */
      const keys = { answer: /** @type {CsvPreview | null | undefined} */ (csv?.answer), problem: csv?.problem,
        busy: csv?.busy, kind, data: s.dataset, using: kind === "csv" && data?.csv === csv?.text, editable: canTrain(s) };
      if (/** @type {(keyof Shown)[]} */ (Object.keys(keys)).every((k) => keys[k] === shown[k])) return;
      shown = keys;
      setText(error, csv?.problem ? csv.problem.message : "");
      el.dataset.state = csv?.busy ? "reading" : csv?.problem ? "refused" : csv?.answer ? "read" : "empty";
      if (kind === "inline" && !csv?.answer) return inline(s);
      setText(status, statusLine(csv));
      const answer = keys.answer;
      table(wrap, answer, csv?.problem);
      options.hidden = !answer;
      train.hidden = !answer || Boolean(csv?.problem) || keys.using;
      if (!answer) return;
      standardize.checked = Boolean(answer.standardize);
      setText(scale, answer.standardize && answer.mean.length
        ? `μ, σ of the training rows: ${scaling(answer).map((c) => `${c.name} ${fix(c.mean)}, ${fix(c.std)}`).join(" · ")}`
        : answer.problem ? "" : "Inputs as they are in the file.");
      setText(output, answer.kind ? `${outputNote(answer)} · ${answer.train_rows} training rows, ${answer.test_rows} test rows`
        : "");
      const target = answer.columns.find((c) => c.name === answer.target_columns[0]);
      setText(classes, answer.classes && target
        ? `Classes: ${answer.classes.map((c) => `${c} (${target.counts[target.classes.indexOf(c)] ?? 0})`).join(", ")}` : "");
    },
  };

  /** A job whose rows came through the API: described from its data set. @param {State} s */
  function inline(s) {
    const d = s.dataset;
    table(wrap, null, null);
    options.hidden = true;
    train.hidden = true;
    setText(status, d ? `This job's rows were sent through the API: ${d.rows} training rows, ${d.test_rows} test rows; ` +
      `inputs ${d.feature_names.join(", ")}; targets ${d.target_names.join(", ")}.` : "This job's rows were sent through the API.");
  }
}

/**
 * What the panel holds: nothing yet, a file being read, or the file's rows and columns.
 * @param {CsvState | null} csv
 * @returns {string}
 */
function statusLine(csv) {
  if (!csv) return "Bring your own data: a header line is optional; the last column is the target.";
  if (csv.busy && !csv.answer) return `Reading ${csv.name ?? "the text"}…`;
  const a = /** @type {CsvPreview | null | undefined} */ (csv.answer);
  if (!a) return csv.name ? `${csv.name} could not be read.` : "";
  const header = a.header ? "a header line" : "no header line";
  return `${csv.name ?? "The data"}: ${a.rows} rows × ${a.columns.length} columns, ${header}, ` +
    `${DELIMITERS[a.delimiter] ?? a.delimiter}-separated.`;
}

/**
 * The first rows under each column's name, role and note; the refused cell marked.
 * @param {HTMLElement} wrap
 * @param {CsvPreview | null | undefined} answer
 * @param {Problem} problem
 */
function table(wrap, answer, problem) {
  wrap.replaceChildren();
  wrap.hidden = !answer;
  if (!answer) return;
  const t = html("table", { class: "csv-table" }, wrap);
  const head = html("thead", {}, t);
  const names = html("tr", {}, head);
  html("th", { scope: "col", class: "csv-line" }, names, "line");
  const roles = html("tr", { class: "csv-roles" }, head);
  html("th", { scope: "row", class: "csv-line" }, roles, "role");
  const notes = html("tr", { class: "csv-notes" }, head);
  html("th", { scope: "row", class: "csv-line" }, notes, "");
  answer.columns.forEach((c, j) => {
    const bad = problem?.column === j + 1;
    html("th", { scope: "col", class: bad ? "bad" : "", "data-column": c.name }, names, c.name);
    const cell = html("td", { "data-role": c.role }, roles);
    const select = html("select", { "data-role-column": c.name, "aria-label": `Role of ${c.name}` }, cell);
    // a text column may be asked to be an input: the server's refusal names its first non-number
    for (const [value, text] of ROLES) html("option", { value }, select, text);
    select.value = c.role;
    html("td", { class: "note" }, notes, columnNote(c));
  });
  const body = html("tbody", {}, t);
  answer.first_rows.forEach((row, i) => {
    const line = answer.first_lines[i];
    const tr = html("tr", {}, body);
    html("th", { scope: "row", class: "csv-line" }, tr, String(line));
    row.forEach((cell, j) => {
      const bad = problem?.line === line && (problem.column === null || problem.column === j + 1);
      html("td", { class: bad ? "bad" : "", "data-role": answer.columns[j].role }, tr, cell);
    });
  });
  if (answer.rows > answer.first_rows.length) {
    const more = html("tr", { class: "csv-more" }, body);
    html("td", { colspan: String(answer.columns.length + 1) }, more, `… ${answer.rows - answer.first_rows.length} more rows`);
  }
}
