import { test } from "node:test";
import assert from "node:assert/strict";
import { SEQUENTIAL_STOPS, lossPixels, lossScale, nearestPoint, plotFrame, sequential } from "../../frontend/js/landscapeScale.js";

test("the sequential scale runs from its first stop to its last, linear between stops", () => {
  assert.deepEqual(sequential(0), SEQUENTIAL_STOPS[0]);
  assert.deepEqual(sequential(1), SEQUENTIAL_STOPS[SEQUENTIAL_STOPS.length - 1]);
  assert.deepEqual(sequential(-3), SEQUENTIAL_STOPS[0]);
  assert.deepEqual(sequential(0.2), SEQUENTIAL_STOPS[1]); // 6 stops: one every 0.2
  const mid = sequential(0.1);
  SEQUENTIAL_STOPS[0].forEach((c, k) => assert.equal(mid[k], Math.round((c + SEQUENTIAL_STOPS[1][k]) / 2)));
});

test("the loss scale is log10 between the finite min and max, linear when a value is ≤ 0", () => {
  const s = lossScale([[0.01, 1], [null, 100]]);
  assert.equal(s.log, true);
  assert.equal(s.lo, 0.01);
  assert.equal(s.hi, 100);
  assert.ok(Math.abs(s.unit(1) - 0.5) < 1e-12); // 1 is halfway between 1e-2 and 1e2 in decades
  assert.ok(Math.abs(s.unit(0.1) - 0.25) < 1e-12);
  assert.equal(s.unit(null), null);
  assert.equal(s.unit(Infinity), null);
  const lin = lossScale([[0, 1], [2, 4]]);
  assert.equal(lin.log, false);
  assert.equal(lin.unit(1), 0.25);
  assert.equal(lossScale([[3, 3], [3, 3]]).unit(3), 0.5); // flat
  assert.equal(lossScale([[null]]).unit(1), 0.5);
});

test("pixels: loss[x][y] at column x, the second parameter upwards, grey where not finite", () => {
  const grid = [[0, 1], [null, 1]]; // loss[x][y]
  const px = lossPixels(grid, (v) => (v === null ? null : v));
  const at = (col, row) => Array.from(px.slice((row * 2 + col) * 4, (row * 2 + col) * 4 + 4));
  assert.deepEqual(at(0, 1), [...SEQUENTIAL_STOPS[0], 255]); // x = 0, y = 0: bottom left
  assert.deepEqual(at(0, 0), [...SEQUENTIAL_STOPS[5], 255]); // x = 0, y = 1: top left
  assert.deepEqual(at(1, 1), [154, 154, 154, 255]); // x = 1, y = 0: null
});

test("values, grid indices and pixels map onto each other; the cell under a pixel", () => {
  const a = [-1, 0, 1]; // three values, step 1
  const b = [10, 12, 14]; // step 2
  const f = plotFrame(a, b, 300, 150);
  assert.deepEqual(f.indexToPixel(0, 0), [50, 125]); // the bottom-left cell's centre
  assert.deepEqual(f.valueToPixel(0, 12), [150, 75]); // the centre value: the plot's centre
  assert.deepEqual(f.valueToPixel(1, 14), f.indexToPixel(2, 2));
  assert.deepEqual(f.pixelToValue(150, 75), [0, 12]);
  assert.deepEqual(f.pixelToValue(...f.valueToPixel(0.3, 11)).map((v) => Math.round(v * 1e9) / 1e9), [0.3, 11]);
  assert.deepEqual(f.cellAt(10, 140), [0, 0]);
  assert.deepEqual(f.cellAt(299, 1), [2, 2]);
  assert.equal(f.cellAt(301, 1), null);
  assert.equal(f.cellAt(10, -1), null);
});

test("the path point nearest to the pointer, within a radius, the later one on a tie", () => {
  const pts = [[0, 0], [10, 0], [10, 0], [20, 5]];
  assert.equal(nearestPoint(pts, 1, 1, 5), 0);
  assert.equal(nearestPoint(pts, 11, 0, 5), 2);
  assert.equal(nearestPoint(pts, 19, 4, 5), 3);
  assert.equal(nearestPoint(pts, 50, 50, 5), -1);
  assert.equal(nearestPoint([], 0, 0, 5), -1);
});
