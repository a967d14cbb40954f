import { test } from "node:test";
import assert from "node:assert/strict";
import { alignSeries, axisValue, placePoints, readAxis } from "../../frontend/js/compareAxis.js";

// The article's six rows: batch updates once per epoch, SGD six times, mini-batches of 4 twice.
const batch = { mode: "batch", rows: 6, batchSize: 4 };
const sgd = { mode: "sgd", rows: 6, batchSize: 4 };
const mini = { mode: "minibatch", rows: 6, batchSize: 4 };

/** Samples seen after k updates, counted one batch at a time by a plain loop. */
function countSamples(k, rows, b) {
  let seen = 0;
  let left = rows; // rows not yet used in this epoch
  for (let i = 0; i < k; i++) {
    const take = Math.min(b, left);
    seen += take;
    left -= take;
    if (left === 0) left = rows;
  }
  return seen;
}

test("iterations are the identity on every run", () => {
  for (const run of [batch, sgd, mini]) assert.equal(axisValue(17, "iterations", run), 17);
});

test("epochs: iteration / updates per epoch (1, 6 and ⌈6/4⌉ = 2 on six rows)", () => {
  assert.equal(axisValue(30, "epochs", batch), 30);
  assert.equal(axisValue(180, "epochs", sgd), 30);
  assert.equal(axisValue(60, "epochs", mini), 30);
  assert.equal(axisValue(3, "epochs", sgd), 0.5);
});

test("samples seen: the short last batch of an epoch counts its own rows, e × rows at epoch ends", () => {
  for (let k = 0; k <= 25; k++) {
    assert.equal(axisValue(k, "samples", mini), countSamples(k, 6, 4), `k=${k}`);
    assert.equal(axisValue(k, "samples", sgd), countSamples(k, 6, 1), `k=${k}`);
    assert.equal(axisValue(k, "samples", batch), countSamples(k, 6, 6), `k=${k}`);
  }
  assert.equal(axisValue(2, "samples", mini), 6); // 4 + 2, not 2 × 4
  for (const e of [1, 7, 30]) {
    assert.equal(axisValue(e * 2, "samples", mini), e * 6);
    assert.equal(axisValue(e * 6, "samples", sgd), e * 6);
    assert.equal(axisValue(e, "samples", batch), e * 6);
  }
  const odd = { mode: "minibatch", rows: 200, batchSize: 32 }; // 7 batches, the last of 8
  assert.equal(axisValue(7, "samples", odd), 200);
  assert.equal(axisValue(9, "samples", odd), 264);
});

test("a bucket's fractional centre lies between its neighbours", () => {
  assert.equal(axisValue(1.5, "samples", mini), 5); // between 4 and 6
  assert.equal(axisValue(2.5, "samples", mini), 8); // between 6 and 10
});

test("points placed, and several runs aligned on one shared x", () => {
  assert.deepEqual(placePoints([[6, 0.3], [12, 0.2]], "epochs", sgd), { x: [1, 2], y: [0.3, 0.2] });
  const a = { x: [1, 2, 3], y: [0.5, 0.4, 0.3] };
  const b = { x: [1.5, 3], y: [0.45, 0.25] };
  assert.deepEqual(alignSeries([a, b]), {
    x: [1, 1.5, 2, 3], ys: [[0.5, null, 0.4, 0.3], [null, 0.45, null, 0.25]],
  });
});

test("readAxis falls back to iterations", () => {
  assert.equal(readAxis("epochs"), "epochs");
  assert.equal(readAxis("samples"), "samples");
  assert.equal(readAxis("bogus"), "iterations");
  assert.equal(readAxis(null), "iterations");
});
