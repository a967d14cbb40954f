// @ts-check
// The settings form, built from /api/options: data, network and training. Every edit becomes a
// new spec (actions.setSpec); fields the spec's validation rejects are marked and explained.
// α changes the page's own job in place (PATCH): on someone else's job its field is read-only.

import { cloneSpec, datasetInfo } from "../spec.js";
import { canTrain } from "../selectors.js";
import { html, setText } from "./svg.js";
import { fieldDefs, SECTIONS } from "./controlFields.js";
import { DatasetPicker } from "./datasetPicker.js";

/** @import { DatasetSpec, Options, Spec, State, View } from "../types.js" */
/** @import { Choice, FieldActions, FieldDef, FieldValue } from "./controlFields.js" */
/** @import { PickerActions, PickerState } from "./datasetPicker.js" */
/**
 * What the form asks of the controller (controller.js's actions).
 * @typedef {FieldActions & PickerActions & {
 *   editSpec?: (fn: (spec: Spec) => Spec) => unknown,
 *   newJob?: () => unknown,
 * }} ControlsActions
 */
/** @typedef {HTMLInputElement | HTMLSelectElement | HTMLDivElement} FieldInput  a div holds a group of checkboxes */
/**
 * A built field: its definition and its elements.
 * @typedef {{def: FieldDef, input: FieldInput, wrap: HTMLElement, error: HTMLElement, note: HTMLElement | null}} Field
 */
/**
 * What the fields show, to skip an update that would change nothing (spec null: show it again).
 * @typedef {{spec: Spec | null, errors: Record<string, string> | null, readOnly: boolean | null}} Shown
 */

/** @param {Choice} x @returns {string} */
const nameOf = (x) => (typeof x === "string" ? x : x.name);
/** @param {Choice} x @returns {string} */
const describe = (x) => (typeof x === "string" ? "" : x.description ?? x.label ?? "");
/** @returns {Shown} */
const nothingShown = () => ({ spec: null, errors: null, readOnly: null });

/**
 * The settings form in `el`.
 * @param {HTMLElement} el
 * @param {ControlsActions} actions
 * @returns {View<State>}
 */
