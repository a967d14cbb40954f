// A network wider than the diagram draws: the server's frames carry each layer's first
// neurons (GET /api/options limits.max_shown_neurons), and the diagram draws those.
import { test } from "node:test";
import assert from "node:assert/strict";
import { diagramModel } from "../../frontend/js/diagram.js";
import { computeLayout } from "../../frontend/js/layout.js";
import { shownSamples, shownSizes } from "../../frontend/js/store.js";

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
  const layout = computeLayout(shownSizes([3, 10, 2], options));
  const model = diagramModel({ phase: "idle", frame: null, weights, prevWeights: weights, sample: 0, options }, layout);
  assert.equal(model.edges.find((e) => e.id === "1-3-2").value, weights[0][3][3]);
  assert.equal(model.edges.find((e) => e.id === "2-1-3").value, weights[1][1][4]);
  // weights of another, narrower network are not drawn
  const other = [matrix(3, 4, () => 1), matrix(2, 4, () => 1)];
  const grey = diagramModel({ phase: "idle", frame: null, weights: other, prevWeights: other, sample: 0, options }, layout);
  assert.ok(grey.edges.every((e) => e.value === null));
});
