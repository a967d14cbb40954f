// @ts-check
// The network diagram (Figure 1): layers in labelled columns, neurons coloured by their value,
// weights as lines coloured by sign and sized by |w|, biases as rings. Laid out in the diagram's
// own pixels (numbers inside neurons are never smaller than 11 px) and built once per
// architecture and width; every update only changes attributes in place. A layer wider than
// the diagram can draw shows its first neurons and a marker naming its size.

import { boxFor, computeLayout, drawnSizes, edgeCount, layerName, numberBox } from "../layout.js";
import { diagramModel, sampleValues, shownNetwork } from "../diagram.js";
import { shownSizes, sizesOf } from "../selectors.js";
import { LayerBar } from "./layerBar.js";
import { bindDiagramKeys } from "./networkKeys.js";
import { edgeLines, neuronLines, Tooltip } from "./tooltip.js";
import { firstFitting, fontOf, textMeter } from "./measure.js";
import { html, setAttr, setText, svg } from "./svg.js";
import { drawIo, paintIo } from "./networkIo.js";
import { NodeMaps } from "./nodeMaps.js";
import { WeightEditor } from "./weightEditor.js";

/** @import { DatasetSpec, Layout, NeuronRef, State } from "../types.js" */
/** @import { LayerBarActions } from "./layerBar.js" */
/** @import { DiagramTarget } from "./networkKeys.js" */
/** @import { Io, IoNames } from "./networkIo.js" */
/** @import { NodeMapsActions } from "./nodeMaps.js" */
/** @import { EdgeContext, NeuronContext } from "./tooltip.js" */
/** @import { WeightEditorActions } from "./weightEditor.js" */
/**
 * What the diagram asks for: its layer bar's, maps' and weight editor's actions, and to pick a
 * neuron for the equations.
 * @typedef {LayerBarActions & NodeMapsActions & WeightEditorActions
 *   & {select?: (selected: NeuronRef) => unknown}} NetworkActions
 */
/**
 * A drawn neuron: its group, circle and number, and its name for screen readers.
 * @typedef {{g: SVGGElement, body: SVGCircleElement, text: SVGTextElement, name: string}} NeuronNode
 */
/**
 * The elements every update changes in place, by neuron or edge id: the neurons, the weight
 * lines, the bias rings, the pulse and the inputs and outputs (null before the first build).
 * @typedef {{neurons: Map<string, NeuronNode>, edges: Map<string, SVGLineElement>,
 *   rings: Map<string, SVGCircleElement>, pulse: SVGPathElement | null, io: Io | null}} Nodes
 */
/**
 * What the last update drew: the shape built for, when the neurons were last redrawn, and the
 * state's parts the paint read.
 * @typedef {{shape?: string | null, neuronsAt?: number, keys?: unknown[]}} Last
 */
/** @typedef {DiagramTarget & {at: [number, number]}} Hover  what the read-out shows, and where */

const NEURON_MS = 250;
const MARKER_PX = 11;

/**
 * @param {HTMLElement} el
 * @param {NetworkActions} actions
 */
