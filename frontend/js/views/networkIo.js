// The diagram's inputs and outputs (Figure 1's dashed arrows): feature names on the left,
// predictions and, in the loss phase, targets and ℓ on the right.

import { column } from "../diagram.js";
import { fmt, short } from "../format.js";
import { setAttr, setText, svg } from "./svg.js";

export function drawIo(root, layout, names) {
  const g = svg("g", { class: "io" }, root);
  const r = layout.radius;
  const inputs = layout.byLayer[0].map((n, i) => {
    svg("line", { class: "io-arrow", x1: n.x - r - 34, y1: n.y, x2: n.x - r - 5, y2: n.y,
      "marker-end": "url(#arrow)" }, g);
    const t = svg("text", { class: "io-label", x: n.x - r - 38, y: n.y, dy: "0.35em", "text-anchor": "end" }, g);
    t.textContent = names.inputs[i];
    return t;
  });
  const out = layout.byLayer[layout.byLayer.length - 1];
  const outputs = out.map((n, i) => {
    svg("line", { class: "io-arrow", x1: n.x + r + 5, y1: n.y, x2: n.x + r + 30, y2: n.y,
      "marker-end": "url(#arrow)" }, g);
    const label = svg("text", { class: "io-label", x: n.x + r + 34, y: n.y, dy: "-0.2em" }, g);
    label.textContent = names.outputs[i];
    const target = svg("text", { class: "io-target", x: n.x + r + 34, y: n.y, dy: "1.05em" }, g);
    return { label, target, name: names.outputs[i] };
  });
  const defs = svg("defs", {}, root);
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 8 8", refX: "7", refY: "4", markerWidth: "7",
    markerHeight: "7", orient: "auto-start-reverse" }, defs);
  svg("path", { d: "M0 0L8 4L0 8z", class: "arrow-head" }, marker);

  const last = out[out.length - 1];
  const lossBox = svg("g", { class: "loss-box", transform: `translate(${last.x - 60} ${Math.min(layout.height - 18, last.y + r + 26)})` }, g);
  svg("rect", { x: 0, y: -15, width: 150, height: 24, rx: 6 }, lossBox);
  const lossText = svg("text", { x: 8, y: 2 }, lossBox);
  return { inputs, outputs, lossBox, lossText };
}

/** Targets and ℓ appear in the loss phase and stay through the backward pass. */
export function paintIo(io, s, layout) {
  if (!io) return;
  const showLoss = (s.phase === "loss" || s.phase === "backward") && s.frame;
  const targets = s.frame ? column(s.frame.targets, s.sample) : null;
  const L = layout.byLayer.length;
  const preds = s.frame?.layers?.[L - 2] ? column(s.frame.layers[L - 2].y, s.sample) : null;
  io.outputs.forEach((o, i) => {
    const t = targets?.[i];
    const y = preds?.[i];
    setText(o.label, showLoss && y !== undefined ? `ŷ ${short(y)}` : o.name);
    setText(o.target, showLoss && t !== undefined ? `t ${short(t)}` : "");
  });
  setAttr(io.lossBox, "visibility", showLoss ? "visible" : "hidden");
  setText(io.lossText, showLoss ? `ℓ = ${fmt(s.frame.loss)} (batch)` : "");
}
