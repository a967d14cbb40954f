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

const NEURON_MS = 250;
const MARKER_PX = 11;

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
  let layout = null;
  let nodes = { neurons: new Map(), edges: new Map(), rings: new Map(), io: null };
  let fits = (t) => t.length <= 5;
  let last = {};
  let hover = null; // {kind: "neuron"|"edge", id}
  let state = null;

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
    nodes = { neurons: new Map(), edges: new Map(), rings: new Map(), io: null };
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

  /** "… 200 neurons" under a column drawn in part, as long as its column's room allows. */
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

  function context() {
    const s = state;
    const sizes = layout.byLayer.map((r) => r.length);
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

  function showTip(target, clientX, clientY) {
    if (!target || !layout) return tip.hide();
    const rect = wrap.getBoundingClientRect();
    const ctx = context();
    const parts = target.id.split("-").map(Number);
    const lines = target.kind === "neuron" ? neuronLines(ctx, parts[0], parts[1]) : edgeLines(ctx, ...parts);
    tip.show(lines, clientX - rect.left, clientY - rect.top);
  }

  function setHover(target, clientX, clientY) {
    if (hover?.kind === "edge") nodes.edges.get(hover.id)?.classList.remove("hover");
    hover = target;
    if (hover?.kind === "edge") nodes.edges.get(hover.id)?.classList.add("hover");
    if (hover) hover.at = [clientX, clientY];
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

  function paint(s) {
    const model = diagramModel(s, layout, null, fits);
    // While training runs at speed each frame shows another batch's sample, faster than anyone
    // reads: neurons (colour and number together) are redrawn a few times a second, weights
    // every frame.
    const now = performance.now();
    const neurons = !(s.mode === "train" && s.job?.status === "running") || !(now - last.neuronsAt < NEURON_MS);
    if (neurons) last.neuronsAt = now;
    for (const n of neurons ? model.neurons : []) {
      const node = nodes.neurons.get(n.id);
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
      setAttr(line, "stroke", e.stroke);
      setAttr(line, "stroke-width", e.width.toFixed(2));
      setAttr(line, "stroke-dasharray", e.dash);
      setAttr(line, "stroke-opacity", e.opacity === 1 ? "" : String(e.opacity));
      setAttr(line, "data-state", e.state);
    }
    for (const b of model.biases) {
      const ring = nodes.rings.get(b.id);
      setAttr(ring, "stroke", b.stroke);
      setAttr(ring, "stroke-width", b.width.toFixed(2));
      setAttr(ring, "stroke-dasharray", b.dash);
    }
    setAttr(nodes.pulse, "d", model.pulse?.d ?? "");
    setAttr(nodes.pulse, "stroke", model.pulse?.color ?? "none");
    const sel = s.selected ? `${s.selected.layer}-${s.selected.index}` : null;
    for (const [id, node] of nodes.neurons) node.g.classList.toggle("selected", id === sel);
    paintIo(nodes.io, s, layout);
    if (hover) showTip(hover, ...hover.at);
  }

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
    if (last.keys && keys.every((k, i) => k === last.keys[i])) return;
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
  return { update, maps: { update: (s) => maps.paint(s) } };
}

const kind = (layer, count) => (layer === 0 ? "input" : layer === count - 1 ? "output" : "hidden");

/** n_0 … n_L of the network shown (the attached job's, else the form's), when valid. */
function networkSizes(s) {
  const sizes = shownNetwork(s)?.layers ?? sizesOf(s.weights);
  const ok = Array.isArray(sizes) && sizes.length >= 2 && sizes.every((n) => Number.isInteger(n) && n >= 1);
  return ok ? sizes : null;
}

function ioNames(s, sizes) {
  const fit = (names, n, prefix) =>
    Array.from({ length: n }, (_, i) => names?.[i] ?? (n === 1 ? prefix : `${prefix}${i + 1}`));
  return {
    inputs: fit(s.dataset?.feature_names ?? featureNames(s), sizes[0], "x"),
    outputs: fit(s.dataset?.target_names, sizes[sizes.length - 1], "y"),
  };
}

function featureNames(s) {
  const spec = s.job?.spec ?? s.spec;
  const info = s.options?.datasets?.find((d) => d.name === spec?.dataset?.name);
  if (!info?.two_d) return null;
  const labels = Object.fromEntries((s.options.features ?? []).map((f) => [f.name, f.label]));
  return ["x1", "x2", ...(spec.dataset.features ?? []).map((f) => labels[f] ?? f)];
}
