// @ts-check
// What the network diagram shows at one moment, as plain data: per neuron its value, colour and
// pass state; per weight line its value, colour, width and dash; the pulse's dots. Pure: views
// turn this into SVG attributes.

import { ease, edgeState, lerp, neuronState, pulseSegment } from "./animation.js";
import { BACKWARD_PULSE, FORWARD_PULSE, diverging, inkOn, maxAbs, valueColor } from "./color.js";
import { activationRange, toUnit } from "./heatmap.js";
import { shownSizes } from "./frame.js";
import { edgeWidth, pointOnEdge } from "./layout.js";
import { fitNumber } from "./format.js";
import { deadNeurons } from "./hints.js";

/** @import { FullFrame, Layout, Matrix, NetworkSpec, Num, State } from "./types.js" */
/** @typedef {Num[] | null} Values  one number per neuron of a layer, or none */
/** @typedef {{y: Values, z: Values, dy: Values, dz: Values, t?: Values}} SampleLayer  one sample's numbers of a layer (t: targets) */
/**
 * @typedef {Pick<State, "phase" | "phaseProgress" | "frame" | "prevWeights" | "weights" | "sample"
 *   | "options" | "job" | "spec">} DiagramView  what the picture depends on
 */
/**
 * @typedef {{id: string, layer: number, fill: string, ink: string, text: string, state: string,
 *   value: Num, dead: boolean}} DiagramNeuron
 */
/**
 * @typedef {{id: string, value: Num, stroke: string, width: number, dash: string, state: string,
 *   opacity: number}} DiagramEdge
 */
/** @typedef {{id: string, value: Num, stroke: string, width: number, dash: string}} DiagramBias  a neuron's bias ring */
/** @typedef {{d: string, color: string}} Pulse  the pulse's dots as one path */
/**
 * @typedef {{neurons: DiagramNeuron[], edges: DiagramEdge[], biases: DiagramBias[], pulse: Pulse | null}} DiagramModel
 */

const NEUTRAL_FILL = "#fbfbfa";
const BIAS_MAX = 4.5;
// Colours and widths are drawn in steps too small to see, so that a weight creeping by a hair
// leaves its line's attributes (and the browser's paint) alone.
const COLOR_STEPS = 48;
const WIDTH_STEP = 0.25;

/**
 * v rounded to a multiple of `size`.
 * @param {number} v
 * @param {number} size
 */
const step = (v, size) => Math.round(v / size) * size;
/**
 * A weight's colour on a scale of `scale`, in COLOR_STEPS steps.
 * @param {Num} value
 * @param {number} scale
 */
const colorOf = (value, scale) =>
  value === null || !Number.isFinite(value) ? valueColor(value) : valueColor(step(value / scale, 1 / COLOR_STEPS), 1);
/**
 * A line's width, in WIDTH_STEP steps.
 * @param {Num} value
 * @param {number} scale
 * @param {number} [min]
 * @param {number} [max]
 */
const widthOf = (value, scale, min, max) => step(edgeWidth(value, scale, min, max), WIDTH_STEP);

/**
 * Column k of an (n × batch) array as a list, or null.
 * @param {Matrix | null | undefined} matrix
 * @param {number} k
 * @returns {Values}
 */
export function column(matrix, k) {
  if (!Array.isArray(matrix)) return null;
  return matrix.map((row) => (Array.isArray(row) ? row[k] ?? null : null));
}

/**
 * Per layer (0..L) the numbers of one sample of a full frame: x for the inputs; z, y, dy, dz for
 * the others. Null without a frame.
 * @param {Pick<FullFrame, "layers" | "inputs" | "targets"> | null | undefined} frame
 * @param {number} k
 * @returns {SampleLayer[] | null}
 */
export function sampleValues(frame, k) {
  if (!frame || !Array.isArray(frame.layers)) return null;
  /** @type {SampleLayer[]} */
  const layers = [{ y: column(frame.inputs, k), z: null, dy: null, dz: null, t: null }];
  for (const l of frame.layers) {
    layers.push({ z: column(l.z, k), y: column(l.y, k), dy: column(l.dy, k), dz: column(l.dz, k) });
  }
  layers[layers.length - 1].t = column(frame.targets, k);
  return layers;
}

