// @ts-check
// Above the diagram: the architecture line (hidden layers −/+, the sample shown) and, over each
// column, the layer's name, its neuron count and −/+ buttons. A name takes the longest form its
// column has room for ("Hidden layer 2", "Hidden 2", "H2"), so neighbours never run together;
// a column too narrow for its −/+ keeps its count (the form's field changes it).

import { canAddLayer, canAddNeuron, canRemoveNeuron } from "../spec.js";
import { edgeCount, layerNames } from "../layout.js";
import { firstFitting, fontOf, textMeter } from "./measure.js";
import { html, setText } from "./svg.js";

/** @import { Layout, Size, State } from "../types.js" */
/**
 * What the bar's buttons ask for: a hidden layer more or less, a neuron more or less in a
 * layer, another sample of the batch.
 * @typedef {{addLayer?: () => unknown, removeLayer?: () => unknown, addNeuron?: (layer: number) => unknown,
 *   removeNeuron?: (layer: number) => unknown, setSample?: (sample: number) => unknown}} LayerBarActions
 */
/**
 * A column's −/+ buttons and its count; `roomy` when the column has room for the buttons.
 * @typedef {{rm: HTMLButtonElement, add: HTMLButtonElement, n: HTMLSpanElement, roomy: boolean}} Block
 */

const BUTTONS_PX = 76; // "− 200 +" at the columns' font

/**
 * @param {HTMLElement} el
 * @param {LayerBarActions} actions
 */
export function LayerBar(el, actions) {
  const top = html("div", { class: "arch-line" }, el);
  const arch = html("span", { class: "arch", "data-readout": "architecture" }, top);
  const layerCtl = html("span", { class: "layer-ctl" }, top);
  html("span", { class: "label" }, layerCtl, "Hidden layers");
  const minus = html("button", { type: "button", class: "icon", "aria-label": "Remove the last hidden layer",
    "data-action": "remove-layer" }, layerCtl, "−");
  const countEl = html("span", { class: "count", "aria-live": "polite" }, layerCtl);
  const plus = html("button", { type: "button", class: "icon", "aria-label": "Add a hidden layer",
    "data-action": "add-layer" }, layerCtl, "+");
  minus.addEventListener("click", () => actions.removeLayer?.());
  plus.addEventListener("click", () => actions.addLayer?.());

  const sampleCtl = html("span", { class: "sample-ctl" }, top);
  const prev = html("button", { type: "button", class: "icon", "aria-label": "Previous sample of the batch" }, sampleCtl, "‹");
  const sampleText = html("span", { class: "sample-text", "data-readout": "sample" }, sampleCtl);
  const next = html("button", { type: "button", class: "icon", "aria-label": "Next sample of the batch" }, sampleCtl, "›");
  /** @type {{sample: number} | null} */
  let current = null;
  prev.addEventListener("click", () => current && actions.setSample?.(current.sample - 1));
  next.addEventListener("click", () => current && actions.setSample?.(current.sample + 1));

  const cols = html("div", { class: "columns" }, el);
  let shape = "";
  /** @type {Block[]} */
  let blocks = [];

  /** @param {Layout} layout @param {Size} box  the diagram's size */
  function buildColumns(layout, box) {
    cols.replaceChildren();
    const count = layout.columns.length;
    /** @type {((text: string) => number) | null} */
    let meter = null;
    blocks = layout.columns.map((c) => {
      const b = html("div", { class: "col", style: `left:${(c.x / box.width) * 100}%` }, cols);
      const name = html("div", { class: "col-name" }, b, c.name);
      meter ??= textMeter(fontOf(name));
      // room: up to the neighbours' halves, and no further out than the diagram's edge
      const room = Math.min(layout.colGap, 2 * c.x + 12, 2 * (box.width - c.x) + 12) - 8;
      setText(name, firstFitting(layerNames(c.layer, count), meter, room));
      name.title = `${c.name} (i = ${c.layer})`;
      const row = html("div", { class: "col-ctl" }, b);
      const rm = html("button", { type: "button", class: "icon small", "data-action": "remove-neuron",
        "data-layer": c.layer, "aria-label": `Remove a neuron from ${c.name.toLowerCase()} ${c.layer}` }, row, "−");
      const n = html("span", { class: "col-count" }, row);
      const add = html("button", { type: "button", class: "icon small", "data-action": "add-neuron",
        "data-layer": c.layer, "aria-label": `Add a neuron to ${c.name.toLowerCase()} ${c.layer}` }, row, "+");
      rm.addEventListener("click", () => actions.removeNeuron?.(c.layer));
      add.addEventListener("click", () => actions.addNeuron?.(c.layer));
      return { rm, add, n, roomy: room >= BUTTONS_PX };
    });
  }

  return {
    /** @param {State} s @param {Layout | null} layout @param {Size} box  the diagram's size */
    update(s, layout, box) {
      const spec = s.spec;
      if (!layout || !spec) return;
      const sizes = layout.totals; // the network shown (a watched job's own), as the diagram
      const form = spec.network.layers;
      const key = `${sizes.join("-")}|${box.width}`;
      if (key !== shape) {
        buildColumns(layout, box);
        shape = key;
      }
      const params = sizes.slice(1).reduce((a, n, i) => a + n * (sizes[i] + 1), 0);
      setText(arch, `${sizes.join("-")} · ${edgeCount(sizes)} weights + ${params - edgeCount(sizes)} biases`);
      setText(countEl, String(sizes.length - 2));
      const editable = form.length === sizes.length; // the buttons edit the form's network
      minus.disabled = form.length <= 2;
      plus.disabled = !canAddLayer(spec, s.options);
      blocks.forEach((b, layer) => {
        setText(b.n, String(sizes[layer]));
        b.rm.disabled = !editable || !canRemoveNeuron(spec, s.options, layer);
        b.add.disabled = !editable || !canAddNeuron(spec, s.options, layer);
        const fixed = b.rm.disabled && b.add.disabled;
        b.rm.hidden = fixed || !b.roomy;
        b.add.hidden = fixed || !b.roomy;
      });
      const frame = s.frame;
      const width = frame?.inputs?.[0]?.length ?? 0;
      current = { sample: s.sample };
      sampleCtl.hidden = width === 0;
      if (frame && width) {
        const row = frame.rows?.[s.sample];
        const batch = frame.rows?.length ?? width; // a long batch's frames carry its first samples
        const of = batch > width ? `${width} shown of the batch's ${batch}` : String(width);
        setText(sampleText, `sample ${s.sample + 1} of ${of}${row === undefined ? "" : ` · row ${row + 1}`}`);
        prev.disabled = s.sample <= 0;
        next.disabled = s.sample >= width - 1;
      }
    },
  };
}
