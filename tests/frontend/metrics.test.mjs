// The whole-set metrics the read-outs show, live and while replaying, and when ℓ may be read.
import { test } from "node:test";
import assert from "node:assert/strict";
import { lossRevealed, shownMetrics } from "../../frontend/js/metrics.js";
import { initialState } from "../../frontend/js/store.js";
import { jobView } from "./fixtures.mjs";

const metrics = { iteration: 30, epoch: 10, train_loss: 0.2, test_loss: 0.3, train_accuracy: 0.9, test_accuracy: 0.85 };

test("live: the job's newest metrics; none before a job", () => {
  const s = { ...initialState(), job: jobView({ metrics }) };
  assert.deepEqual(shownMetrics(s), metrics);
  assert.equal(shownMetrics(initialState()).train_loss, null);
  assert.equal(shownMetrics({ ...initialState(), job: jobView() }).train_accuracy, null); // an older server
});

test("replaying: the last metric point at or before the iteration shown", () => {
  const history = { metrics: [[3, 0.5, null, 0.5, null], [6, 0.4, null, 0.75, null], [9, 0.3, null, 1, null]] };
  const s = { ...initialState(), job: jobView({ metrics }), history, replay: 8 };
  assert.deepEqual(shownMetrics(s), { iteration: 6, epoch: null, train_loss: 0.4, test_loss: null,
    train_accuracy: 0.75, test_accuracy: null });
  assert.equal(shownMetrics({ ...s, replay: 2 }).iteration, null); // before the first point
});

test("the batch ℓ is read in the loss phase, not while the forward pass plays", () => {
  assert.equal(lossRevealed({ mode: "explain", phase: "forward" }), false);
  assert.equal(lossRevealed({ mode: "explain", phase: "loss" }), true);
  assert.equal(lossRevealed({ mode: "explain", phase: "idle" }), true);
  assert.equal(lossRevealed({ mode: "train", phase: "forward" }), true);
});
