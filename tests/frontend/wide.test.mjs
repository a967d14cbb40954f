// A network wider than the diagram draws: the server's frames carry each layer's first
// neurons (GET /api/options limits.max_shown_neurons), and the diagram draws those.
import { test } from "node:test";
import assert from "node:assert/strict";
import { diagramModel } from "../../frontend/js/diagram.js";
import { computeLayout, drawnSizes, MAX_DRAWN } from "../../frontend/js/layout.js";
import { shownSamples, shownSizes } from "../../frontend/js/selectors.js";

const options = { limits: { max_shown_neurons: 4, max_shown_samples: 2 } };
const matrix = (rows, cols, f) => Array.from({ length: rows }, (_, j) => Array.from({ length: cols }, (_, m) => f(j, m)));

/** A frame of a 3-10-2 network cut to the first 4 neurons a layer, as the server sends it. */
function cutFrame() {
  const units = (n) => matrix(n, 2, (j, k) => 0.1 * (j + 1) + 0.01 * k);
  const layer = (n, prev) => ({ z: units(n), y: units(n), dy: units(n), dz: units(n), grad: matrix(n, prev + 1, () => 0.001) });
  return {
    type: "frame", job: "j", epoch: 0, batch: 0, iteration: 1, status: "running", loss: 0.5,
    test_loss: null, learning_rate: 0.5, max_delta: 0.01, rows: [0, 1, 2],
    weights: [matrix(4, 4, (j, m) => j - m), matrix(2, 5, (j, m) => j + m)],
    inputs: units(3), targets: units(2), layers: [layer(4, 3), layer(2, 4)],
    neurons: [[0, 1, 2], [0, 1, 2, 3], [0, 1]], sizes: [3, 10, 2], samples: [0, 1],
  };
}

test("a wide layer is drawn with the first neurons the server's frames carry", () => {
  assert.deepEqual(shownSizes([3, 10, 2], options), [3, 4, 2]);
  assert.deepEqual(shownSizes([3, 100, 2]), [3, 64, 2]);
  assert.equal(shownSamples(200, options), 2);
  assert.equal(shownSamples(200), 64);
});

test("the diagram draws a cut frame: its weights and values, none left grey", () => {
  const frame = cutFrame();
  const layout = computeLayout(shownSizes(frame.sizes, options));
  const model = diagramModel({ phase: "idle", frame, weights: frame.weights, prevWeights: frame.weights, sample: 0, options }, layout);
  assert.equal(model.edges.length, 3 * 4 + 4 * 2);
  assert.equal(model.edges.find((e) => e.id === "1-3-2").value, frame.weights[0][3][3]);
  assert.equal(model.neurons.find((n) => n.id === "1-3").value, frame.layers[0].y[3][0]);
});

test("complete weights (a preview's) are drawn cut to the first neurons of each wide layer", () => {
  const weights = [matrix(10, 4, (j, m) => j * 10 + m), matrix(2, 11, (j, m) => j - m)];
  const layout = computeLayout(shownSizes([3, 10, 2], options), undefined, [3, 10, 2]);
  const model = diagramModel({ phase: "idle", frame: null, weights, prevWeights: weights, sample: 0, options }, layout);
  assert.equal(model.edges.find((e) => e.id === "1-3-2").value, weights[0][3][3]);
  assert.equal(model.edges.find((e) => e.id === "2-1-3").value, weights[1][1][4]);
  // weights of another, narrower network are not drawn
  const other = [matrix(3, 4, () => 1), matrix(2, 4, () => 1)];
  const grey = diagramModel({ phase: "idle", frame: null, weights: other, prevWeights: other, sample: 0, options }, layout);
  assert.ok(grey.edges.every((e) => e.value === null));
});

test("a layer wider than the diagram draws is drawn in part, with a marker naming its size", () => {
  const box = { width: 660, height: 370 };
  const drawn = drawnSizes([3, 200, 2], box, 64);
  assert.ok(drawn[1] < 200 && drawn[1] <= MAX_DRAWN && drawn[1] >= 8);
  assert.deepEqual([drawn[0], drawn[2]], [3, 2]);
  const layout = computeLayout(drawn, box, [3, 200, 2]);
  assert.deepEqual(layout.totals, [3, 200, 2]);
  const more = layout.columns[1].more;
  assert.deepEqual([more.shown, more.total], [drawn[1], 200]);
  const last = layout.byLayer[1].at(-1);
  assert.ok(more.y > last.y && more.y + layout.radius <= box.height); // a row below the last drawn
  assert.equal(layout.columns[0].more, null);
  // a layer that fits is drawn whole; the server's cap (what frames carry) also bounds it
  assert.deepEqual(drawnSizes([3, 12, 2], box, 64), [3, 12, 2]);
  assert.deepEqual(drawnSizes([3, 10, 2], box, 4), [3, 4, 2]);
  // a short box draws fewer, never overlapping: rows at least 2 radii apart
  const low = computeLayout(drawnSizes([3, 200, 2], { width: 340, height: 200 }, 64), { width: 340, height: 200 }, [3, 200, 2]);
  const col = low.byLayer[1];
  for (let i = 1; i < col.length; i++) assert.ok(col[i].y - col[i - 1].y >= 2 * low.radius);
});

test("the cut frame of a 3-200-2 network is drawn on its drawn neurons, none grey", () => {
  const sizes = [3, 200, 2];
  const units = (n) => matrix(n, 2, (j, k) => 0.01 * j + k);
  const layer = (n, prev) => ({ z: units(n), y: units(n), dy: units(n), dz: units(n), grad: matrix(n, prev + 1, () => 0.001) });
  const frame = { iteration: 1, loss: 0.5, learning_rate: 0.5, rows: [0, 1], weights: [matrix(64, 4, (j) => j), matrix(2, 65, (j, m) => m)],
    inputs: units(3), targets: units(2), layers: [layer(64, 3), layer(2, 64)], sizes };
  const drawn = drawnSizes(sizes, { width: 660, height: 370 }, 64);
  const layout = computeLayout(drawn, { width: 660, height: 370 }, sizes);
  const model = diagramModel({ phase: "idle", frame, weights: frame.weights, prevWeights: frame.weights, sample: 0 }, layout);
  assert.equal(model.neurons.length, 3 + drawn[1] + 2);
  assert.ok(model.edges.every((e) => e.value !== null));
  assert.equal(model.edges.find((e) => e.id === "2-1-5").value, frame.weights[1][1][6]);
});
