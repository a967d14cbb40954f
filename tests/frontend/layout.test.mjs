import { test } from "node:test";
import assert from "node:assert/strict";
import {
  computeLayout, edgeCount, edgeId, edgeWidth, layerName, neuronCount, neuronId, pointOnEdge,
} from "../../frontend/js/layout.js";

test("Figure 1's 3-5-2 network has 10 neurons and 25 weights", () => {
  const lay = computeLayout([3, 5, 2]);
  assert.equal(lay.neurons.length, 10);
  assert.equal(lay.edges.length, 25);
  assert.equal(neuronCount([3, 5, 2]), 10);
  assert.equal(edgeCount([3, 5, 2]), 25);
  assert.equal(edgeCount([2, 4, 4, 1]), 28);
});

test("ids follow the test hooks: neuron L-i, edge L-j-i (into layer L, j from i)", () => {
  const lay = computeLayout([3, 5, 2]);
  assert.equal(neuronId(0, 2), "0-2");
  assert.equal(edgeId(2, 1, 4), "2-1-4");
  assert.deepEqual(lay.neurons.map((n) => n.id).slice(0, 4), ["0-0", "0-1", "0-2", "1-0"]);
  const e = lay.edges.find((x) => x.id === "2-1-4");
  const src = lay.neurons.find((n) => n.id === "1-4");
  const dst = lay.neurons.find((n) => n.id === "2-1");
  assert.deepEqual([e.x1, e.y1, e.x2, e.y2], [src.x, src.y, dst.x, dst.y]);
  assert.equal(new Set(lay.edges.map((x) => x.id)).size, 25);
});

test("layers are columns left to right, neurons centred and inside the box", () => {
  const box = { width: 700, height: 400 };
  const lay = computeLayout([2, 8, 8, 8, 1], box);
  const xs = lay.columns.map((c) => c.x);
  assert.deepEqual(xs, [...xs].sort((a, b) => a - b));
  for (const n of lay.neurons) {
    assert.ok(n.x - lay.radius >= 0 && n.x + lay.radius <= box.width);
    assert.ok(n.y - lay.radius >= 0 && n.y + lay.radius <= box.height);
  }
  const mid = (l) => (lay.byLayer[l][0].y + lay.byLayer[l].at(-1).y) / 2;
  assert.ok(Math.abs(mid(0) - mid(1)) < 1e-9 && Math.abs(mid(1) - mid(4)) < 1e-9);
  // neurons of a column never overlap
  const col = lay.byLayer[1];
  for (let i = 1; i < col.length; i++) assert.ok(col[i].y - col[i - 1].y >= 2 * lay.radius);
});

test("a big layer shrinks the neurons but keeps them ≥ 5 units", () => {
  const small = computeLayout([3, 5, 2]);
  const big = computeLayout([3, 30, 2]);
  assert.ok(big.radius < small.radius);
  assert.ok(big.radius >= 5);
});

test("layer names are the article's", () => {
  assert.equal(layerName(0, 3), "Input layer");
  assert.equal(layerName(1, 3), "Hidden layer");
  assert.equal(layerName(2, 3), "Output layer");
  assert.equal(layerName(2, 4), "Hidden layer 2");
});

test("bad sizes are refused", () => {
  assert.throws(() => computeLayout([3]), RangeError);
  assert.throws(() => computeLayout([3, 0, 2]), RangeError);
  assert.throws(() => computeLayout([3, NaN, 2]), RangeError);
});

test("edge width grows with |w|, is bounded, and copes with null", () => {
  assert.equal(edgeWidth(0, 1), 0.6);
  assert.equal(edgeWidth(1, 1), 7);
  assert.equal(edgeWidth(-1, 1), 7);
  assert.equal(edgeWidth(5, 1), 7);
  assert.ok(edgeWidth(0.25, 1) < edgeWidth(0.5, 1));
  assert.equal(edgeWidth(null, 1), 0.6);
  assert.equal(edgeWidth(1, 0), 0.6);
});

test("points along an edge", () => {
  const e = { x1: 0, y1: 0, x2: 10, y2: 20 };
  assert.deepEqual(pointOnEdge(e, 0.5), { x: 5, y: 10 });
});