export function ControlsView(el, actions) {
  el.classList.add("controls");
  const form = html("form", { novalidate: "", "aria-label": "Settings" }, el);
  form.addEventListener("submit", (e) => e.preventDefault());
  /** @type {Options | null} */
  let built = null;
  /** @type {Field[]} */
  let fields = [];
  let shown = nothingShown();
  /** @type {View<PickerState> | null} */
  let picker = null;

  /** @param {Options} options */
  function build(options) {
    form.replaceChildren();
    shown = nothingShown(); // the new fields show the spec
    /** @type {Record<string, HTMLFieldSetElement>} */
    const groups = {};
    for (const [key, title] of SECTIONS) {
      const fs = html("fieldset", { class: `section section-${key}` }, form);
      html("legend", {}, fs, title);
      groups[key] = fs;
    }
    fields = fieldDefs(options).map((def) => makeField(groups[def.section], def, options));
    // the built-in sets as thumbnails, above the data set's select (which also lists your data)
    const dataset = /** @type {Field} */ (fields.find((f) => f.def.id === "dataset")); // always a field
    const spot = html("div", { class: "field-picker" });
    groups.data.insertBefore(spot, dataset.wrap);
    picker = DatasetPicker(spot, actions, (name) =>
      actions.editSpec?.((spec) => dataset.def.write(cloneSpec(spec), name)));
    const actionsRow = html("div", { class: "form-actions" }, form);
    const start = html("button", { type: "button", class: "primary", "data-action": "new-job" }, actionsRow, "Start new job");
    start.addEventListener("click", () => actions.newJob?.());
    html("p", { class: "hint" }, actionsRow,
      "Changes show the new setup; ▶ or a step starts its job. α and speed apply to your running job.");
  }

  /**
   * A field's label, input, note and error in `parent`, its edits sent as spec edits.
   * @param {HTMLElement} parent
   * @param {FieldDef} def
   * @param {Options} options
   * @returns {Field}
   */
  function makeField(parent, def, options) {
    const wrap = html("div", { class: `field field-${def.id}` }, parent);
    const id = `f-${def.id}`;
    // a group of checkboxes is named by its heading; single inputs by a <label for>
    const label = def.kind === "checks"
      ? html("span", { id: `${id}-label`, class: "group-label" }, wrap, def.label)
      : html("label", { for: id }, wrap, def.label);
    if (def.math) html("span", { class: "math" }, label, def.math);
    /** @type {FieldInput} */
    let input;
    if (def.kind === "select") {
      input = html("select", { id, name: def.id }, wrap);
      for (const opt of def.choices ?? []) {
        const o = html("option", { value: nameOf(opt) }, input, def.labelOf ? def.labelOf(opt) : nameOf(opt));
        o.title = describe(opt);
        if (typeof opt !== "string" && opt.disabled) o.disabled = true; // shown when current, never chosen
      }
    } else if (def.kind === "checks") {
      input = html("div", { id, class: "checks", role: "group", "aria-labelledby": `${id}-label` }, wrap);
      for (const f of options.features ?? []) {
        const l = html("label", { class: "check" }, input);
        html("input", { type: "checkbox", value: f.name, "data-feature": f.name }, l);
        html("span", {}, l, f.label);
      }
    } else if (def.kind === "checkbox") {
      wrap.classList.add("inline");
      input = html("input", { id, name: def.id, type: "checkbox" }, wrap);
      wrap.insertBefore(input, label);
    } else {
      input = html("input", { id, name: def.id, type: def.kind, ...(def.attrs ?? {}) }, wrap);
      if (def.kind === "range") input.after(html("output", { for: id, class: "range-out" }));
    }
    input.dataset.field = def.path ?? def.id;
    const note = def.note ? html("p", { class: "note" }, wrap) : null;
    const error = html("p", { class: "field-error", id: `${id}-error`, role: "alert" }, wrap);
    input.setAttribute("aria-describedby", `${id}-error`);
    // the edit applies to the newest spec (several edits may land between two renders)
    const handler = () => {
      if (def.act?.(read(def, input), actions)) { // a choice that is an action, not an edit
        shown.spec = null; // the next update shows the spec's value again
        return;
      }
      actions.editSpec?.((spec) => def.write(cloneSpec(spec), read(def, input)));
    };
    input.addEventListener(def.kind === "select" || def.kind === "checkbox" || def.kind === "checks" ? "change" : "input", handler);
    return { def, input, wrap, error, note };
  }

  return {
    update(s) {
      if (!s.options || !s.spec) return;
      if (built !== s.options) {
        build(s.options);
        built = s.options;
      }
      picker?.update(s);
      const readOnly = !canTrain(s);
      if (shown.spec === s.spec && shown.errors === s.specErrors && shown.readOnly === readOnly) return;
      shown = { spec: s.spec, errors: s.specErrors, readOnly };
      const spec = s.spec;
      const info = datasetInfo(s.options, /** @type {DatasetSpec} */ (spec.dataset).name);
      for (const f of fields) {
        const visible = f.def.visible ? f.def.visible(spec, info) : true;
        f.wrap.hidden = !visible;
        if (f.def.patches) {
          const input = /** @type {HTMLInputElement} */ (f.input); // α's number field
          input.disabled = readOnly;
          input.title = readOnly ? "Someone else's job: fork it to change α" : "";
        }
        if (document.activeElement !== f.input) show(f, f.def.read(spec));
        const message = s.specErrors?.[f.def.path] ?? "";
        setText(f.error, message);
        if (f.input.setAttribute) f.input.setAttribute("aria-invalid", message ? "true" : "false");
        f.wrap.classList.toggle("invalid", Boolean(message));
        if (f.note) setText(f.note, f.def.note?.(spec, info) ?? "");
        if (f.def.kind === "range") {
          const out = /** @type {HTMLOutputElement} */ (f.input.nextElementSibling); // its read-out
          setText(out, f.def.format?.(/** @type {number} */ (f.def.read(spec))) ?? "");
        }
      }
    },
  };
}

/**
 * The value a field's input holds, as the spec has it.
 * @param {FieldDef} def
 * @param {FieldInput} el
 * @returns {FieldValue}
 */
function read(def, el) {
  if (def.kind === "checks") {
    return [.../** @type {NodeListOf<HTMLInputElement>} */ (el.querySelectorAll("input:checked"))].map((c) => c.value);
  }
  const input = /** @type {HTMLInputElement | HTMLSelectElement} */ (el);
  if (def.kind === "checkbox") return /** @type {HTMLInputElement} */ (input).checked;
  if (def.kind === "number") return input.value.trim() === "" ? NaN : Number(input.value);
  if (def.kind === "range") return Number(input.value) / (def.scale ?? 1);
  return input.value;
}

/**
 * The spec's value in a field's input.
 * @param {Field} f
 * @param {FieldValue | undefined} value
 */
function show(f, value) {
  const def = f.def;
  if (def.kind === "checks") {
    for (const c of f.input.querySelectorAll("input")) c.checked = /** @type {string[]} */ (value).includes(c.value);
    return;
  }
  const input = /** @type {HTMLInputElement} */ (f.input); // or a select: both have a value
  if (def.kind === "checkbox") {
    input.checked = Boolean(value);
  } else if (def.kind === "range") {
    input.value = String(Math.round(/** @type {number} */ (value) * (def.scale ?? 1)));
  } else if (def.kind === "number") {
    if (!(Number.isNaN(value) && input.value !== "") && input.value !== String(value)) input.value = Number.isNaN(value) ? "" : String(value);
  } else if (input.value !== String(value)) {
    input.value = String(value);
  }
}
