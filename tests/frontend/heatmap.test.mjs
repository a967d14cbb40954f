import { test } from "node:test";
import assert from "node:assert/strict";
import {
  EXTENT, activationRange, cellCentre, fillRGBA, gridPoints, shownOutput, targetRange, toPixel, toUnit,
} from "../../frontend/js/heatmap.js";
import { diverging, lighten } from "../../frontend/js/palette.js";

test("a 60 × 60 grid of cell centres over [−6, 6]², top row first", () => {
  const g = gridPoints(60);
  assert.equal(g.length, 3600);
  assert.deepEqual(g[0], [-5.9, 5.9]); // top-left: smallest x1, largest x2
  assert.deepEqual(g[59], [5.9, 5.9]);
  assert.deepEqual(g[3599], [5.9, -5.9]);
  const xs = g.map((p) => p[0]);
  assert.ok(Math.max(...xs) < EXTENT && Math.min(...xs) > -EXTENT);
  assert.equal(cellCentre(0, 2, -1, 1), -0.5);
  assert.deepEqual(gridPoints(2, -1, 1), [[-0.5, 0.5], [0.5, 0.5], [-0.5, -0.5], [0.5, -0.5]]);
});

test("data coordinates to canvas pixels, x2 flipped", () => {
  assert.equal(toPixel(-6, 300), 0);
  assert.equal(toPixel(6, 300), 300);
  assert.equal(toPixel(0, 300), 150);
  assert.equal(toPixel(6, 300, true), 0);
  assert.equal(toPixel(-3, 300, true), 225);
});

test("value ranges per activation and per target kind", () => {
  assert.deepEqual(activationRange("sigmoid", [5]), [0, 1]);
  assert.deepEqual(activationRange("softmax", []), [0, 1]);
  assert.deepEqual(activationRange("tanh", [5]), [-1, 1]);
  assert.deepEqual(activationRange("relu", [0, 2.5, NaN, 1]), [-2.5, 2.5]);
  assert.deepEqual(activationRange("linear", [0, -4]), [-4, 4]);
  assert.deepEqual(activationRange("relu", [0, 0]), [-1, 1]);
  assert.deepEqual(targetRange("classification", [[0], [1]]), [0, 1]);
  assert.deepEqual(targetRange("regression", [[0.5], [-0.8]]), [-0.8, 0.8]);
  assert.equal(shownOutput(2), 1);
  assert.equal(shownOutput(1), 0);
});

test("toUnit maps a range onto [−1, 1] and clamps", () => {
  assert.equal(toUnit(0, [0, 1]), -1);
  assert.equal(toUnit(0.5, [0, 1]), 0);
  assert.equal(toUnit(1, [0, 1]), 1);
  assert.equal(toUnit(3, [0, 1]), 1);
  assert.equal(toUnit(-3, [-1, 1]), -1);
  assert.ok(Number.isNaN(toUnit(null, [0, 1])));
});

test("fillRGBA colours each value, opaque, NaN grey", () => {
  const px = fillRGBA(Float64Array.from([0, 0.5, 1, NaN]), [0, 1]);
  assert.equal(px.length, 16);
  assert.deepEqual([...px.slice(0, 3)], diverging(-1));
  assert.deepEqual([...px.slice(8, 11)], diverging(1));
  const mid = [...px.slice(4, 7)];
  mid.forEach((v, i) => assert.ok(Math.abs(v - diverging(0)[i]) <= 3, "middle is near-white"));
  assert.deepEqual([...px.slice(12, 16)], [128, 128, 128, 255]);
  for (let i = 3; i < 16; i += 4) assert.equal(px[i], 255);
});

test("fillRGBA can lighten the surface so points on top stand out", () => {
  const px = fillRGBA([0], [0, 1], 0.3);
  assert.deepEqual([...px.slice(0, 4)], [...lighten(diverging(-1), 0.3), 255]);
  const out = new Uint8ClampedArray(8);
  assert.equal(fillRGBA([0, 1], [0, 1], 0, out), out, "writes into a given buffer");
});
