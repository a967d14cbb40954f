// @ts-check
// A run's network, small: its layers in columns (layout.js, as the main diagram lays them out),
// each weight w^i_jk of W^i (eq. 3; column 0, the bias, is left out) a line coloured by its
// sign and as wide as |w|, redrawn from the run's newest weights. Built once per architecture.

import { computeLayout, drawnSizes, edgeWidth } from "../layout.js";
import { html, svg } from "./svg.js";

/** @import { Matrix, State, View } from "../types.js" */

const BOX = { width: 300, height: 260 };
const POSITIVE = "#2166ac";
const NEGATIVE = "#e08214";

/**
 * @param {HTMLElement} el
 * @returns {View<State>}
 */
export function CompareNetworkView(el) {
  el.classList.add("cmp-net");
  const root = svg("svg", { role: "img" }, el);
  const caption = html("p", { class: "cmp-net-caption", "data-readout": "layers" }, el);
  /** @type {{layer: number, to: number, from: number, line: SVGElement}[]} */
  let edges = [];
  let builtFor = "";
  /** @type {Matrix[] | null} */
  let drawn = null;

  /** @param {number[]} sizes */
  function build(sizes) {
    root.replaceChildren();
    const shown = drawnSizes(sizes, BOX, 8);
    const layout = computeLayout(shown, BOX, sizes);
    const r = Math.min(7, layout.radius);
    // the view box is the neurons' extent: the main diagram's margins for names are not drawn
    const xs = layout.neurons.map((n) => n.x);
    const ys = layout.neurons.map((n) => n.y);
    const pad = r + 3;
    const x0 = Math.min(...xs) - pad;
    const y0 = Math.min(...ys) - pad;
    root.setAttribute("viewBox", `${x0} ${y0} ${Math.max(...xs) + pad - x0} ${Math.max(...ys) + pad - y0}`);
    const g = svg("g", {}, root);
    edges = layout.edges.map((e) => ({ layer: e.layer, to: e.to, from: e.from,
      line: svg("line", { x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2, "stroke-linecap": "round" }, g) }));
    for (const n of layout.neurons) svg("circle", { cx: n.x, cy: n.y, r, class: "cmp-neuron" }, g);
    root.setAttribute("aria-label", `a ${sizes.join("-")} network: weight lines blue for w > 0, orange for w < 0`);
    const cut = sizes.some((n, l) => n > shown[l]) ? ` (the first ${Math.max(...shown)} neurons of a layer drawn)` : "";
    caption.textContent = `${sizes.join("-")} network, weights w (blue > 0, orange < 0, width |w|)${cut}`;
  }

  /** @param {Matrix[]} weights */
  function paint(weights) {
    let scale = 0;
    for (const W of weights) for (const row of W) for (let i = 1; i < row.length; i++) {
      scale = Math.max(scale, Math.abs(row[i] ?? 0));
    }
    for (const { layer, to, from, line } of edges) {
      const w = weights[layer - 1]?.[to]?.[from + 1] ?? null; // column 0 is the bias b^i_j
      line.setAttribute("stroke", w !== null && w < 0 ? NEGATIVE : POSITIVE);
      line.setAttribute("stroke-width", String(edgeWidth(w, scale, 0.4, 4).toFixed(2)));
    }
  }

  return {
    update(state) {
      const sizes = (state.job?.spec ?? state.spec)?.network?.layers;
      if (!sizes) return;
      const key = sizes.join("-");
      if (key !== builtFor) {
        builtFor = key;
        drawn = null;
        build(sizes);
        el.dataset.layers = key;
      }
      const weights = state.latestFrame?.weights ?? state.weights;
      if (weights && weights !== drawn) {
        drawn = weights;
        paint(weights);
      }
    },
  };
}
