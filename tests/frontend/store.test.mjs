import { test } from "node:test";
import assert from "node:assert/strict";
import { decode } from "../../frontend/js/messages.js";
import { canTrain, owns, shownCounters, sizesOf, weightsBefore } from "../../frontend/js/selectors.js";
import { createStore, initialState, reduce } from "../../frontend/js/store.js";
import { OPTIONS, fullFrame, jobView } from "./fixtures.mjs";

const ready = () => reduce(initialState(), { type: "options", options: OPTIONS });

/** A LossHistory of width 1 (one bucket per iteration) from the losses given. */
const buckets = (loss, test = [], start = 0) => ({ iterations: start + loss.length, width: 1, start, first: loss,
  last: loss, min: loss, max: loss, mean: loss, test_start: 0, test });
const snapshotOf = (job, frame) => ({ type: "message", message: { type: "snapshot", job, weights: frame?.weights ?? fullFrame().weights,
  dataset: null, history: buckets([]), trace: frame } });

test("options give the form its default spec, validated", () => {
  const s = ready();
  assert.deepEqual(s.spec.network.layers, [3, 5, 2]);
  assert.deepEqual(s.specErrors, {});
  assert.equal(s.phase, "idle");
  assert.equal(s.mode, "explain");
});

test("decode accepts typed JSON objects only", () => {
  assert.deepEqual(decode('{"type":"frame","loss":null}'), { type: "frame", loss: null });
  assert.throws(() => decode("[1]"), TypeError);
  assert.throws(() => decode('{"no":"type"}'), TypeError);
  assert.throws(() => decode("not json"), SyntaxError);
});

test("the weights before an update are W + α ∂ℓ/∂W", () => {
  const w = [[[0.5, 1, -1]]];
  const g = [[[0.1, -0.2, null]]];
  assert.deepEqual(weightsBefore(w, g, 0.5), [[[0.55, 0.9, null]]]);
  assert.deepEqual(sizesOf([[[0, 1, 2, 3]], [[0, 1]]]), [3, 1, 1]);
  assert.equal(sizesOf(null), null);
});

test("a snapshot attaches the job, its weights, data, history and trace", () => {
  const frame = fullFrame({ iteration: 7 });
  const s = reduce(ready(), {
    type: "message",
    message: {
      type: "snapshot", job: jobView({ iteration: 7 }), weights: frame.weights,
      dataset: { name: "article", feature_names: ["x1", "x2", "x3"] },
      history: buckets([3, 2, 1, 1, 1, 1, 0.5], [[5, 0.9]]), trace: frame,
    },
  });
  assert.equal(s.job.id, "job1");
  assert.equal(s.frame, frame);
  assert.deepEqual(s.history.mean, [3, 2, 1, 1, 1, 1, 0.5]);
  assert.deepEqual(s.history.test, [[5, 0.9]]);
  assert.equal(s.counters.iteration, 7);
  assert.deepEqual(s.selected, { layer: 2, index: 0 }); // the first output neuron
  assert.ok(s.prevWeights[0][0][1] !== frame.weights[0][0][1]);
});

test("full frames replace the frame; summary frames only move the weights and counters", () => {
  let s = reduce(ready(), { type: "message", message: { type: "snapshot", job: jobView(), weights: fullFrame().weights,
    dataset: null, history: buckets([]), trace: null } });
  const f1 = fullFrame({ iteration: 1, epoch: 0, batch: 0 });
  s = reduce(s, { type: "message", message: f1 });
  assert.equal(s.frame, f1);
  assert.deepEqual(s.counters, { epoch: 1, batch: 1, iteration: 1, loss: f1.loss, test_loss: null, max_delta: f1.max_delta });
  const summary = { ...fullFrame({ iteration: 2, loss: 0.1 }), layers: undefined, inputs: undefined, targets: undefined };
  s = reduce(s, { type: "message", message: summary });
  assert.equal(s.frame, f1); // the latest full frame stays
  assert.equal(s.weights, summary.weights);
  assert.equal(s.counters.iteration, 2);
  assert.equal(s.counters.loss, 0.1);
  assert.equal(s.job.iteration, 2);
});

