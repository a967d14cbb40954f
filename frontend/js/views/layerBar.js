// Above the diagram: the architecture line (hidden layers −/+, the sample shown) and, over each
// column, the layer's name, its neuron count and −/+ buttons.

import { canAddLayer, canAddNeuron, canRemoveNeuron } from "../spec.js";
import { edgeCount } from "../layout.js";
import { html, setText } from "./svg.js";

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
  let current = null;
  prev.addEventListener("click", () => current && actions.setSample?.(current.sample - 1));
  next.addEventListener("click", () => current && actions.setSample?.(current.sample + 1));

  const cols = html("div", { class: "columns" }, el);
  let shape = "";
  let blocks = [];

  function buildColumns(s, layout, box) {
    cols.replaceChildren();
    blocks = layout.columns.map((c) => {
      const b = html("div", { class: "col", style: `left:${(c.x / box.width) * 100}%` }, cols);
      const name = html("div", { class: "col-name" }, b, shortName(c.name, layout.columns.length));
      name.title = `${c.name} (i = ${c.layer})`;
      const row = html("div", { class: "col-ctl" }, b);
      const rm = html("button", { type: "button", class: "icon small", "data-action": "remove-neuron",
        "data-layer": c.layer, "aria-label": `Remove a neuron from ${c.name.toLowerCase()} ${c.layer}` }, row, "−");
      const n = html("span", { class: "col-count" }, row);
      const add = html("button", { type: "button", class: "icon small", "data-action": "add-neuron",
        "data-layer": c.layer, "aria-label": `Add a neuron to ${c.name.toLowerCase()} ${c.layer}` }, row, "+");
      rm.addEventListener("click", () => actions.removeNeuron?.(c.layer));
      add.addEventListener("click", () => actions.addNeuron?.(c.layer));
      return { rm, add, n };
    });
  }

  return {
    update(s, layout, box) {
      if (!layout || !s.spec) return;
      const sizes = s.spec.network.layers;
      const key = sizes.join("-") + "|" + box.width;
      if (key !== shape) {
        buildColumns(s, layout, box);
        shape = key;
      }
      const params = sizes.slice(1).reduce((a, n, i) => a + n * (sizes[i] + 1), 0);
      setText(arch, `${sizes.join("-")} · ${edgeCount(sizes)} weights + ${params - edgeCount(sizes)} biases`);
      setText(countEl, String(sizes.length - 2));
      minus.disabled = sizes.length <= 2;
      plus.disabled = !canAddLayer(s.spec, s.options);
      blocks.forEach((b, layer) => {
        setText(b.n, String(sizes[layer]));
        b.rm.disabled = !canRemoveNeuron(s.spec, s.options, layer);
        b.add.disabled = !canAddNeuron(s.spec, s.options, layer);
        const fixed = b.rm.disabled && b.add.disabled;
        b.rm.hidden = fixed;
        b.add.hidden = fixed;
      });
      const width = s.frame?.inputs?.[0]?.length ?? 0;
      current = { sample: s.sample };
      sampleCtl.hidden = width === 0;
      if (width) {
        const row = s.frame.rows?.[s.sample];
        const batch = s.frame.rows?.length ?? width; // a long batch's frames carry its first samples
        const of = batch > width ? `${width} shown of the batch's ${batch}` : String(width);
        setText(sampleText, `sample ${s.sample + 1} of ${of}${row === undefined ? "" : ` · row ${row + 1}`}`);
        prev.disabled = s.sample <= 0;
        next.disabled = s.sample >= width - 1;
      }
    },
  };
}

function shortName(name, columns) {
  return columns > 4 ? name.replace(" layer", "") : name;
}
