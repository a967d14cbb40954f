// Pure layout math of the network diagram (Figure 1): layers in columns, neurons in rows.
// No DOM. Coordinates are in SVG user units of a viewBox `width × height`.

export const DEFAULT_BOX = { width: 720, height: 420 };

const MARGIN = { left: 78, right: 96, top: 58, bottom: 26 };
const MAX_GAP = 78; // largest vertical distance between neuron centres
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
 * Positions of every neuron and edge of a network with `sizes` neurons per layer.
 * Returns {width, height, radius, columns: [{layer, x, top, bottom, name}],
 * neurons: [{id, layer, index, x, y}], edges: [{id, layer, to, from, x1, y1, x2, y2}]}.
 * Neurons are centred vertically; the gap between rows shrinks to fit the largest layer.
 */
export function computeLayout(sizes, box = DEFAULT_BOX) {
  if (!Array.isArray(sizes) || sizes.length < 2 || sizes.some((n) => !(n >= 1))) {
    throw new RangeError(`layout: need at least 2 layers of ≥ 1 neuron, got ${JSON.stringify(sizes)}`);
  }
  const { width, height } = box;
  const innerW = Math.max(1, width - MARGIN.left - MARGIN.right);
  const innerH = Math.max(1, height - MARGIN.top - MARGIN.bottom);
  const widest = Math.max(...sizes);
  const colGap = innerW / (sizes.length - 1);
  const rowGap = widest > 1 ? Math.min(MAX_GAP, innerH / (widest - 1)) : MAX_GAP;
  const radius = clamp(Math.min(rowGap * 0.34, colGap * 0.16), MIN_RADIUS, MAX_RADIUS);
  const midY = MARGIN.top + innerH / 2;

  const neurons = [];
  const columns = [];
  const byLayer = [];
  sizes.forEach((n, layer) => {
    const x = MARGIN.left + colGap * layer;
    const span = (n - 1) * rowGap;
    const row = [];
    for (let i = 0; i < n; i++) {
      const node = { id: neuronId(layer, i), layer, index: i, x, y: midY - span / 2 + i * rowGap };
      neurons.push(node);
      row.push(node);
    }
    byLayer.push(row);
    columns.push({
      layer,
      x,
      top: midY - span / 2 - radius,
      bottom: midY + span / 2 + radius,
      name: layerName(layer, sizes.length),
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
  return { width, height, radius, rowGap, colGap, columns, neurons, edges, byLayer };
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
