// Figure 2's frame and batch tracker in the store (tracker.js through store.js's reduce): the
// figure follows summary frames, which carry counters and rows but no layers.
import { test } from "node:test";
import assert from "node:assert/strict";
import { figureFrame, figureTracker, withTracker } from "../../frontend/js/tracker.js";
import { initialState, reduce } from "../../frontend/js/store.js";
import { OPTIONS, fullFrame, jobView } from "./fixtures.mjs";

const ROWS = 6;
const DATASET = {
  name: "article", kind: "regression", feature_names: ["x1", "x2", "x3"], target_names: ["y1", "y2"],
  rows: ROWS, test_rows: 0, points: true,
  inputs: Array.from({ length: ROWS }, (_, r) => [r / 10, 0.5, 1 - r / 10]),
  targets: Array.from({ length: ROWS }, (_, r) => [r / 6, 1 - r / 6]),
};
const empty = { iterations: 0, width: 1, start: 0, first: [], last: [], min: [], max: [], mean: [], test_start: 0, test: [] };

/** A store attached to a 3-5-2 job on six rows in mini-batches of 2, shuffled or not. */
function attached({ shuffle = false, trace = null } = {}) {
  const job = jobView({ status: "running" });
  job.spec.training = { ...job.spec.training, shuffle };
  let s = reduce(initialState(), { type: "options", options: OPTIONS });
  s = reduce(s, { type: "attach", job });
  return reduce(s, { type: "message", message: { type: "snapshot", job, weights: fullFrame().weights,
    dataset: DATASET, history: empty, trace } });
}

/** The `summary` frame of iteration `iteration`: counters, loss, weights and the batch's rows. */
function summary(iteration, rows) {
  const { inputs, targets, layers, ...rest } = fullFrame();
  const perEpoch = ROWS / 2;
  return { ...rest, iteration, epoch: Math.floor((iteration - 1) / perEpoch), batch: (iteration - 1) % perEpoch, rows };
}

const send = (s, message) => reduce(s, { type: "message", message });

test("summary frames move Figure 2's frame while the diagram's full frame stays", () => {
  const first = fullFrame({ iteration: 1, rows: [0, 1] });
  let s = attached({ trace: first });
  assert.equal(figureFrame(s), first);
  for (const [it, rows] of [[2, [2, 3]], [3, [4, 5]], [4, [0, 1]]]) {
    const f = summary(it, rows);
    s = send(s, f);
    assert.equal(s.latestFrame, f);
    assert.equal(figureFrame(s), f, `iteration ${it}`);
    assert.equal(s.frame, first); // the diagram and the equations keep the last full frame
  }
  assert.equal(figureFrame(s).iteration, 4);
  assert.deepEqual(figureFrame(s).rows, [0, 1]);
});

test("a shuffled run's tracker fills from summary frames and starts over each epoch", () => {
  // epoch 1 draws rows 3 5 | 0 2 | 4 1, epoch 2 draws 1 4 | …
  const order = [[3, 5], [0, 2], [4, 1], [1, 4]];
  let s = attached({ shuffle: true });
  assert.equal(s.batchTracker, null); // no frame yet: nothing drawn
  const seen = new Map(); // row → batch, by hand from the frames of the current epoch
  order.forEach((rows, i) => {
    const f = summary(i + 1, rows);
    if (f.batch === 0) seen.clear();
    for (const r of rows) seen.set(r, f.batch);
    s = send(s, f);
    const expected = Array.from({ length: ROWS }, (_, r) => (seen.has(r) ? seen.get(r) : -1));
    assert.equal(s.batchTracker.epoch, f.epoch);
    assert.deepEqual([...s.batchTracker.groups], expected, `after iteration ${i + 1}`);
  });
  assert.deepEqual([...s.batchTracker.groups], [-1, 0, -1, -1, 0, -1]);
});

test("rows in their own order need no tracker", () => {
  let s = attached({ shuffle: false });
  s = send(s, summary(1, [0, 1]));
  assert.equal(s.batchTracker, null);
  assert.deepEqual(figureFrame(s).rows, [0, 1]);
});

test("a reset forgets the latest frame and the tracker", () => {
  let s = attached({ shuffle: true });
  s = send(s, summary(1, [2, 3]));
  s = send(s, summary(2, [0, 5]));
  assert.ok(s.batchTracker);
  s = send(s, { type: "status", job: { ...s.job, status: "paused", iteration: 0, epoch: 0, loss: null } });
  assert.equal(s.latestFrame, null);
  assert.equal(figureFrame(s), null);
  assert.equal(s.batchTracker, null);
});

test("while replaying Figure 2 shows the past iteration; back to live, the newest again", () => {
  let s = attached({ shuffle: true });
  for (const [it, rows] of [[1, [3, 5]], [2, [0, 2]], [3, [4, 1]], [4, [1, 4]]]) s = send(s, summary(it, rows));
  const past = fullFrame({ iteration: 2, epoch: 0, batch: 1, rows: [0, 2] });
  s = reduce(s, { type: "replay", frame: past });
  assert.equal(s.replay, 2);
  assert.equal(figureFrame(s), past);
  // the past iteration's epoch, from its own frame on: only its batch is known
  assert.deepEqual([...figureTracker(s).groups], [1, -1, 1, -1, -1, -1]);
  const next = fullFrame({ iteration: 3, epoch: 0, batch: 2, rows: [4, 1] }); // replayed on
  s = reduce(s, { type: "replay", frame: next });
  assert.deepEqual([...figureTracker(s).groups], [1, 2, 1, -1, 2, -1]);
  const later = summary(5, [0, 3]); // training goes on meanwhile
  s = send(s, later);
  assert.equal(figureFrame(s), next);
  assert.equal(s.latestFrame, later);
  s = reduce(s, { type: "live" });
  assert.equal(s.replayTracker, null);
  assert.equal(figureFrame(s), later);
  // the live tracker followed epoch 2 all along: rows 1 and 4 in batch 1, rows 0 and 3 in batch 2
  assert.equal(figureTracker(s).epoch, 1);
  assert.deepEqual([...figureTracker(s).groups], [1, 0, -1, 1, 0, -1]);
});

test("withTracker leaves a state whose frame, data and shuffle did not change as it is", () => {
  const s = attached({ shuffle: true });
  const same = { ...s, phase: "forward" };
  assert.equal(withTracker(s, same), same);
});
