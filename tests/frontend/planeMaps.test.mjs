import { test } from "node:test";
import assert from "node:assert/strict";
import {
  boundingBox, forwardCost, isComplete, mapGridSize, mapPixels, mapRange, mapWeights, planeInputs, planeOf,
  planeValues, MAP_GRID,
} from "../../frontend/js/planeMaps.js";

const close = (a, b, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);
const TWO_D = { name: "circle", two_d: true };

test("a 2-D registry set's plane is [−6, 6]², its derived columns must match the input layer", () => {
  assert.deepEqual(planeOf([2, 4, 1], { features: [] }, TWO_D), { box: { x: [-6, 6], y: [-6, 6] }, features: [] });
  assert.deepEqual(planeOf([3, 4, 1], { features: ["x1_x2"] }, TWO_D).features, ["x1_x2"]);
  assert.equal(planeOf([3, 4, 1], { features: [] }, TWO_D), null); // layers from another setup
  assert.equal(planeOf([3, 5, 2], { inputs: [[0, 0, 0]] }, { two_d: false }), null); // three inputs: no plane
});

test("any data of two input columns gets its bounding box, widened by a tenth", () => {
  const plane = planeOf([2, 3, 1], { inputs: [[0, 10], [2, 20]], test_inputs: [[1, 30]] }, undefined);
  assert.deepEqual(plane.features, []);
  close(plane.box.x[0], -0.2);
  close(plane.box.x[1], 2.2);
  close(plane.box.y[0], 8);
  close(plane.box.y[1], 32);
  assert.deepEqual(boundingBox([[5, 5]]), { x: [4, 6], y: [4, 6] }); // one point: ±1
  assert.equal(planeOf([2, 3, 1], { inputs: [] }, undefined), null); // no points to frame
});

test("the grid a network affords: 24 cells a side for small ones, fewer, then none", () => {
  assert.equal(forwardCost([2, 8, 8, 2]), 8 * 3 + 8 * 9 + 2 * 9);
  assert.equal(mapGridSize([2, 8, 8, 2]), MAP_GRID);
  const n = mapGridSize([2, 200, 200, 2]);
  assert.ok(n >= 8 && n < MAP_GRID, String(n));
  assert.ok(n * n * forwardCost([2, 200, 200, 2]) <= 3e6);
  assert.equal(mapGridSize([2, 1024, 1024, 2]), 0);
});

test("each neuron's value at a cell is eqs. (1)–(2) at that cell's (x1, x2)", () => {
  // 2-1-1: hidden tanh(0.5 + 1·x1 − 2·x2), output σ(−1 + 3·h)
  const W = [[[0.5, 1, -2]], [[-1, 3]]];
  const network = { activation: "tanh", output_activation: "sigmoid" };
  const plane = { box: { x: [-6, 6], y: [-6, 6] }, features: [] };
  const inputs = planeInputs(4, plane); // cell centres −4.5, −1.5, 1.5, 4.5; row 0 the top
  const values = planeValues(W, network, inputs);
  assert.equal(values.length, 3);
  const cell = 1 * 4 + 2; // row 1 (x2 = 1.5), column 2 (x1 = 1.5)
  close(values[0][0][cell], 1.5);
  close(values[0][1][cell], 1.5);
  const h = Math.tanh(0.5 + 1.5 - 3);
  close(values[1][0][cell], h);
  close(values[2][0][cell], 1 / (1 + Math.exp(-(-1 + 3 * h))));
  close(values[0][1][0], 4.5); // top-left cell: largest x2
});

test("derived columns of the plane are computed from x1 and x2", () => {
  const plane = { box: { x: [-6, 6], y: [-6, 6] }, features: ["x1_squared", "x1_x2"] };
  const rows = planeInputs(2, plane);
  assert.deepEqual(rows[0], [-3, 3, 9, -9]);
  assert.deepEqual(rows[3], [3, -3, 9, -9]);
});

test("each layer is coloured on its activation's range, inputs from low to high", () => {
  const network = { activation: "relu", output_activation: "sigmoid" };
  assert.deepEqual(mapRange(0, 3, network, [-6, 6]), [-6, 6]);
  assert.deepEqual(mapRange(0, 3, network, [9, 21, 15]), [9, 21]); // an input far from 0: low to high
  assert.deepEqual(mapRange(0, 3, network, [2, 2]), [-2, 2]);
  assert.deepEqual(mapRange(1, 3, network, [0, 4]), [-4, 4]);
  assert.deepEqual(mapRange(2, 3, network, [0.2]), [0, 1]);
  const px = mapPixels(Float64Array.from([0, 1]), 2, 3, network);
  assert.deepEqual([...px.slice(0, 4)], [179, 88, 6, 255]); // σ = 0: the orange end
  assert.deepEqual([...px.slice(4, 8)], [33, 102, 172, 255]); // σ = 1: the blue end
});

test("only complete weights are drawn; during a pass the pass's own", () => {
  const W = [[[0, 1, 1]], [[0, 1]]];
  assert.ok(isComplete(W, [2, 1, 1]));
  assert.ok(!isComplete(W, [2, 100, 1])); // a wide network's cut
  assert.ok(!isComplete(null, [2, 1, 1]));
  const s = { weights: "new", prevWeights: "old" };
  assert.equal(mapWeights({ ...s, phase: "forward" }), "old");
  assert.equal(mapWeights({ ...s, phase: "update" }), "new");
  assert.equal(mapWeights({ ...s, phase: "idle" }), "new");
  assert.equal(mapWeights({ ...s, phase: "forward" }, "full"), "full");
});
