import { test } from "node:test";
import assert from "node:assert/strict";
import { targetTone, thumbCells, thumbDots } from "../../frontend/js/thumbnail.js";

const ORANGE = "rgb(179, 88, 6)";
const BLUE = "rgb(33, 102, 172)";

test("a 2-D set's points land on the canvas with x2 up, coloured by class", () => {
  const ds = { kind: "classification", inputs: [[-6, -6], [6, 6], [0, 3]], targets: [[0], [1], [1]] };
  const dots = thumbDots(ds, 100);
  assert.deepEqual(dots.map((d) => [d.x, d.y]), [[0, 100], [100, 0], [50, 25]]);
  assert.deepEqual(dots.map((d) => d.fill), [ORANGE, BLUE, BLUE]);
});

test("one-hot targets pick their class by argmax; regression targets their value", () => {
  assert.equal(targetTone([1, 0], "classification"), -1);
  assert.equal(targetTone([0, 1], "classification"), 1);
  assert.equal(targetTone([0, 0, 1], "classification"), 1);
  assert.equal(targetTone([0, 1, 0], "classification"), 0);
  assert.equal(targetTone([0.5], "regression", [-1, 1]), 0.5);
  const ds = { kind: "regression", inputs: [[0, 0], [1, 1]], targets: [[-2], [2]] };
  assert.deepEqual(thumbDots(ds, 10).map((d) => d.fill), [ORANGE, BLUE]);
});

test("a table is cells of inputs then targets, each column from its lowest to its highest", () => {
  const ds = { inputs: [[0, 10], [1, 10], [2, 10]], targets: [[5], [4], [3]] };
  const t = thumbCells(ds);
  assert.equal(t.rows, 3);
  assert.equal(t.columns, 3);
  assert.equal(t.split, 2);
  const at = (r, c) => t.cells.find((x) => x.row === r && x.column === c).fill;
  assert.equal(at(0, 0), ORANGE);
  assert.equal(at(2, 0), BLUE);
  assert.equal(at(0, 1), "rgb(247, 247, 247)"); // a constant column stays neutral
  assert.equal(at(0, 2), BLUE);
  assert.equal(thumbCells({ inputs: Array.from({ length: 20 }, () => [1]), targets: [] }, 8).rows, 8);
});
