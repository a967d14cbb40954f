import { test } from "node:test";
import assert from "node:assert/strict";
import {
  MODE_NAMES, counterText, effectiveBatchSize, groupCount, groupsInOrder, iterationsPerEpoch,
  rowGroups, slices, trackBatches,
} from "../../frontend/js/partition.js";

// Figure 2: the same six rows under the three scenarios, left to right.
test("Figure 2, batch gradient descent: one group, one iteration per epoch", () => {
  const g = groupsInOrder("batch", 6, 2);
  assert.deepEqual([...g], [0, 0, 0, 0, 0, 0]);
  assert.equal(groupCount(g), 1);
  assert.equal(iterationsPerEpoch("batch", 6, 2), 1);
});

test("Figure 2, stochastic gradient descent: six groups, six iterations per epoch", () => {
  const g = groupsInOrder("sgd", 6, 2);
  assert.deepEqual([...g], [0, 1, 2, 3, 4, 5]);
  assert.equal(groupCount(g), 6);
  assert.equal(iterationsPerEpoch("sgd", 6, 99), 6);
});

test("Figure 2, mini-batch gradient descent: three groups of two", () => {
  const g = groupsInOrder("minibatch", 6, 2);
  assert.deepEqual([...g], [0, 0, 1, 1, 2, 2]);
  assert.equal(groupCount(g), 3);
  assert.equal(iterationsPerEpoch("minibatch", 6, 2), 3);
});

test("the last mini-batch may be short; batch sizes are clamped", () => {
  assert.deepEqual(slices("minibatch", 7, 3), [[0, 3], [3, 6], [6, 7]]);
  assert.equal(effectiveBatchSize("minibatch", 4, 10), 4);
  assert.equal(effectiveBatchSize("minibatch", 4, 0), 1);
  assert.equal(iterationsPerEpoch("minibatch", 0, 2), 0);
  assert.deepEqual(slices("batch", 0, 1), []);
});

test("shuffled runs: rows are coloured by the batch the frames drew them into", () => {
  let tr = trackBatches(null, { epoch: 2, batch: 0, rows: [4, 1] }, 6);
  assert.deepEqual([...tr.groups], [-1, 0, -1, -1, 0, -1]);
  const before = tr;
  tr = trackBatches(tr, { epoch: 2, batch: 2, rows: [0, 5] }, 6); // batch 1 skipped
  assert.deepEqual([...tr.groups], [2, 0, -1, -1, 0, 2]);
  assert.deepEqual([...before.groups], [-1, 0, -1, -1, 0, -1], "input tracker unchanged");
  tr = trackBatches(tr, { epoch: 3, batch: 0, rows: [3, 2] }, 6); // a new epoch starts over
  assert.deepEqual([...tr.groups], [-1, -1, 0, 0, -1, -1]);
  assert.equal(trackBatches(tr, null, 6), tr);
});

test("rowGroups: own order without shuffle, the tracker's view with it", () => {
  const tracker = trackBatches(null, { epoch: 0, batch: 1, rows: [3] }, 4);
  assert.deepEqual([...rowGroups({ mode: "sgd", batchSize: 1, shuffle: false, nRows: 4, tracker })], [0, 1, 2, 3]);
  assert.deepEqual([...rowGroups({ mode: "sgd", batchSize: 1, shuffle: true, nRows: 4, tracker })], [-1, -1, -1, 1]);
  assert.deepEqual([...rowGroups({ mode: "sgd", batchSize: 1, shuffle: true, nRows: 3, tracker: null })], [-1, -1, -1]);
});

test("counters are 1-based, as the article's loops", () => {
  assert.equal(counterText({ epoch: 2, batch: 1, iteration: 8 }, 3), "epoch 3 · batch 2/3 · iteration 8");
  assert.equal(counterText(null, 3), "epoch – · batch –/3 · iteration 0");
  assert.equal(MODE_NAMES.sgd, "Stochastic gradient descent");
});