/**
 * The weights the diagram draws: the pass's weights, then easing to the new ones at update.
 * @param {Pick<State, "phase" | "phaseProgress" | "prevWeights" | "weights">} view
 * @returns {Matrix[] | null}
 */
export function shownWeights({ phase, phaseProgress: progress, prevWeights, weights }) {
  if (!weights) return null;
  if (!prevWeights || phase === "idle") return weights;
  if (phase !== "update") return prevWeights;
  const t = ease(progress);
  return weights.map((w, l) =>
    w.map((row, j) =>
      row.map((v, i) => {
        const a = prevWeights[l]?.[j]?.[i];
        return v === null || a === null || a === undefined ? v : lerp(a, v, t);
      }),
    ),
  );
}

/**
 * Whether W^1..W^L are those of the network of `totals` neurons a layer: complete (a
 * preview's), or with each layer wider than `cap` cut to its first `cap` neurons (a wide
 * network's frames). The diagram draws the first neurons of either.
 * @param {Matrix[] | null | undefined} weights
 * @param {number[]} totals
 * @param {number} [cap]
 * @returns {boolean}
 */
function sameSizes(weights, totals, cap = Infinity) {
  if (!weights || weights.length !== totals.length - 1) return false;
  /**
   * @param {number} n
   * @param {number} total
   */
  const fits = (n, total) => n === total || (total > cap && n === cap);
  return weights.every((w, l) => fits(w.length, totals[l + 1]) && fits((w[0]?.length ?? 0) - 1, totals[l]));
}

/**
 * The network the page shows: the attached job's (it is drawn as itself), else the form's.
 * @param {Pick<State, "job" | "spec">} view
 * @returns {NetworkSpec | null}
 */
export function shownNetwork(view) {
  return view.job?.spec?.network ?? view.spec?.network ?? null;
}

/**
 * The picture for `view` = {phase, phaseProgress, frame, prevWeights, weights, sample} on `layout`
 * (from computeLayout). `weightsOverride` replaces the weights drawn (train-mode smoothing);
 * `fits(text)` says whether a number fits inside a neuron (see format.js fitNumber).
 * @param {DiagramView} view
 * @param {Layout} layout
 * @param {Matrix[] | null} [weightsOverride]
 * @param {(text: string) => boolean} [fits]
 * @returns {DiagramModel}
 */