test("a frame's metrics (the whole-set losses and accuracies) become the job's", () => {
  let s = reduce(ready(), snapshotOf(jobView({ metrics: { iteration: 0, epoch: 0, train_loss: 0.5, test_loss: null,
    train_accuracy: 0.5, test_accuracy: null } }), null));
  assert.equal(s.job.metrics.train_loss, 0.5);
  const metrics = { iteration: 3, epoch: 1, train_loss: 0.25, test_loss: null, train_accuracy: 0.75, test_accuracy: null };
  s = reduce(s, { type: "message", message: fullFrame({ iteration: 4, metrics }) });
  assert.equal(s.job.metrics, metrics); // the newest computed, of the weights after iteration 3
  s = reduce(s, { type: "message", message: fullFrame({ iteration: 5 }) }); // a frame without: kept
  assert.equal(s.job.metrics, metrics);
});

test("frames of another job are ignored", () => {
  let s = reduce(ready(), { type: "attach", job: jobView() });
  const other = { ...fullFrame(), job: "other" };
  assert.equal(reduce(s, { type: "message", message: other }), s);
  s = reduce(s, { type: "message", message: fullFrame() });
  assert.ok(s.frame);
});

test("history messages replace buckets from start on; a reset clears them and the zoom", () => {
  let s = ready();
  s = reduce(s, { type: "message", message: { type: "history", reset: false, ...buckets([1, 2]) } });
  s = reduce(s, { type: "message", message: { type: "history", reset: false, ...buckets([3], [[3, 0.5]], 2) } });
  assert.deepEqual(s.history.mean, [1, 2, 3]);
  const v = s.history.version;
  s = reduce(s, { type: "message", message: { type: "history", reset: false, ...buckets([9, 8, 7], [[4, 0.4]], 1), test_start: 1 } });
  assert.deepEqual(s.history.mean, [1, 9, 8, 7]);
  assert.deepEqual(s.history.test, [[3, 0.5], [4, 0.4]]);
  assert.ok(s.history.version > v);
  s = reduce(s, { type: "zoom", zoom: { from: 1, to: 2, loss: [1, 9] } });
  s = reduce(s, { type: "message", message: { type: "history", reset: true, ...buckets([]) } });
  assert.deepEqual(s.history.mean, []);
  assert.equal(s.zoom, null);
});

test("a status after a reset clears the frame and counters", () => {
  let s = reduce(ready(), { type: "attach", job: jobView() });
  s = reduce(s, { type: "message", message: fullFrame({ iteration: 4 }) });
  s = reduce(s, { type: "message", message: { type: "status", job: jobView({ iteration: 0, status: "paused" }) } });
  assert.equal(s.frame, null);
  assert.equal(s.counters.iteration, 0);
  assert.equal(s.weights, null);
});

test("a control route's answer (job) updates the attached job like a streamed status", () => {
  let s = reduce(ready(), { type: "attach", job: jobView() });
  s = reduce(s, { type: "message", message: fullFrame({ iteration: 4 }) });
  s = reduce(s, { type: "job", job: jobView({ iteration: 4, status: "paused", message: "paused: the server restarted" }) });
  assert.equal(s.job.status, "paused");
  assert.equal(s.job.message, "paused: the server restarted");
  assert.ok(s.frame, "the same iteration keeps its frame");
  s = reduce(s, { type: "job", job: jobView({ id: "job2", status: "running" }) });
  assert.equal(s.job.id, "job1");
});

test("an answer older than the frames shown takes the job's settings, not its numbers", () => {
  let s = reduce(ready(), { type: "attach", job: jobView() });
  s = reduce(s, { type: "message", message: fullFrame({ iteration: 9 }) });
  const spec = { ...jobView().spec, training: { ...jobView().spec.training, learning_rate: 3 } };
  s = reduce(s, { type: "job", job: jobView({ iteration: 5, spec }) }); // a PATCH answered at iteration 5
  assert.ok(s.frame, "not taken for a reset");
  assert.equal(s.counters.iteration, 9);
  assert.equal(s.job.iteration, 9);
  assert.equal(s.job.spec.training.learning_rate, 3);
});

