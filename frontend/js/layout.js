// Pure layout math of the network diagram (Figure 1): layers in columns, neurons in rows.
// No DOM. Coordinates are CSS pixels of a box `width × height` (the diagram's own size, so a
// font size or radius here is what the reader sees).

export const DEFAULT_BOX = { width: 720, height: 420 };

export const MAX_DRAWN = 16; // neurons a layer the diagram draws at most: more get a marker
const MAX_GAP = 78; // largest vertical distance between neuron centres
const MIN_ROW_GAP = 15; // smallest: a wider layer than fits is drawn in part, with a marker
const MAX_RADIUS = 21;
const MIN_RADIUS = 5;

/** "L-i": neuron i (0-based) of layer L (0 = input). */
export function neuronId(layer, index) {
  return `${layer}-${index}`;
}

/** "L-j-i": the weight into neuron j of layer L from neuron i of layer L − 1. */
export function edgeId(layer, to, from) {
  return `${layer}-${to}-${from}`;
}

/** Human name of layer L of a network with `count` layers, as the article names them. */
export function layerName(layer, count) {
  if (layer === 0) return "Input layer";
  if (layer === count - 1) return "Output layer";
  return count > 3 ? `Hidden layer ${layer}` : "Hidden layer";
}

/** The names of layer L from the longest to the shortest, for a column only so wide. */
export function layerNames(layer, count) {
  const full = layerName(layer, count);
  if (layer === 0) return [full, "Input", "In"];
  if (layer === count - 1) return [full, "Output", "Out"];
  return count > 3 ? [full, `Hidden ${layer}`, `H${layer}`] : [full, "Hidden", "H"];
}

/** The diagram's height for a width: wide screens get a landscape box, phones a squarer one. */
export function boxFor(width) {
  const w = Math.max(200, Math.round(width));
  return { width: w, height: Math.round(Math.min(440, Math.max(320, w * 0.56))) };
}

/** Room left and right of the columns for the inputs' and outputs' names (Figure 1's arrows). */
export function marginsFor(box) {
  const w = box.width;
  return {
    left: Math.round(Math.min(78, Math.max(46, w * 0.11))),
    right: Math.round(Math.min(96, Math.max(64, w * 0.14))),
    top: 58,
    bottom: 26,
  };
}

/**
 * How many neurons of each layer of `sizes` the diagram draws in `box`: a whole layer when it
 * fits (at most MAX_DRAWN, at most `cap` — what the server's frames carry — and no closer than
 * MIN_ROW_GAP), else its first neurons and a marker row below them ("… 200 neurons").
 */
export function drawnSizes(sizes, box = DEFAULT_BOX, cap = Infinity) {
  const m = marginsFor(box);
  const rows = Math.max(2, Math.floor((box.height - m.top - m.bottom) / MIN_ROW_GAP) + 1);
  const whole = Math.min(cap, MAX_DRAWN, rows);
  const part = Math.max(1, Math.min(cap, MAX_DRAWN, rows - 1));
  return sizes.map((n) => (n <= whole ? n : part));
}

/** Number of weights (bias excluded) of a fully connected network. */
export function edgeCount(sizes) {
  let n = 0;
  for (let l = 1; l < sizes.length; l++) n += sizes[l] * sizes[l - 1];
  return n;
}

/** Neurons of the network, input layer included. */
export function neuronCount(sizes) {
  return sizes.reduce((a, b) => a + b, 0);
}

/**
 * Positions of every drawn neuron and edge: `sizes` neurons drawn per layer of a network whose
 * layers have `totals` (default: all drawn). Returns {width, height, radius, rowGap, colGap,
 * margin, totals, columns: [{layer, x, top, bottom, name, more}], neurons: [{id, layer, index,
 * x, y}], edges: [{id, layer, to, from, x1, y1, x2, y2}], byLayer}. A column drawn in part has
 * `more` = {x, y, shown, total}: the marker's place, one row below its last neuron.
 * Neurons are centred vertically; the gap between rows shrinks to fit the tallest column.
 */
export function computeLayout(sizes, box = DEFAULT_BOX, totals = sizes) {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((n) => !(n >= 1))) {
    throw new RangeError(`layout: need at least 2 layers of ≥ 1 neuron, got ${JSON.stringify(sizes)}`);
  }
  const { width, height } = box;
  const margin = marginsFor(box);
  const innerW = Math.max(1, width - margin.left - margin.right);
  const innerH = Math.max(1, height - margin.top - margin.bottom);
  const rowsOf = sizes.map((n, l) => n + ((totals[l] ?? n) > n ? 1 : 0));
  const tallest = Math.max(...rowsOf);
  const colGap = innerW / (sizes.length - 1);
  const rowGap = tallest > 1 ? Math.min(MAX_GAP, innerH / (tallest - 1)) : MAX_GAP;
  const radius = clamp(Math.min(rowGap * 0.34, colGap * 0.16), MIN_RADIUS, MAX_RADIUS);
  const midY = margin.top + innerH / 2;

  const neurons = [];
  const columns = [];
  const byLayer = [];
  sizes.forEach((n, layer) => {
    const x = margin.left + colGap * layer;
    const span = (rowsOf[layer] - 1) * rowGap;
    const y0 = midY - span / 2;
    const row = [];
    for (let i = 0; i < n; i++) {
      const node = { id: neuronId(layer, i), layer, index: i, x, y: y0 + i * rowGap };
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
      more: total > n ? { x, y: y0 + n * rowGap, shown: n, total } : null,
    });
  });

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
 */
export function numberBox(radius, charWidth = 0.62) {
  const room = 2 * radius - 4;
  const size = Math.min(13, Math.max(11, room / (5 * charWidth)));
  return room >= 3 * charWidth * size ? { size: Math.round(size * 10) / 10, width: room } : null;
}

/** A point a fraction t ∈ [0, 1] of the way along an edge. */
export function pointOnEdge(edge, t) {
  return { x: edge.x1 + (edge.x2 - edge.x1) * t, y: edge.y1 + (edge.y2 - edge.y1) * t };
}

/** Stroke width of a weight line for |w| relative to `scale` (the largest |w| shown). */
export function edgeWidth(value, scale, min = 0.6, max = 7) {
  if (value === null || !Number.isFinite(value)) return min;
  const s = scale > 0 ? Math.min(1, Math.abs(value) / scale) : 0;
  return min + (max - min) * Math.sqrt(s);
}

function clamp(v, lo, hi) {
  return Math.min(hi, Math.max(lo, v));
}
