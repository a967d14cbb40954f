// The diagram's read-out of one neuron or weight: its numbers at this moment of the pass.

import { fmt } from "../format.js";
import { layerName } from "../layout.js";
import { html, setText } from "./svg.js";

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (n) => String(n).replace(/\d/g, (d) => SUB[d]);

/** Lines of text describing neuron (layer, index) for sample k. */
export function neuronLines(ctx, layer, index) {
  const { values, passWeights, sizes, names, sample, rowIndex } = ctx;
  const v = values?.[layer];
  const title = `${layerName(layer, sizes.length)}, neuron ${index + 1}`;
  const lines = [[title, ""]];
  if (layer === 0) {
    const name = names?.inputs?.[index] ?? `x${sub(index + 1)}`;
    lines.push([`input ${name}`, v ? fmt(v.y[index]) : "—"]);
  } else {
    const j = sub(index + 1);
    lines.push([`bias b${j}`, fmt(passWeights?.[layer - 1]?.[index]?.[0] ?? null)]);
    lines.push([`z${j} = b + w·y  (1)`, v ? fmt(v.z[index]) : "—"]);
    lines.push([`y${j} = f(z)  (2)`, v ? fmt(v.y[index]) : "—"]);
    if (v?.t) lines.push([`target t${j}`, fmt(v.t[index])]);
    lines.push([`∂ℓ/∂y${j}`, v ? fmt(v.dy[index]) : "—"]);
    lines.push([`∂ℓ/∂z${j}`, v ? fmt(v.dz[index]) : "—"]);
    lines[0][0] += ` (i = ${layer})`;
    if (ctx.editBlock === "") lines.push(["double-click or B", "edit the bias"]);
  }
  if (v) lines.push([`sample`, rowIndex === null ? `${sample + 1}` : `row ${rowIndex + 1}`]);
  return lines;
}

/** Lines describing the weight into neuron `to` of `layer` from neuron `from` of layer − 1. */
export function edgeLines(ctx, layer, to, from) {
  const { frame, prevWeights, weights } = ctx;
  const w = weights?.[layer - 1]?.[to]?.[from + 1] ?? null;
  const g = frame?.layers?.[layer - 1]?.grad?.[to]?.[from + 1] ?? null;
  const before = prevWeights?.[layer - 1]?.[to]?.[from + 1] ?? null;
  const rate = frame?.learning_rate ?? null;
  const name = `w${sub(to + 1)},${sub(from + 1)}`;
  const lines = [[`Weight ${name} of layer i = ${layer}`, ""], [`${name}`, fmt(w)]];
  lines.push([`∂ℓ/∂${name}`, fmt(g)]);
  const delta = g !== null && rate !== null ? -rate * g : null;
  lines.push([`last update −α ∂ℓ/∂w`, fmt(delta)]);
  if (before !== null && frame) lines.push([`before the update`, fmt(before)]);
  if (ctx.editBlock === "") lines.push(["click or Enter", "type a new value"]);
  else if (ctx.editBlock) lines.push(["edit", ctx.editBlock]);
  return lines;
}

/** A floating box inside `host` showing lines; position in host pixels. */
export function Tooltip(host) {
  const el = html("div", { class: "tooltip", role: "status", "aria-live": "polite", hidden: "" }, host);
  const table = html("table", {}, el);
  let rows = [];
  return {
    el,
    show(lines, x, y) {
      while (rows.length < lines.length) {
        const tr = html("tr", {}, table);
        rows.push([html("th", {}, tr), html("td", {}, tr)]);
      }
      rows.forEach(([th, td], i) => {
        const line = lines[i];
        th.parentElement.hidden = !line;
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
