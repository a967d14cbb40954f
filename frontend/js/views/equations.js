// @ts-check
// The equation panel: the article's equations for the selected neuron j of layer i, with
// this iteration's numbers for sample k, rendered by KaTeX. The row of the current phase
// is highlighted. The reader's choices go up through the page's actions: `select({layer,
// index})` for another neuron of the panel's menu, `setSample(k)` for another sample (‹ ›).
// How often it renders while training runs is render.js's `every` (main.js), not its own.

import katex from "../../vendor/katex/katex.mjs";
import { equationRows, updateNumbers } from "../math.js";
import { clampSelection, neuronTrace } from "../neuron.js";
import { penalised, penaltyOf } from "../penalty.js";

/** @import { EquationRow, FullFrame, NeuronRef, Spec, State, View } from "../types.js" */

/**
 * What the panel asks of the page: another neuron, another sample of the batch.
 * @typedef {{ select(ref: NeuronRef): void, setSample(k: number): void }} EquationActions
 */
/**
 * One row on the page: its item, its typeset math, its equation number and its current TeX.
 * @typedef {{ li: HTMLLIElement, math: HTMLElement, num: HTMLElement, tex: string }} RowEl
 */
/** @typedef {EquationRow["phase"]} RowPhase */

/** @type {Record<string, string>} */
const CAPTIONS = {
  z: "weighted sum",
  y: "activation",
  loss: "batch loss",
  dy: "gradient at y",
  dz: "gradient at z",
  grad: "weight gradient",
  update: "weight update",
};
/** @type {Record<RowPhase, string>} */
const PHASES = { forward: "Forward pass", loss: "Loss", backward: "Backward pass", update: "Update" };
const ORDER = Object.keys(PHASES);

/**
 * The spec the frames come from: the running job's when there is one.
 * @param {State} state
 * @returns {Partial<Spec>}
 */
const specOf = (state) => state.job?.spec ?? state.spec ?? {};

/**
 * The panel in `el`.
 * @param {HTMLElement} el
 * @param {EquationActions} actions
 * @returns {View}
 */
