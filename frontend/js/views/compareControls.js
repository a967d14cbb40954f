// @ts-check
// The compare view's controls: ▶/⏸ and reset for the three runs at once, the data set (the
// main page's thumbnails, views/datasetPicker.js), epochs, seed and the mini-batch run's batch
// size; what the runs are doing, whether their initial weights were checked equal, and the
// server's word when it refused something.

import { compareStatus } from "../compareSession.js";
import { DatasetPicker } from "./datasetPicker.js";
import { html, setAttr, setText } from "./svg.js";

/** @import { CompareSettings } from "../compareState.js" */
/** @import { CompareState } from "../compareSession.js" */
/** @import { View } from "../types.js" */

/**
 * @typedef {object} CompareActions
 * @property {() => void} play
 * @property {() => void} pause
 * @property {() => void} reset
 * @property {(patch: Partial<CompareSettings>) => void} setSettings
 * @property {(name: string, query: string) => Promise<unknown>} datasetRows
 */

/** [control, settings field, label] of the number fields. */
const FIELDS = /** @type {const} */ ([
  ["epochs", "epochs", "Epochs"],
  ["batch", "batchSize", "Mini-batch size b"],
  ["seed", "seed", "Seed (data and initial weights)"],
]);

/**
 * @param {HTMLElement} el
 * @param {CompareActions} actions
 * @returns {View<CompareState>}
 */
export function CompareControlsView(el, actions) {
  el.classList.add("cmp-controls");
  const transport = html("div", { class: "transport" }, el);
  const play = html("button", { type: "button", class: "tool play-button", "data-action": "play" }, transport);
  const reset = html("button", { type: "button", class: "tool", "data-action": "reset" }, transport, "↺ reset");
  play.addEventListener("click", () => (play.dataset.action === "pause" ? actions.pause() : actions.play()));
  reset.addEventListener("click", () => actions.reset());
  const fields = html("div", { class: "cmp-fields" }, el);
  /** @type {Map<string, {input: HTMLInputElement, error: HTMLElement, field: keyof CompareSettings}>} */
  const inputs = new Map();
  for (const [control, field, text] of FIELDS) {
    const label = html("label", { class: "cmp-field" }, fields, text);
    const input = /** @type {HTMLInputElement} */ (html("input", { type: "number", min: control === "seed" ? "0" : "1",
      step: "1", "data-control": control }, label));
    const error = html("span", { class: "field-error", role: "alert" }, label);
    input.addEventListener("change", () => actions.setSettings({ [field]: input.valueAsNumber }));
    inputs.set(control, { input, error, field });
  }
  const pickerWrap = html("div", { class: "cmp-picker" }, el);
  const picker = DatasetPicker(pickerWrap, { datasetRows: actions.datasetRows },
    (/** @type {string} */ name) => actions.setSettings({ dataset: name }));
  const status = html("p", { class: "cmp-status", "aria-live": "polite", "data-readout": "compare-status" }, el);
  const message = html("p", { class: "alert cmp-message", role: "alert" }, el);

  return {
    update(s) {
      const what = compareStatus(s);
      const running = what === "running";
      setAttr(play, "data-action", running ? "pause" : "play");
      setText(play, running ? "⏸" : "▶");
      setAttr(play, "aria-label", running ? "Pause the three runs" : "Train the three runs at once");
      play.toggleAttribute("disabled", s.busy || (!running && Object.keys(s.errors).length > 0));
      reset.toggleAttribute("disabled", s.busy || what === "setup" || !s.owned);
      for (const [control, { input, error, field }] of inputs) {
        const value = Number(s.settings[field]);
        if (document.activeElement !== input && input.valueAsNumber !== value) input.value = String(value);
        setText(error, s.errors[control] ?? "");
      }
      picker.update({ options: s.options, spec: { dataset: { name: s.settings.dataset } } });
      const same = s.sameWeights === null ? "" : s.sameWeights ? " · the three start from the same initial weights ✓"
        : " · their initial weights differ";
      const words = { setup: "▶ makes three jobs and trains them at once", running: "training",
        paused: "paused", ended: "all three runs ended" };
      const whose = what !== "setup" && !s.owned ? " · watching someone else's jobs: ▶ makes your own" : "";
      setText(status, `${words[what]}${whose}${same}`);
      setAttr(el, "data-state", what);
      setText(message, s.message ?? "");
      message.hidden = !s.message;
    },
  };
}
