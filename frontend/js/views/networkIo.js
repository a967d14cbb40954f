// @ts-check
// The diagram's inputs and outputs (Figure 1's dashed arrows): feature names on the left,
// predictions and, in the loss phase, targets and ℓ on the right. Names and numbers are fitted
// to the margins they have (a long CSV column name is cut with an ellipsis, its full name in a
// tooltip), so no label runs into another or off the diagram.

import { column } from "../diagram.js";
import { fitNumber, fmt } from "../format.js";
import { ellipsize, fontOf, textMeter } from "./measure.js";
import { setAttr, setText, svg } from "./svg.js";

/** @import { Layout, State } from "../types.js" */
/** @typedef {{inputs: string[], outputs: string[]}} IoNames  one name per input and per output neuron */
/** @typedef {{label: SVGTextElement, target: SVGTextElement, name: string}} IoOutput  an output's ŷ and t, and its fitted name */
/**
 * The drawn inputs and outputs: the inputs' names, the outputs' labels, the ℓ box (its text,
 * its rect, where it goes: under the output column, inside the diagram's width) and how wide
 * a text is, with the room an output's label has.
 * @typedef {{inputs: SVGTextElement[], outputs: IoOutput[], lossBox: SVGGElement, lossText: SVGTextElement,
 *   rect: SVGRectElement, place: {x: number, y: number, width: number}, meter: (text: string) => number,
 *   room: number}} Io
 */

const GAP = 4; // px between a neuron's ring and its arrow, and between an arrow and its label

/**
 * Draw the arrows and names of the inputs and outputs, and the ℓ box, into `root`.
 * @param {SVGSVGElement} root  the diagram
 * @param {Layout} layout
 * @param {IoNames} names
 * @returns {Io}
 */
export function drawIo(root, layout, names) {
  const g = svg("g", { class: "io" }, root);
  const r = layout.radius + 3.5; // the bias ring
  const { left, right } = layout.margin;
  const probe = svg("text", { class: "io-label" }, g);
  const meter = textMeter(fontOf(probe));
  probe.remove();
  // inputs: an arrow of 12–29 px and the name, right-aligned, inside the left margin
  const widest = Math.max(...names.inputs.map((n) => meter(n)));
  const inArrow = Math.max(12, Math.min(29, left - r - widest - 3 * GAP));
  const inRoom = Math.max(12, left - r - inArrow - 3 * GAP);
  const inputs = layout.byLayer[0].map((n, i) => {
    svg("line", { class: "io-arrow", x1: n.x - r - GAP - inArrow, y1: n.y, x2: n.x - r - GAP, y2: n.y,
      "marker-end": "url(#arrow)" }, g);
    const t = svg("text", { class: "io-label", x: n.x - r - 2 * GAP - inArrow, y: n.y, dy: "0.35em", "text-anchor": "end" }, g);
    t.textContent = ellipsize(names.inputs[i], meter, inRoom);
    if (t.textContent !== names.inputs[i]) svg("title", {}, t).textContent = names.inputs[i];
    return t;
  });
  // outputs: the arrow shortens on a narrow diagram so that "ŷ 0.53" fits in the right margin
  const outArrow = Math.max(10, Math.min(26, right - r - meter("ŷ −0.53") - 3 * GAP));
  const outRoom = Math.max(12, right - r - outArrow - 3 * GAP);
  const out = layout.byLayer[layout.byLayer.length - 1];
  const outputs = out.map((n, i) => {
    svg("line", { class: "io-arrow", x1: n.x + r + GAP, y1: n.y, x2: n.x + r + GAP + outArrow, y2: n.y,
      "marker-end": "url(#arrow)" }, g);
    const x = n.x + r + 2 * GAP + outArrow;
    const name = ellipsize(names.outputs[i], meter, outRoom);
    const label = svg("text", { class: "io-label", x, y: n.y, dy: "-0.2em" }, g);
    label.textContent = name;
    const target = svg("text", { class: "io-target", x, y: n.y, dy: "1.05em" }, g);
    return { label, target, name };
  });
  const defs = svg("defs", {}, root);
  const marker = svg("marker", { id: "arrow", viewBox: "0 0 8 8", refX: "7", refY: "4", markerWidth: "7",
    markerHeight: "7", orient: "auto-start-reverse" }, defs);
  svg("path", { d: "M0 0L8 4L0 8z", class: "arrow-head" }, marker);

  // ℓ under the output column (under its marker when it is drawn in part), inside the diagram
  const lastCol = layout.columns[layout.columns.length - 1];
  const lastOut = out[out.length - 1];
  const below = Math.max(lastCol.more ? lastCol.more.y + 8 : 0, lastOut.y + Math.max(r, 14) + 24);
  const lossBox = svg("g", { class: "loss-box" }, g);
  const rect = svg("rect", { x: 0, y: -15, width: 150, height: 24, rx: 6 }, lossBox);
  const lossText = svg("text", { x: 8, y: 2 }, lossBox);
  const place = { x: lastOut.x, y: Math.min(layout.height - 12, below), width: layout.width };
  return { inputs, outputs, lossBox, lossText, rect, place, meter: textMeter(fontOf(lossText)), room: outRoom };
}

/**
 * Targets and ℓ appear in the loss phase and stay through the backward pass.
 * @param {Io | null} io
 * @param {Pick<State, "phase" | "frame" | "sample">} s
 * @param {Layout} layout
 */
export function paintIo(io, s, layout) {
  if (!io) return;
  const frame = s.frame;
  const showLoss = (s.phase === "loss" || s.phase === "backward") && frame;
  const targets = frame ? column(frame.targets, s.sample) : null;
  const L = layout.byLayer.length;
  const preds = frame?.layers?.[L - 2] ? column(frame.layers[L - 2].y, s.sample) : null;
  /** @param {string} prefix @returns {(t: string) => boolean} */
  const fits = (prefix) => (t) => io.meter(`${prefix}${t}`) <= io.room;
  io.outputs.forEach((o, i) => {
    const t = targets?.[i];
    const y = preds?.[i];
    setText(o.label, showLoss && y !== undefined ? `ŷ ${fitNumber(y, fits("ŷ "))}` : o.name);
    setText(o.target, showLoss && t !== undefined ? `t ${fitNumber(t, fits("t "))}` : "");
  });
  setAttr(io.lossBox, "visibility", showLoss ? "visible" : "hidden");
  const text = showLoss ? `ℓ = ${fmt(frame.loss)} (batch)` : "";
  setText(io.lossText, text);
  if (showLoss) {
    const width = Math.ceil(io.meter(text)) + 16;
    const x = Math.max(2, Math.min(io.place.x - width / 2, io.place.width - width - 2));
    setAttr(io.rect, "width", String(width));
    setAttr(io.lossBox, "transform", `translate(${x.toFixed(1)} ${io.place.y.toFixed(1)})`);
  }
}