export function EquationsView(el, actions) {
  el.classList.add("equations-view");
  el.innerHTML = `
    <header class="ev-head">
      <label class="ev-pick">Neuron <select class="ev-select" aria-label="Neuron to explain"></select></label>
      <span class="ev-sample" hidden>sample
        <button type="button" class="ev-prev" aria-label="Previous sample">‹</button>
        <output class="ev-k"></output>
        <button type="button" class="ev-next" aria-label="Next sample">›</button>
      </span>
      <span class="ev-meta"></span>
    </header>
    <p class="view-empty ev-empty">The equations fill in with real numbers after the first iteration.</p>
    <ol class="ev-rows"></ol>`;
  /** @template {HTMLElement} E @param {string} s @returns {E} */
  const $ = (s) => /** @type {E} */ (el.querySelector(s));
  /** @type {HTMLSelectElement} */
  const select = $(".ev-select");
  /** @type {HTMLOListElement} */
  const list = $(".ev-rows");
  /** @type {Map<string, RowEl>} */
  let rowEls = new Map(); // id → {li, math, num, tex}
  /** @type {unknown[] | null} */
  let lastKey = null;
  let lastOptions = "";
  let shown = { sample: 0, batch: 0 };

  select.addEventListener("change", () => {
    const [layer, index] = select.value.split(":").map(Number);
    actions.select({ layer, index });
  });
  $(".ev-prev").addEventListener("click", () => actions.setSample((shown.sample - 1 + shown.batch) % shown.batch));
  $(".ev-next").addEventListener("click", () => actions.setSample((shown.sample + 1) % shown.batch));

  /**
   * The neuron menu for the frame's layers, showing `sel`.
   * @param {FullFrame} frame
   * @param {NeuronRef} sel
   */
  function fillSelect(frame, sel) {
    const sizes = frame.layers.map((l) => l.z.length);
    const key = sizes.join("-");
    if (key !== lastOptions) {
      lastOptions = key;
      select.innerHTML = sizes.map((n, i) => {
        const name = i === sizes.length - 1 ? "output" : `hidden ${i + 1}`;
        return `<optgroup label="Layer ${i + 1} (${name})">${Array.from({ length: n }, (_, j) =>
          `<option value="${i + 1}:${j}">layer ${i + 1}, neuron ${j + 1}</option>`).join("")}</optgroup>`;
      }).join("");
    }
    select.value = `${sel.layer}:${sel.index}`;
  }

  /**
   * The rows on the page: rebuilt when their ids change, else their TeX queued anew.
   * @param {EquationRow[]} rows
   */
  function setRows(rows) {
    const ids = rows.map((r) => r.id).join(",");
    if (ids !== [...rowEls.keys()].join(",")) {
      list.textContent = "";
      rowEls = new Map();
      pending.clear();
      for (const r of rows) {
        const li = document.createElement("li");
        li.className = "ev-row";
        li.dataset.eq = r.id;
        li.dataset.phase = r.phase;
        li.innerHTML = `<span class="ev-caption">${CAPTIONS[r.id]}</span>
          <span class="ev-math"></span><span class="ev-number">${r.eq}</span>`;
        list.append(li);
        rowEls.set(r.id, {
          li,
          math: /** @type {HTMLElement} */ (li.querySelector(".ev-math")),
          num: /** @type {HTMLElement} */ (li.querySelector(".ev-number")),
          tex: "",
        });
      }
    }
    for (const r of rows) {
      const row = /** @type {RowEl} */ (rowEls.get(r.id));
      if (row.tex !== r.tex) {
        row.tex = r.tex;
        pending.set(r.id, row); // typeset in slices (below): the newest TeX of a row wins
      }
      row.num.textContent = r.eq;
      row.li.title = r.eq ? `${PHASES[r.phase]} · eq. ${r.eq} of the article` : PHASES[r.phase];
    }
  }

  // KaTeX costs several ms per row on wide layers: typeset rows in slices of a few ms per
  // animation frame, so that no single task blocks the page for long (no long tasks).
  /** @type {Map<string, RowEl>} */
  const pending = new Map(); // id → row whose .tex awaits typesetting
  let typesetting = 0;
  const SLICE_MS = 8;
  function typeset() {
    typesetting = 0;
    const start = performance.now();
    for (const [id, row] of pending) {
      pending.delete(id);
      katex.render(row.tex, row.math, { throwOnError: false, displayMode: false });
      if (performance.now() - start > SLICE_MS) break;
    }
    if (pending.size) typesetting = requestAnimationFrame(typeset);
  }
  function scheduleTypeset() {
    if (pending.size && !typesetting) typesetting = requestAnimationFrame(typeset);
  }

  /** @param {State} state */
  function render(state) {
    const frame = state.frame;
    const spec = specOf(state);
    const network = spec.network || { activation: "sigmoid", output_activation: "sigmoid" };
    const penalty = penaltyOf(spec.training);
    const trace = frame && frame.layers ? neuronTrace(frame, state.prevWeights, state.selected,
      state.sample, network, penalty) : null;
    el.classList.toggle("is-empty", !trace);
    if (!frame || !trace) {
      list.textContent = "";
      rowEls = new Map();
      $(".ev-sample").hidden = true;
      $(".ev-meta").textContent = "";
      return;
    }
    const sel = /** @type {NeuronRef} */ (clampSelection(frame, state.selected));
    fillSelect(frame, sel);
    shown = { sample: trace.sample, batch: trace.batch };
    $(".ev-sample").hidden = trace.batch < 2;
    $(".ev-k").textContent = `${trace.sample + 1} of ${trace.batch}`;
    $(".ev-meta").textContent = `iteration ${frame.iteration} · α = ${trace.alpha}`;
    Object.assign(el.dataset, {
      layer: trace.layer, index: trace.index, sample: trace.sample, iteration: frame.iteration,
    });
    const outputs = frame.layers[frame.layers.length - 1].z.length;
    setRows(equationRows(trace, { loss: spec.training?.loss || "half_sse", outputs, penalty }));
    // The update row's exact numbers (the TeX rounds them), and which penalty the row shows.
    const update = rowEls.get("update");
    if (update) {
      update.li.dataset.penalty = penalised(penalty) ? penalty.kind : "none";
      update.li.dataset.numbers = JSON.stringify(updateNumbers(trace, penalty));
    }
    scheduleTypeset();
  }

  // While explain mode plays an iteration, the rows of the phases still to come keep their
  // numbers back: ℓ appears in the loss phase, the gradients in the backward pass.
  /** @type {string | null} */
  let shownPhase = null;
  /**
   * @param {string | null} phase
   * @param {boolean} [force]
   */
  function highlight(phase, force = false) {
    if (phase === shownPhase && !force) return;
    shownPhase = phase;
    el.dataset.phase = phase || "idle";
    const at = ORDER.indexOf(phase ?? "");
    for (const { li } of rowEls.values()) {
      li.classList.toggle("is-active", li.dataset.phase === phase);
      li.classList.toggle("is-ahead", at >= 0 && ORDER.indexOf(li.dataset.phase ?? "") > at);
    }
  }

  /** @param {State} state */
  function update(state) {
    const spec = specOf(state);
    const key = [state.frame, state.selected?.layer, state.selected?.index, state.sample,
      spec.network?.activation, spec.network?.output_activation, spec.training?.loss,
      spec.training?.regularization, spec.training?.regularization_rate];
    const last = lastKey;
    const changed = !last || key.some((v, i) => v !== last[i]);
    lastKey = key;
    if (changed) {
      render(state);
      highlight(state.phase, true); // rows may have been rebuilt
      return;
    }
    highlight(state.phase);
  }

  return { update };
}