test("POST /reset's answer (job-reset) empties the loss history, the zoom and the frame", () => {
  let s = reduce(ready(), { type: "attach", job: jobView() });
  s = reduce(s, { type: "message", message: { type: "history", reset: false, ...buckets([3, 2, 1]) } });
  s = reduce(s, { type: "message", message: fullFrame({ iteration: 3 }) });
  s = reduce(s, { type: "zoom", zoom: { from: 1, to: 2, loss: [2, 1] } });
  const v = s.history.version;
  s = reduce(s, { type: "job-reset", job: jobView({ iteration: 0, epoch: 0, status: "paused" }) });
  assert.deepEqual(s.history.mean, []);
  assert.ok(s.history.version > v, "the chart sees a new history");
  assert.equal(s.zoom, null);
  assert.equal(s.frame, null);
  assert.equal(s.counters.iteration, 0);
  const other = reduce(s, { type: "message", message: { type: "history", reset: false, ...buckets([5]) } });
  assert.equal(reduce(other, { type: "job-reset", job: jobView({ id: "job2", iteration: 0 }) }).history, other.history,
    "another job's reset leaves this one's history");
});

test("statuses of other jobs only update the job list", () => {
  let s = reduce(ready(), { type: "attach", job: jobView() });
  s = reduce(s, { type: "jobs", jobs: [jobView(), jobView({ id: "job2" })] });
  s = reduce(s, { type: "message", message: { type: "status", job: jobView({ id: "job2", status: "running" }) } });
  assert.equal(s.job.id, "job1");
  assert.equal(s.jobs.find((j) => j.id === "job2").status, "running");
});

test("a server error message lands in state.error", () => {
  const s = reduce(ready(), { type: "message", message: { type: "error", message: "too many viewers" } });
  assert.equal(s.error, "too many viewers");
  assert.equal(reduce(s, { type: "error", error: null }).error, null);
});

test("the sample is kept within the batch; a spec edit is validated", () => {
  let s = reduce(ready(), { type: "message", message: fullFrame() }); // batch of 2
  assert.equal(reduce(s, { type: "sample", sample: 5 }).sample, 1);
  assert.equal(reduce(s, { type: "sample", sample: -2 }).sample, 0);
  const bad = structuredClone(s.spec);
  bad.training.learning_rate = -1;
  s = reduce(s, { type: "spec", spec: bad });
  assert.match(s.specErrors["training.learning_rate"], /Learning rate/);
});

test("phase updates that change nothing return the same state", () => {
  const s = reduce(ready(), { type: "phase", phase: "loss", progress: 0.5 });
  assert.equal(reduce(s, { type: "phase", phase: "loss", progress: 0.5 }), s);
  assert.equal(s.phase, "loss");
  assert.equal(s.phaseProgress, 0.5);
});

test("the store notifies subscribers of changes only", () => {
  const store = createStore();
  const seen = [];
  const off = store.subscribe((_, action) => seen.push(action.type));
  store.dispatch({ type: "connection", connection: "open" });
  store.dispatch({ type: "connection", connection: "open" });
  store.dispatch({ type: "unknown" });
  off();
  store.dispatch({ type: "connection", connection: "closed" });
  assert.deepEqual(seen, ["connection"]);
  assert.equal(store.get().connection, "closed");
});

test("the equations follow the first output neuron until the user picks one", () => {
  const wide = (over) => ({ ...fullFrame(over), weights: [...fullFrame().weights, [[0, 1, 2]]] }); // 3-5-2-1
  let s = reduce(ready(), { type: "message", message: fullFrame() });
  assert.deepEqual(s.selected, { layer: 2, index: 0 });
  const deeper = { ...wide(), layers: undefined };
  s = reduce(s, { type: "message", message: deeper });
  assert.deepEqual(s.selected, { layer: 3, index: 0 });
  s = reduce(s, { type: "select", selected: { layer: 1, index: 4 } });
  s = reduce(s, { type: "message", message: fullFrame() });
  assert.deepEqual(s.selected, { layer: 1, index: 4 }); // still valid: kept
});

test("a preview shows the form's setup at iteration 0, unless a job was attached meanwhile", () => {
  const w = fullFrame().weights;
  const base = ready();
  let s = reduce(base, { type: "preview", spec: base.spec, answer: { weights: w, dataset: { name: "article", rows: 6 } } });
  assert.equal(s.weights, w);
  assert.equal(s.prevWeights, w);
  assert.equal(s.frame, null);
  assert.equal(s.dataset.rows, 6);
  assert.equal(s.preview, s.spec);
  assert.equal(s.counters.iteration, 0);
  assert.ok(canTrain(s)); // no job: training makes one
  const attached = reduce(s, { type: "attach", job: jobView() });
  assert.equal(attached.preview, null);
  assert.equal(reduce(attached, { type: "preview", spec: s.spec, answer: { weights: w } }), attached);
});

