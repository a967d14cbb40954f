import { test } from "node:test";
import assert from "node:assert/strict";
import { editBlock, parseWeight, weightName, weightTarget, weightValue } from "../../frontend/js/weightEdit.js";

test("an edge names its element of W: row j, column i + 1 (column 0 is the bias)", () => {
  assert.deepEqual(weightTarget("2-1-3"), { layer: 1, row: 1, column: 4 });
  assert.deepEqual(weightTarget("1-0-0"), { layer: 0, row: 0, column: 1 });
  assert.deepEqual(weightTarget("1-4"), { layer: 0, row: 4, column: 0 }); // neuron 5's bias
  assert.equal(weightTarget("0-1"), null); // an input neuron has no bias
  assert.equal(weightTarget("x-1-2"), null);
  assert.equal(weightName({ layer: 1, row: 1, column: 4 }), "w₂,₄ of W²");
  assert.equal(weightName({ layer: 0, row: 11, column: 0 }), "bias b₁₂ of W¹");
  const W = [[[0.1, 0.2]], [[0.3, 0.4, 0.5]]];
  assert.equal(weightValue(W, { layer: 1, row: 0, column: 2 }), 0.5);
  assert.equal(weightValue(W, { layer: 1, row: 3, column: 2 }), null);
});

test("typed values: one finite number, the minus sign as printed too", () => {
  assert.equal(parseWeight(" 2.5 "), 2.5);
  assert.equal(parseWeight("−0.25"), -0.25);
  assert.equal(parseWeight("+3"), 3);
  assert.equal(parseWeight("1e-3"), 0.001);
  assert.equal(parseWeight(".5"), 0.5);
  assert.equal(parseWeight("1e999"), null);
  for (const bad of ["", "abc", "1,5", "0x10", "1 2", "NaN", "Infinity", "--1"]) assert.equal(parseWeight(bad), null, bad);
});

test("editing is offered on the page's own paused job or its preview only", () => {
  const base = { weights: [[[0]]], job: null, ownIds: [], replay: null, playing: false, busy: false };
  assert.equal(editBlock(base), ""); // a preview: it becomes a paused job
  const mine = { ...base, job: { id: "a", status: "paused" }, ownIds: ["a"] };
  assert.equal(editBlock(mine), "");
  assert.match(editBlock({ ...mine, job: { id: "a", status: "running" } }), /Pause/);
  assert.match(editBlock({ ...mine, playing: true }), /Pause/);
  assert.match(editBlock({ ...mine, job: { id: "a", status: "finished" } }), /finished: reset/);
  assert.match(editBlock({ ...mine, ownIds: [] }), /Someone else's/);
  assert.match(editBlock({ ...mine, replay: 3 }), /past iteration/);
  assert.match(editBlock({ ...mine, busy: true }), /Wait/);
  assert.match(editBlock({ ...base, weights: null }), /no weights/);
});