export function NetworkView(el, actions) {
  el.classList.add("network-view");
  const bar = LayerBar(html("div", { class: "layer-bar" }, el), actions);
  const wrap = html("div", { class: "diagram" }, el);
  const root = svg("svg", { role: "group", "aria-label": "Network diagram", "aria-describedby": "diagram-help" }, wrap);
  html("p", { id: "diagram-help", class: "sr-only" }, el,
    "Tab to a neuron to read its z and y; Enter selects it for the equations. Arrow keys: up and down " +
    "move within a layer; left goes to the neuron's incoming weights, right to its outgoing ones.");
  const tip = Tooltip(wrap);
  const maps = NodeMaps(root, wrap, actions); // each neuron's output over the input plane
  const editor = WeightEditor(root, wrap, actions); // click a weight to type a new value
  const title = el.closest(".panel")?.querySelector('[data-readout="network"]') ?? null;

  let box = boxFor(wrap.clientWidth || 660);
  /** @type {Layout | null} */
  let layout = null;
  /** @type {Nodes} */
  let nodes = { neurons: new Map(), edges: new Map(), rings: new Map(), pulse: null, io: null };
  /** @type {(text: string) => boolean} */
  let fits = (t) => t.length <= 5;
  /** @type {Last} */
  let last = {};
  /** @type {Hover | null} */
  let hover = null;
  /** @type {State | null} */
  let state = null;

  /**
   * Draw the diagram anew: `drawn` neurons per layer of the network's `totals`, with the
   * inputs' and outputs' `names`.
   * @param {number[]} drawn
   * @param {number[]} totals
   * @param {IoNames} names
   */
  function build(drawn, totals, names) {
    root.replaceChildren();
    root.setAttribute("viewBox", `0 0 ${box.width} ${box.height}`);
    layout = computeLayout(drawn, box, totals);
    const bands = svg("g", { class: "bands" }, root);
    for (const c of layout.columns) {
      svg("rect", {
        class: `band band-${kind(c.layer, drawn.length)}`,
        x: c.x - layout.radius - 12, y: c.top - 12, width: 2 * layout.radius + 24,
        height: c.bottom - c.top + 24, rx: 14,
      }, bands);
    }
    const edgeGroup = svg("g", { class: "edges" }, root);
    nodes = { neurons: new Map(), edges: new Map(), rings: new Map(), pulse: null, io: null };
    for (const e of layout.edges) {
      const line = svg("line", {
        class: "edge", "data-edge": e.id, x1: e.x1, y1: e.y1, x2: e.x2, y2: e.y2, tabindex: "-1",
        "aria-label": `weight into neuron ${e.to + 1} of layer ${e.layer} from neuron ${e.from + 1}`,
      }, edgeGroup);
      nodes.edges.set(e.id, line);
    }
    nodes.pulse = svg("path", { class: "pulse", d: "", "stroke-width": Math.max(4, layout.radius * 0.55) }, root);
    const neuronGroup = svg("g", { class: "neurons" }, root);
    const r = layout.radius;
    const number = numberBox(r);
    for (const n of layout.neurons) {
      const g = svg("g", {
        class: `neuron layer-${kind(n.layer, drawn.length)}`,
        "data-neuron": n.id, tabindex: "0", role: "button", transform: `translate(${n.x} ${n.y})`,
      }, neuronGroup);
      if (n.layer > 0) nodes.rings.set(n.id, svg("circle", { class: "bias", r: r + 3.5 }, g));
      const body = svg("circle", { class: "body", r }, g);
      const text = svg("text", { class: "value", "text-anchor": "middle", dy: "0.35em",
        "font-size": number?.size ?? MARKER_PX }, g);
      if (!number) text.setAttribute("display", "none");
      const name = `${layerName(n.layer, drawn.length)} (i = ${n.layer}), neuron ${n.index + 1}`;
      nodes.neurons.set(n.id, { g, body, text, name });
    }
    const sample = nodes.neurons.values().next().value?.text;
    if (number && sample) {
      const meter = textMeter(fontOf(sample, number.size));
      fits = (t) => meter(t) <= number.width;
    }
    drawMarkers(layout);
    nodes.io = drawIo(root, layout, names);
    last = { shape: last.shape };
  }

  /**
   * "… 200 neurons" under a column drawn in part, as long as its column's room allows.
   * @param {Layout} lay
   */
  function drawMarkers(lay) {
    const group = svg("g", { class: "more-group" }, root);
    for (const c of lay.columns) {
      if (!c.more) continue;
      const g = svg("g", { class: "more", "data-more": String(c.layer), "data-shown": String(c.more.shown),
        "data-total": String(c.more.total), transform: `translate(${c.x} ${c.more.y})` }, group);
      const t = svg("text", { "text-anchor": "middle", dy: "0.35em", "font-size": MARKER_PX }, g);
      const total = c.more.total.toLocaleString("en-US");
      t.textContent = "…";
      const meter = textMeter(fontOf(t, MARKER_PX));
      t.textContent = firstFitting([`… ${total} neurons`, `… ${total}`, "…"], meter, lay.colGap - 10);
      svg("title", {}, g).textContent =
        `The diagram draws the first ${c.more.shown} of this layer's ${total} neurons; the equations' menu reaches the others.`;
    }
  }

  /**
   * What the read-outs need of state `s` on layout `lay`.
   * @param {State} s
   * @param {Layout} lay
   * @returns {NeuronContext & EdgeContext}
   */
  function context(s, lay) {
    const sizes = lay.byLayer.map((r) => r.length);
    const rows = s.frame?.rows;
    return {
      values: sampleValues(s.frame, s.sample), weights: s.weights, prevWeights: s.prevWeights,
      // the weights the shown pass ran with: those before its update
      passWeights: s.frame ? s.prevWeights : s.weights,
      frame: s.frame, sizes, names: ioNames(s, sizes), sample: s.sample,
      rowIndex: Array.isArray(rows) ? rows[s.sample] ?? null : null,
      editBlock: editor.blocked(),
    };
  }

  /**
   * The read-out of `target` at client point (x, y), or none.
   * @param {DiagramTarget | null} target
   * @param {number} clientX
   * @param {number} clientY
   */
  function showTip(target, clientX, clientY) {
    if (!target || !layout || !state) return tip.hide();
    const rect = wrap.getBoundingClientRect();
    const ctx = context(state, layout);
    const parts = target.id.split("-").map(Number);
    const lines = target.kind === "neuron" ? neuronLines(ctx, parts[0], parts[1])
      : edgeLines(ctx, parts[0], parts[1], parts[2]);
    tip.show(lines, clientX - rect.left, clientY - rect.top);
  }

  /**
   * Hover `target` (none: null) at client point (x, y): its line stands out, its read-out shows.
   * @param {DiagramTarget | null} target
   * @param {number} [clientX]
   * @param {number} [clientY]
   */
  function setHover(target, clientX = 0, clientY = 0) {
    if (hover?.kind === "edge") nodes.edges.get(hover.id)?.classList.remove("hover");
    hover = target && Object.assign(target, { at: /** @type {[number, number]} */ ([clientX, clientY]) });
    if (hover?.kind === "edge") nodes.edges.get(hover.id)?.classList.add("hover");
    showTip(hover, clientX, clientY);
  }

  bindDiagramKeys(root, {
    layout: () => layout,
    hover: (target, el2) => {
      const r = el2.getBoundingClientRect();
      setHover(target, r.left + r.width / 2, r.top + r.height / 2);
    },
    leave: () => setHover(null),
    select: (layer, index) => layer > 0 && actions.select?.({ layer, index }),
    hoverAt: (target, x, y) => setHover(target, x, y),
  });

  /**
   * Colour and label every neuron, weight and ring for state `s` (after a build).
   * @param {State} s
   */
  function paint(s) {
    if (!layout) return;
    const model = diagramModel(s, layout, null, fits);
    // While training runs at speed each frame shows another batch's sample, faster than anyone
    // reads: neurons (colour and number together) are redrawn a few times a second, weights
    // every frame.
    const now = performance.now();
    const neurons = !(s.mode === "train" && s.job?.status === "running") || !(now - (last.neuronsAt ?? -Infinity) < NEURON_MS);
    if (neurons) last.neuronsAt = now;
    for (const n of neurons ? model.neurons : []) {
      const node = nodes.neurons.get(n.id);
      if (!node) continue;
      setAttr(node.body, "fill", n.fill);
      setAttr(node.text, "fill", n.ink);
      setText(node.text, n.text);
      setAttr(node.g, "data-value", n.value === null || n.value === undefined ? "" : String(n.value));
      setAttr(node.g, "data-state", n.state);
      setAttr(node.g, "data-dead", n.dead ? "true" : "");
      const shown = n.text ? `: ${n.state === "backward" ? "∂ℓ/∂z" : n.layer === 0 ? "x" : "y"} = ${n.text}` : "";
      setAttr(node.g, "aria-label", node.name + shown + (n.dead ? " (dead: 0 for every row of the batch)" : ""));
    }
    for (const e of model.edges) {
      const line = nodes.edges.get(e.id);
      if (!line) continue;
      setAttr(line, "stroke", e.stroke);
      setAttr(line, "stroke-width", e.width.toFixed(2));
      setAttr(line, "stroke-dasharray", e.dash);
      setAttr(line, "stroke-opacity", e.opacity === 1 ? "" : String(e.opacity));
      setAttr(line, "data-state", e.state);
    }
    for (const b of model.biases) {
      const ring = nodes.rings.get(b.id);
      if (!ring) continue;
      setAttr(ring, "stroke", b.stroke);
      setAttr(ring, "stroke-width", b.width.toFixed(2));
      setAttr(ring, "stroke-dasharray", b.dash);
    }
    if (nodes.pulse) {
      setAttr(nodes.pulse, "d", model.pulse?.d ?? "");
      setAttr(nodes.pulse, "stroke", model.pulse?.color ?? "none");
    }
    const sel = s.selected ? `${s.selected.layer}-${s.selected.index}` : null;
    for (const [id, node] of nodes.neurons) node.g.classList.toggle("selected", id === sel);
    paintIo(nodes.io, s, layout);
    if (hover) showTip(hover, ...hover.at);
  }

  /** @param {State} s */
  function update(s) {
    state = s;
    const totals = networkSizes(s);
    if (!totals) return;
    const drawn = drawnSizes(totals, box, shownSizes([Infinity], s.options)[0]);
    const names = ioNames(s, drawn);
    const shape = `${totals.join("-")}|${box.width}|${names.inputs.join(",")}|${names.outputs.join(",")}`;
    if (shape !== last.shape) {
      last.shape = shape;
      build(drawn, totals, names);
      root.setAttribute("aria-label", `Network diagram, ${totals.join("-")}: ${edgeCount(totals)} weights`);
      if (title) {
        setText(title, totals.join("-"));
        setAttr(title, "title", `The network trained: ${totals.join("-")} (input, hidden and output layers)`);
      }
    }
    bar.update(s, layout, box);
    maps.update(s, layout);
    editor.update(s, layout);
    const keys = [s.frame, s.weights, s.prevWeights, s.phase, s.phaseProgress, s.sample, s.selected,
      s.mode, s.job?.status];
    const before = last.keys;
    if (before && keys.every((k, i) => k === before[i])) return;
    last.keys = keys;
    root.setAttribute("data-phase", s.phase);
    paint(s);
  }

  // The layout is in the diagram's own pixels: a new width lays it out again.
  new ResizeObserver(() => {
    const width = wrap.clientWidth;
    if (!width || boxFor(width).width === box.width) return;
    box = boxFor(width);
    last.shape = null;
    if (!state) return;
    update(state);
    maps.paint(state); // laid out again outside the renderer: the new canvases are drawn now
  }).observe(wrap);

  // the maps are painted in a slot of their own (render.js throttles them while training runs)
  return { update, maps: { update: (/** @type {State} */ s) => maps.paint(s) } };
}