export function diagramModel(view, layout, weightsOverride = null, fits = (t) => t.length <= 5) {
  const sizes = layout.byLayer.map((r) => r.length);
  const totals = layout.totals ?? sizes;
  const L = sizes.length;
  const { phase, phaseProgress: progress } = view;
  const cap = shownSizes([Infinity], view.options)[0];
  const frame = view.frame && sameSizes(view.frame.weights, totals, cap) ? view.frame : null;
  const values = frame ? sampleValues(frame, view.sample ?? 0) : null;
  let weights = weightsOverride ?? shownWeights(view);
  if (!sameSizes(weights, totals, cap)) weights = null;
  const grads = frame ? frame.layers.map((l) => l.grad) : null;

  // neurons: y on its activation's range (sigmoid: 0 orange, ½ white, 1 blue), as the output
  // view colours its maps; ∂ℓ/∂z symmetric about 0, on one scale for the whole network
  const network = shownNetwork(view);
  const act = network?.activation ?? "sigmoid";
  const outAct = network?.output_activation ?? "sigmoid";
  const dead = frame ? new Set(deadNeurons(frame, act).map((d) => `${d.layer}-${d.index}`)) : new Set();
  const ranges = frame && values
    ? values.map((_, l) => l === 0
      ? activationRange("linear", frame.inputs.flat())
      : activationRange(l === L - 1 ? outAct : act, frame.layers[l - 1].y.flat()))
    : null;
  const dzScale = values ? Math.max(1e-12, maxAbs(values.slice(1).map((v) => v.dz))) : 1;
  const neurons = layout.neurons.map((n) => {
    /** @type {DiagramNeuron} */
    const out = { id: n.id, layer: n.layer, fill: NEUTRAL_FILL, ink: "#1d1d1f", text: "", state: "", value: null,
      dead: dead.has(n.id) };
    if (!values || !ranges) return out;
    const v = values[n.layer];
    /** @type {"y" | "dz" | null} */
    let show = "y";
    if (phase === "forward") {
      out.state = neuronState(n.layer, progress, L, "forward") === "done" ? "forward" : "pending";
      if (out.state === "pending") show = null;
    } else if (phase === "loss") {
      out.state = n.layer === L - 1 ? "loss" : "forward";
    } else if (phase === "backward") {
      const reached = neuronState(n.layer, progress, L, "backward") === "done";
      out.state = reached ? "backward" : "forward";
      if (reached) show = "dz";
    }
    if (show === "y") {
      const y = v.y?.[n.index] ?? null;
      const t = y === null ? null : toUnit(y, ranges[n.layer]);
      Object.assign(out, { value: y, fill: diverging(t), ink: inkOn(t), text: fitNumber(y, fits) });
    } else if (show === "dz") {
      const d = v.dz?.[n.index] ?? null;
      const t = d === null ? null : d / dzScale;
      Object.assign(out, { value: d, fill: valueColor(d, dzScale), ink: inkOn(t), text: fitNumber(d, fits) });
    }
    return out;
  });

  // weight lines
  const wScale = weights ? Math.max(1e-12, maxAbs(weights.map((w) => w.map((r) => r.slice(1))))) : 1;
  const gScale = grads ? Math.max(1e-12, maxAbs(grads.map((g) => g.map((r) => r.slice(1))))) : 1;
  const edges = layout.edges.map((e) => {
    const w = weights ? weights[e.layer - 1][e.to][e.from + 1] : null;
    /** @type {DiagramEdge} */
    const out = {
      id: e.id,
      value: w,
      stroke: weights ? colorOf(w, wScale) : "#c9c9c9",
      width: weights ? widthOf(w, wScale) : 1,
      dash: w !== null && w < 0 ? dashFor(widthOf(w, wScale)) : "",
      state: "",
      opacity: 1,
    };
    if (!values || !grads) return out;
    if (phase === "forward") {
      out.state = edgeState(e.layer, progress, L, "forward");
      if (out.state === "pending") out.opacity = 0.25;
    } else if (phase === "backward") {
      out.state = edgeState(e.layer, progress, L, "backward");
      if (out.state === "pending") out.opacity = 0.3;
      else {
        const g = grads[e.layer - 1][e.to][e.from + 1];
        Object.assign(out, { stroke: BACKWARD_PULSE, width: widthOf(g, gScale, 0.5, 8), dash: "" });
      }
    } else if (phase === "update") {
      out.state = "update";
    }
    return out;
  });

  // bias rings (neurons of layers 1..L)
  const bScale = weights ? Math.max(wScale, maxAbs(weights.map((w) => w.map((r) => r[0])))) : 1;
  /** @type {DiagramBias[]} */
  const biases = [];
  for (const n of layout.neurons) {
    if (n.layer === 0) continue;
    const b = weights ? weights[n.layer - 1][n.index][0] : null;
    biases.push({
      id: n.id,
      value: b,
      stroke: weights ? colorOf(b, bScale) : "#c9c9c9",
      width: weights ? widthOf(b, bScale, 0.8, BIAS_MAX) : 1,
      dash: b !== null && b < 0 ? "3 2.2" : "",
    });
  }

  return { neurons, edges, biases, pulse: values ? pulse(phase, progress, layout, L) : null };
}

/**
 * A dash pattern whose gaps stay visible at any line width.
 * @param {number} width
 * @returns {string}
 */
export function dashFor(width) {
  return `${(4 + width * 1.4).toFixed(1)} ${(2.5 + width * 0.9).toFixed(1)}`;
}

/**
 * The pulse: one dot per edge being crossed, as a path of zero-length round-capped segments.
 * @param {State["phase"]} phase
 * @param {number} progress
 * @param {Layout} layout
 * @param {number} L  layers, the input layer included
 * @returns {Pulse | null}
 */
function pulse(phase, progress, layout, L) {
  if (phase !== "forward" && phase !== "backward") return null;
  const seg = pulseSegment(progress, L, phase);
  if (!seg) return null;
  const parts = [];
  for (const e of layout.edges) {
    if (e.layer !== seg.layer) continue;
    const p = pointOnEdge(e, seg.along);
    parts.push(`M${p.x.toFixed(1)} ${p.y.toFixed(1)}h0`);
  }
  return { d: parts.join(""), color: phase === "forward" ? FORWARD_PULSE : BACKWARD_PULSE };
}
