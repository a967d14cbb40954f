// @ts-check
// Pure layout math of the network diagram (Figure 1): layers in columns, neurons in rows.
// No DOM. Coordinates are CSS pixels of a box `width × height` (the diagram's own size, so a
// font size or radius here is what the reader sees).

/** @import { Layout, LayoutColumn, LayoutEdge, LayoutNeuron, Margins, Size } from "./types.js" */

/** @type {Size} */
export const DEFAULT_BOX = { width: 720, height: 420 };

export const MAX_DRAWN = 16; // neurons a layer the diagram draws at most: more get a marker
const MAX_GAP = 78; // largest vertical distance between neuron centres
const MIN_ROW_GAP = 15; // smallest: a wider layer than fits is drawn in part, with a marker
const MAX_RADIUS = 21;
const MIN_RADIUS = 5;

/**
 * "L-i": neuron i (0-based) of layer L (0 = input).
 * @param {number} layer
 * @param {number} index
 * @returns {string}
 */
export function neuronId(layer, index) {
  return `${layer}-${index}`;
}

/**
 * "L-j-i": the weight into neuron j of layer L from neuron i of layer L − 1.
 * @param {number} layer
 * @param {number} to
 * @param {number} from
 * @returns {string}
 */
export function edgeId(layer, to, from) {
  return `${layer}-${to}-${from}`;
}

/**
 * Human name of layer L of a network with `count` layers, as the article names them.
 * @param {number} layer
 * @param {number} count
 * @returns {string}
 */
export function layerName(layer, count) {
  if (layer === 0) return "Input layer";
  if (layer === count - 1) return "Output layer";
  return count > 3 ? `Hidden layer ${layer}` : "Hidden layer";
}

/**
 * The names of layer L from the longest to the shortest, for a column only so wide.
 * @param {number} layer
 * @param {number} count
 * @returns {string[]}
 */
export function layerNames(layer, count) {
  const full = layerName(layer, count);
  if (layer === 0) return [full, "Input", "In"];
  if (layer === count - 1) return [full, "Output", "Out"];
  return count > 3 ? [full, `Hidden ${layer}`, `H${layer}`] : [full, "Hidden", "H"];
}

/**
 * The diagram's height for a width: wide screens get a landscape box, phones a squarer one.
 * @param {number} width
 * @returns {Size}
 */
export function boxFor(width) {
  const w = Math.max(200, Math.round(width));
  return { width: w, height: Math.round(Math.min(440, Math.max(320, w * 0.56))) };
}

/**
 * Room left and right of the columns for the inputs' and outputs' names and Figure 1's arrows:
 * a share of the width, and at least what neurons of `radius` need beside them for "x1 ⇢" and
 * "⇢ ŷ 0.53".
 * @param {Size} box
 * @param {number} [radius]
 * @returns {Margins}
 */
export function marginsFor(box, radius = MAX_RADIUS) {
  const w = box.width;
  const ring = radius + 3.5;
  return {
    left: Math.round(Math.max(Math.min(78, w * 0.11), ring + 42)),
    right: Math.round(Math.max(Math.min(96, w * 0.14), ring + 68)),
    top: 58,
    bottom: 26,
  };
}

/**
 * The neurons' radius in a box for `rows` rows and `columns` columns, with its margins.
 * @param {Size} box
 * @param {number} rows
 * @param {number} columns
 * @returns {{radius: number, margin: Margins}}
 */
function fitRadius(box, rows, columns) {
  let radius = MAX_RADIUS;
  let margin = marginsFor(box, radius);
  for (let pass = 0; pass < 3; pass++) { // narrower margins leave room for bigger neurons, and so on
    const innerW = Math.max(1, box.width - margin.left - margin.right);
    const innerH = Math.max(1, box.height - margin.top - margin.bottom);
    const colGap = innerW / Math.max(1, columns - 1);
    const rowGap = rows > 1 ? Math.min(MAX_GAP, innerH / (rows - 1)) : MAX_GAP;
    radius = clamp(Math.min(rowGap * 0.34, colGap * 0.16), MIN_RADIUS, MAX_RADIUS);
    const next = marginsFor(box, radius);
    if (next.left === margin.left && next.right === margin.right) break;
    margin = next;
  }
  return { radius, margin };
}

/**
 * How many neurons of each layer of `sizes` the diagram draws in `box`: a whole layer when it
 * fits (at most MAX_DRAWN, at most `cap` — what the server's frames carry — and no closer than
 * MIN_ROW_GAP), else its first neurons and a marker row below them ("… 200 neurons").
 * @param {number[]} sizes
 * @param {Size} [box]
 * @param {number} [cap]
 * @returns {number[]}
 */
export function drawnSizes(sizes, box = DEFAULT_BOX, cap = Infinity) {
  const m = marginsFor(box, MIN_RADIUS);
  const rows = Math.max(2, Math.floor((box.height - m.top - m.bottom) / MIN_ROW_GAP) + 1);
  const whole = Math.min(cap, MAX_DRAWN, rows);
  const part = Math.max(1, Math.min(cap, MAX_DRAWN, rows - 1));
  return sizes.map((n) => (n <= whole ? n : part));
}

/**
 * Number of weights (bias excluded) of a fully connected network.
 * @param {number[]} sizes
 * @returns {number}
 */
export function edgeCount(sizes) {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l] * sizes[l - 1];
  return n;
}

