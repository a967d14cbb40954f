// @ts-check
// The diagram's read-out of one neuron or weight: its numbers at this moment of the pass.

import { fmt } from "../format.js";
import { layerName } from "../layout.js";
import { html, setText } from "./svg.js";

/** @import { FullFrame, Matrix } from "../types.js" */
/** @typedef {import("../diagram.js").SampleLayer} SampleLayer */
/** @typedef {[string, string]} Line  a read-out row: what, and its value */
/**
 * What a neuron's read-out needs: the sample's numbers per layer, the weights its pass ran
 * with, n_0 … n_L drawn, the inputs' names, the sample (and its training row when known), and
 * why a weight cannot be edited ("" when it can; absent where the diagram edits nothing).
 * @typedef {{values: SampleLayer[] | null, passWeights: Matrix[] | null, sizes: number[],
 *   names?: {inputs?: string[]} | null, sample: number, rowIndex: number | null, editBlock?: string}} NeuronContext
 */
/**
 * What a weight's read-out needs: the frame shown (its ∂ℓ/∂W and α), the weights after and
 * before its update, and why the weight cannot be edited ("" when it can).
 * @typedef {{frame: Pick<FullFrame, "layers" | "learning_rate"> | null, weights: Matrix[] | null,
 *   prevWeights: Matrix[] | null, editBlock?: string}} EdgeContext
 */

const SUB = "₀₁₂₃₄₅₆₇₈₉";
/** `n` in subscript digits. @param {number} n */
const sub = (n) => String(n).replace(/\d/g, (d) => SUB[Number(d)]);

/**
 * Lines of text describing neuron (layer, index) for sample k.
 * @param {NeuronContext} ctx
 * @param {number} layer
 * @param {number} index
 * @returns {Line[]}
 */
export function neuronLines(ctx, layer, index) {
  const { values, passWeights, sizes, names, sample, rowIndex } = ctx;
  const v = values?.[layer];
  const title = `${layerName(layer, sizes.length)}, neuron ${index + 1}`;
  /** @type {Line[]} */
  const lines = [[title, ""]];
  if (layer === 0) {
    const name = names?.inputs?.[index] ?? `x${sub(index + 1)}`;
    lines.push([`input ${name}`, fmt(v?.y?.[index])]);
  } else {
    const j = sub(index + 1);
    lines.push([`bias b${j}`, fmt(passWeights?.[layer - 1]?.[index]?.[0] ?? null)]);
    lines.push([`z${j} = b + w·y  (1)`, fmt(v?.z?.[index])]);
    lines.push([`y${j} = f(z)  (2)`, fmt(v?.y?.[index])]);
    if (v?.t) lines.push([`target t${j}`, fmt(v.t[index])]);
    lines.push([`∂ℓ/∂y${j}`, fmt(v?.dy?.[index])]);
    lines.push([`∂ℓ/∂z${j}`, fmt(v?.dz?.[index])]);
    lines[0][0] += ` (i = ${layer})`;
    if (ctx.editBlock === "") lines.push(["double-click or B", "edit the bias"]);
  }
  if (v) lines.push([`sample`, rowIndex === null ? `${sample + 1}` : `row ${rowIndex + 1}`]);
  return lines;
}

/**
 * Lines describing the weight into neuron `to` of `layer` from neuron `from` of layer − 1.
 * @param {EdgeContext} ctx
 * @param {number} layer
 * @param {number} to
 * @param {number} from
 * @returns {Line[]}
 */
export function edgeLines(ctx, layer, to, from) {
  const { frame, prevWeights, weights } = ctx;
  const w = weights?.[layer - 1]?.[to]?.[from + 1] ?? null;
  const g = frame?.layers?.[layer - 1]?.grad?.[to]?.[from + 1] ?? null;
  const before = prevWeights?.[layer - 1]?.[to]?.[from + 1] ?? null;
  const rate = frame?.learning_rate ?? null;
  const name = `w${sub(to + 1)},${sub(from + 1)}`;
  /** @type {Line[]} */
  const lines = [[`Weight ${name} of layer i = ${layer}`, ""], [`${name}`, fmt(w)]];
  lines.push([`∂ℓ/∂${name}`, fmt(g)]);
  const delta = g !== null && rate !== null ? -rate * g : null;
  lines.push([`last update −α ∂ℓ/∂w`, fmt(delta)]);
  if (before !== null && frame) lines.push([`before the update`, fmt(before)]);
  if (ctx.editBlock === "") lines.push(["click or Enter", "type a new value"]);
  else if (ctx.editBlock) lines.push(["edit", ctx.editBlock]);
  return lines;
}

/**
 * A floating box inside `host` showing lines; position in host pixels.
 * @param {HTMLElement} host
 */
export function Tooltip(host) {
  const el = html("div", { class: "tooltip", role: "status", "aria-live": "polite", hidden: "" }, host);
  const table = html("table", {}, el);
  /** @type {[HTMLTableRowElement, HTMLTableCellElement, HTMLTableCellElement][]} */
  const rows = [];
  return {
    el,
    /** @param {Line[]} lines @param {number} x @param {number} y */
    show(lines, x, y) {
      while (rows.length < lines.length) {
        const tr = html("tr", {}, table);
        rows.push([tr, html("th", {}, tr), html("td", {}, tr)]);
      }
      rows.forEach(([tr, th, td], i) => {
        const line = lines[i];
        tr.hidden = !line;
        if (line) {
          setText(th, line[0]);
          setText(td, line[1]);
        }
      });
      el.hidden = false;
      const w = host.clientWidth;
      const left = Math.min(Math.max(4, x + 14), Math.max(4, w - el.offsetWidth - 4));
      el.style.left = `${left}px`;
      el.style.top = `${Math.max(4, y + 14)}px`;
    },
    hide() {
      el.hidden = true;
    },
  };
}
