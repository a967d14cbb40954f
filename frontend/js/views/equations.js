// The equation panel: the article's equations for the selected neuron j of layer i, with
// this iteration's numbers for sample k, rendered by KaTeX. The row of the current phase
// is highlighted. The reader's choices go up through the page's actions: `select({layer,
// index})` for another neuron of the panel's menu, `setSample(k)` for another sample (‹ ›).
// How often it renders while training runs is render.js's `every` (main.js), not its own.

import katex from "../../vendor/katex/katex.mjs";
import { equationRows } from "../math.js";
import { clampSelection, neuronTrace } from "../neuron.js";

const CAPTIONS = {
  z: "weighted sum",
  y: "activation",
  loss: "batch loss",
  dy: "gradient at y",
  dz: "gradient at z",
  grad: "weight gradient",
  update: "weight update",
};
const PHASES = { forward: "Forward pass", loss: "Loss", backward: "Backward pass", update: "Update" };
const ORDER = Object.keys(PHASES);

/** The spec the frames come from: the running job's when there is one. */
const specOf = (state) => (state.job && state.job.spec) || state.spec || {};

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
  const $ = (s) => el.querySelector(s);
  const select = $(".ev-select");
  const list = $(".ev-rows");
  let rowEls = new Map(); // id → {li, math, tex}
  let lastKey = null;
  let lastOptions = "";
  let shown = { sample: 0, batch: 0 };

  select.addEventListener("change", () => {
    const [layer, index] = select.value.split(":").map(Number);
    actions.select({ layer, index });
  });
  $(".ev-prev").addEventListener("click", () => actions.setSample((shown.sample - 1 + shown.batch) % shown.batch));
  $(".ev-next").addEventListener("click", () => actions.setSample((shown.sample + 1) % shown.batch));

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
        rowEls.set(r.id, { li, math: li.querySelector(".ev-math"), num: li.querySelector(".ev-number"), tex: "" });
      }
    }
    for (const r of rows) {
      const row = rowEls.get(r.id);
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

  function render(state) {
    const frame = state.frame;
    const spec = specOf(state);
    const network = spec.network || { activation: "sigmoid", output_activation: "sigmoid" };
    const trace = frame && frame.layers ? neuronTrace(frame, state.prevWeights, state.selected,
      state.sample, network) : null;
    el.classList.toggle("is-empty", !trace);
    if (!trace) {
      list.textContent = "";
      rowEls = new Map();
      $(".ev-sample").hidden = true;
      $(".ev-meta").textContent = "";
      return;
    }
    const sel = clampSelection(frame, state.selected);
    fillSelect(frame, sel);
    shown = { sample: trace.sample, batch: trace.batch };
    $(".ev-sample").hidden = trace.batch < 2;
    $(".ev-k").textContent = `${trace.sample + 1} of ${trace.batch}`;
    $(".ev-meta").textContent = `iteration ${frame.iteration} · α = ${trace.alpha}`;
    Object.assign(el.dataset, {
      layer: trace.layer, index: trace.index, sample: trace.sample, iteration: frame.iteration,
    });
    const training = spec.training || {};
    const outputs = frame.layers[frame.layers.length - 1].z.length;
    setRows(equationRows(trace, { loss: training.loss || "half_sse", outputs }));
    scheduleTypeset();
  }

  // While explain mode plays an iteration, the rows of the phases still to come keep their
  // numbers back: ℓ appears in the loss phase, the gradients in the backward pass.
  let shownPhase = null;
  function highlight(phase, force = false) {
    if (phase === shownPhase && !force) return;
    shownPhase = phase;
    el.dataset.phase = phase || "idle";
    const at = ORDER.indexOf(phase);
    for (const { li } of rowEls.values()) {
      li.classList.toggle("is-active", li.dataset.phase === phase);
      li.classList.toggle("is-ahead", at >= 0 && ORDER.indexOf(li.dataset.phase) > at);
    }
  }

  function update(state) {
    const spec = specOf(state);
    const key = [state.frame, state.selected && state.selected.layer,
      state.selected && state.selected.index, state.sample, spec.network && spec.network.activation,
      spec.network && spec.network.output_activation, spec.training && spec.training.loss];
    const changed = !lastKey || key.some((v, i) => v !== lastKey[i]);
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