/** @param {number} layer @param {number} count  layers, the input layer included */
const kind = (layer, count) => (layer === 0 ? "input" : layer === count - 1 ? "output" : "hidden");

/**
 * n_0 … n_L of the network shown (the attached job's, else the form's), when valid.
 * @param {State} s
 * @returns {number[] | null}
 */
function networkSizes(s) {
  const sizes = shownNetwork(s)?.layers ?? sizesOf(s.weights);
  const ok = Array.isArray(sizes) && sizes.length >= 2 && sizes.every((n) => Number.isInteger(n) && n >= 1);
  return ok ? sizes : null;
}

/**
 * The inputs' and outputs' names for a network of `sizes`: the data's, else x1 … and y1 ….
 * @param {State} s
 * @param {number[]} sizes
 * @returns {IoNames}
 */
function ioNames(s, sizes) {
  /** @param {string[] | null | undefined} names @param {number} n @param {string} prefix */
  const fit = (names, n, prefix) =>
    Array.from({ length: n }, (_, i) => names?.[i] ?? (n === 1 ? prefix : `${prefix}${i + 1}`));
  return {
    inputs: fit(s.dataset?.feature_names ?? featureNames(s), sizes[0], "x"),
    outputs: fit(s.dataset?.target_names, sizes[sizes.length - 1], "y"),
  };
}

/**
 * A 2-D registry set's input names: x1, x2 and its derived columns' labels; else null.
 * @param {State} s
 * @returns {string[] | null}
 */
function featureNames(s) {
  const spec = s.job?.spec ?? s.spec;
  const dataset = /** @type {DatasetSpec | undefined} */ (spec?.dataset);
  const info = s.options?.datasets?.find((d) => d.name === dataset?.name);
  if (!info?.two_d || !dataset) return null;
  const labels = Object.fromEntries((s.options?.features ?? []).map((f) => [f.name, f.label]));
  return ["x1", "x2", ...(dataset.features ?? []).map((f) => labels[f] ?? f)];
}