test("the page owns the attached job only when it holds its key", () => {
  let s = reduce(ready(), { type: "keys", ids: ["job1"] });
  s = reduce(s, { type: "attach", job: jobView() });
  assert.ok(owns(s) && canTrain(s));
  assert.deepEqual(s.ownIds, ["job1"]);
  s = reduce(s, { type: "attach", job: jobView({ id: "job2" }) });
  assert.ok(!owns(s) && !canTrain(s));
  assert.ok(!owns(reduce(ready(), { type: "keys", ids: ["job1"] }))); // no job, nothing owned
});

/** A job trained to iteration 9, its newest full frame shown. */
function trained() {
  let s = reduce(ready(), { type: "attach", job: jobView() });
  s = reduce(s, snapshotOf(jobView({ iteration: 9, status: "paused" }), fullFrame({ iteration: 9, epoch: 2, loss: 0.09 })));
  return s;
}

test("replaying shows a past frame; live frames move the counters but not the diagram", () => {
  let s = trained();
  const newest = s.frame;
  const past = fullFrame({ iteration: 4, epoch: 1, loss: 0.4 });
  s = reduce(s, { type: "replay", frame: past });
  assert.equal(s.replay, 4);
  assert.equal(s.frame, past);
  assert.equal(s.weights, past.weights);
  assert.deepEqual(shownCounters(s), { epoch: 2, batch: 1, iteration: 4, loss: 0.4, test_loss: null, max_delta: 0.1 });
  const later = fullFrame({ iteration: 10, loss: 0.08 });
  s = reduce(s, { type: "message", message: later });
  assert.equal(s.frame, past); // the diagram stays on iteration 4
  assert.equal(s.counters.iteration, 10);
  assert.equal(s.job.iteration, 10);
  s = reduce(s, { type: "live" });
  assert.equal(s.replay, null);
  assert.equal(s.frame, later);
  assert.ok(s.frame !== newest);
  assert.equal(shownCounters(s).iteration, 10);
  assert.equal(reduce(s, { type: "live" }), s);
});

test("a replayed frame of the newest iteration is live again", () => {
  let s = reduce(trained(), { type: "replay", frame: fullFrame({ iteration: 8 }) });
  assert.equal(s.replay, 8);
  const end = fullFrame({ iteration: 9 });
  s = reduce(s, { type: "replay", frame: end });
  assert.equal(s.replay, null);
  assert.equal(s.live, null);
  assert.equal(s.frame, end);
});

test("back to live after summary frames shows the newest weights", () => {
  let s = reduce(trained(), { type: "replay", frame: fullFrame({ iteration: 3 }) });
  const kept = s.live.frame;
  const summary = { ...fullFrame({ iteration: 12 }), layers: undefined, inputs: undefined, targets: undefined,
    weights: [[[9]]] };
  s = reduce(s, { type: "message", message: summary });
  s = reduce(s, { type: "live" });
  assert.equal(s.frame, kept);
  assert.deepEqual(s.weights, [[[9]]]);
});

test("a replayed frame of another job, a reset or a snapshot end the replay", () => {
  let s = trained();
  assert.equal(reduce(s, { type: "replay", frame: { ...fullFrame({ iteration: 2 }), job: "other" } }), s);
  s = reduce(s, { type: "replay", frame: fullFrame({ iteration: 2 }) });
  const reset = reduce(s, { type: "message", message: { type: "status", job: jobView({ iteration: 0 }) } });
  assert.equal(reset.replay, null);
  assert.equal(reset.frame, null);
  const again = reduce(s, snapshotOf(jobView({ iteration: 9 }), fullFrame({ iteration: 9 })));
  assert.equal(again.replay, null);
  assert.equal(again.frame.iteration, 9);
});

test("the neuron maps' switch and the tour's step live in the store and survive attaching a job", () => {
  let s = ready();
  assert.equal(s.nodeMaps, true);
  assert.equal(s.tour, null);
  s = reduce(s, { type: "node-maps", on: false });
  s = reduce(s, { type: "tour", step: 3 });
  s = reduce(s, { type: "attach", job: jobView() });
  assert.equal(s.nodeMaps, false);
  assert.equal(s.tour, 3);
  assert.equal(reduce(s, { type: "tour", step: null }).tour, null);
  assert.equal(reduce(s, { type: "tour", step: -1 }).tour, null);
});