/**
 * Neurons of the network, input layer included.
 * @param {number[]} sizes
 * @returns {number}
 */
export function neuronCount(sizes) {
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Positions of every drawn neuron and edge: `sizes` neurons drawn per layer of a network whose
 * layers have `totals` (default: all drawn). Returns {width, height, radius, rowGap, colGap,
 * margin, totals, columns: [{layer, x, top, bottom, name, more}], neurons: [{id, layer, index,
 * x, y}], edges: [{id, layer, to, from, x1, y1, x2, y2}], byLayer}. A column drawn in part has
 * `more` = {x, y, shown, total}: the marker's place, one row below its last neuron.
 * Neurons are centred vertically, each column's rows as far apart as it has room for (at most
 * MAX_GAP); the radius is the one the tallest column allows.
 * @param {number[]} sizes
 * @param {Size} [box]
 * @param {number[]} [totals]
 * @returns {Layout}
 */
export function computeLayout(sizes, box = DEFAULT_BOX, totals = sizes) {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((n) => !(n >= 1))) {
    throw new RangeError(`layout: need at least 2 layers of ≥ 1 neuron, got ${JSON.stringify(sizes)}`);
  }
  const { width, height } = box;
  const rowsOf = sizes.map((n, l) => n + ((totals[l] ?? n) > n ? 1 : 0));
  const tallest = Math.max(...rowsOf);
  const { radius, margin } = fitRadius(box, tallest, sizes.length);
  const innerW = Math.max(1, width - margin.left - margin.right);
  const innerH = Math.max(1, height - margin.top - margin.bottom);
  const colGap = innerW / (sizes.length - 1);
  const rowGap = tallest > 1 ? Math.min(MAX_GAP, innerH / (tallest - 1)) : MAX_GAP;
  const midY = margin.top + innerH / 2;

  /** @type {LayoutNeuron[]} */
  const neurons = [];
  /** @type {LayoutColumn[]} */
  const columns = [];
  /** @type {LayoutNeuron[][]} */
  const byLayer = [];
  sizes.forEach((n, layer) => {
    const x = margin.left + colGap * layer;
    // each column's own spacing: a short layer beside a tall one keeps room for its labels
    const gap = rowsOf[layer] > 1 ? Math.min(MAX_GAP, innerH / (rowsOf[layer] - 1)) : MAX_GAP;
    const span = (rowsOf[layer] - 1) * gap;
    const y0 = midY - span / 2;
    const row = [];
    for (let i = 0; i < n; i++) {
      const node = { id: neuronId(layer, i), layer, index: i, x, y: y0 + i * gap };
      neurons.push(node);
      row.push(node);
    }
    byLayer.push(row);
    const total = totals[layer] ?? n;
    columns.push({
      layer,
      x,
      top: y0 - radius,
      bottom: y0 + span + radius,
      name: layerName(layer, sizes.length),
      more: total > n ? { x, y: y0 + n * gap, shown: n, total } : null,
    });
  });

  /** @type {LayoutEdge[]} */
  const edges = [];
  for (let layer = 1; layer < sizes.length; layer++) {
    for (const dst of byLayer[layer]) {
      for (const src of byLayer[layer - 1]) {
        edges.push({
          id: edgeId(layer, dst.index, src.index),
          layer,
          to: dst.index,
          from: src.index,
          x1: src.x,
          y1: src.y,
          x2: dst.x,
          y2: dst.y,
        });
      }
    }
  }
  return { width, height, radius, rowGap, colGap, margin, totals: sizes.map((n, l) => totals[l] ?? n),
    columns, neurons, edges, byLayer };
}

/**
 * The font size (px) and the width (px) a neuron's number may take, for neurons of `radius`:
 * 11 px at the least (readable on a phone), up to 13; null when not even 3 characters fit.
 * @param {number} radius
 * @param {number} [charWidth]  a character's width in ems
 * @returns {{size: number, width: number} | null}
 */
export function numberBox(radius, charWidth = 0.62) {
  const room = 2 * radius - 4;
  const size = Math.min(13, Math.max(11, room / (5 * charWidth)));
  return room >= 3 * charWidth * size ? { size: Math.round(size * 10) / 10, width: room } : null;
}

/**
 * A point a fraction t ∈ [0, 1] of the way along an edge.
 * @param {Pick<LayoutEdge, "x1" | "y1" | "x2" | "y2">} edge
 * @param {number} t
 * @returns {{x: number, y: number}}
 */
export function pointOnEdge(edge, t) {
  return { x: edge.x1 + (edge.x2 - edge.x1) * t, y: edge.y1 + (edge.y2 - edge.y1) * t };
}

/**
 * Stroke width of a weight line for |w| relative to `scale` (the largest |w| shown).
 * @param {number | null | undefined} value
 * @param {number} scale
 * @param {number} [min]
 * @param {number} [max]
 * @returns {number}
 */
export function edgeWidth(value, scale, min = 0.6, max = 7) {
  if (value === null || value === undefined || !Number.isFinite(value)) return min;
  const s = scale > 0 ? Math.min(1, Math.abs(value) / scale) : 0;
  return min + (max - min) * Math.sqrt(s);
}

/**
 * v within [lo, hi].
 * @param {number} v
 * @param {number} lo
 * @param {number} hi
 * @returns {number}
 */
function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}
