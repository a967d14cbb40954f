import { test } from "node:test";
import assert from "node:assert/strict";
import {
  RUNS, defaultSettings, matchesRun, readSettings, runSpec, settingErrors, settingsOfJobs, writeSettings,
} from "../../frontend/js/compareState.js";
import { OPTIONS } from "./fixtures.mjs";

const base = () => defaultSettings(OPTIONS.defaults);

test("the defaults: the article's data, the server's α, seed and batch size, no jobs", () => {
  const s = base();
  assert.equal(s.dataset, "article");
  assert.equal(s.seed, 0);
  assert.equal(s.batchSize, 2);
  assert.deepEqual(s.rates, { batch: 0.5, sgd: 0.5, minibatch: 0.5 });
  assert.equal(s.axis, "iterations");
  assert.deepEqual(s.jobs, { batch: null, sgd: null, minibatch: null });
});

test("settings → query → settings gives them back, job ids included", () => {
  const s = { ...base(), dataset: "circle", epochs: 30, seed: 7, batchSize: 4, axis: "samples",
    rates: { batch: 2, sgd: 0.1, minibatch: 0.25 }, jobs: { batch: "a1", sgd: "b2", minibatch: "c3" } };
  const q = writeSettings(s);
  assert.match(q, /^\?/);
  const p = new URLSearchParams(q);
  assert.equal(p.get("lr-sgd"), "0.1");
  assert.equal(p.get("job-minibatch"), "c3");
  assert.equal(p.get("x"), "samples");
  assert.deepEqual(readSettings(q, base()), s);
});

test("no jobs in the settings: no job ids in the query", () => {
  assert.equal(new URLSearchParams(writeSettings(base())).has("job-batch"), false);
});

test("unreadable values keep the base's", () => {
  const s = readSettings("?epochs=abc&seed=&lr-sgd=x&x=sideways&dataset=", base());
  assert.deepEqual(s, base());
});

test("the three specs differ only in mode, batch size and α: the same seed, data and network", () => {
  const s = { ...base(), epochs: 30, seed: 3, batchSize: 4, rates: { batch: 1, sgd: 0.2, minibatch: 0.5 } };
  const specs = RUNS.map((run) => runSpec(s, run, OPTIONS));
  specs.forEach((spec, i) => {
    assert.equal(spec.training.mode, RUNS[i]);
    assert.equal(spec.training.learning_rate, s.rates[RUNS[i]]);
    assert.equal(spec.start, "paused");
    assert.equal(spec.network.weights, null);
  });
  const strip = (spec) => ({ ...spec, training: { ...spec.training, mode: 0, learning_rate: 0 } });
  assert.deepEqual(strip(specs[0]), strip(specs[1]));
  assert.deepEqual(strip(specs[0]), strip(specs[2]));
  assert.equal(specs[2].training.batch_size, 4);
  assert.equal(specs[0].training.seed, 3);
  assert.equal(specs[0].training.epochs, 30);
});

test("the network is fitted to the data set", () => {
  assert.deepEqual(runSpec(base(), "sgd", OPTIONS).network.layers, [3, 5, 2]);
  const plane = runSpec({ ...base(), dataset: "plane" }, "sgd", OPTIONS);
  assert.deepEqual(plane.network.layers, [2, 5, 1]);
  assert.deepEqual(plane.dataset.features, []);
  assert.deepEqual(runSpec({ ...base(), dataset: "figure2" }, "batch", OPTIONS).network.layers, [1, 5, 1]);
});

test("bad settings name their control and the limit", () => {
  assert.deepEqual(settingErrors(base(), OPTIONS), {});
  const bad = { ...base(), epochs: 0, batchSize: 0, rates: { batch: 0.5, sgd: -1, minibatch: 0.5 } };
  const errors = settingErrors(bad, OPTIONS);
  assert.match(errors.epochs, /Epochs must be a whole number from 1 to 100000/);
  assert.match(errors.batch, /Batch size/);
  assert.match(errors["lr-sgd"], /Learning rate α must be a number > 0/);
  assert.equal("lr-batch" in errors, false);
});

test("a job matches its run of the settings; the batch size matters to the mini-batch run only", () => {
  const s = { ...base(), epochs: 30 };
  const sgd = runSpec(s, "sgd", OPTIONS);
  assert.equal(matchesRun(sgd, s, "sgd"), true);
  assert.equal(matchesRun(sgd, s, "batch"), false);
  assert.equal(matchesRun(sgd, { ...s, batchSize: 3 }, "sgd"), true);
  assert.equal(matchesRun(runSpec(s, "minibatch", OPTIONS), { ...s, batchSize: 3 }, "minibatch"), false);
  assert.equal(matchesRun(sgd, { ...s, seed: 1 }, "sgd"), false);
  assert.equal(matchesRun(null, s, "sgd"), false);
});

test("the jobs of a link decide the settings the controls show", () => {
  const made = { ...base(), epochs: 30, seed: 5, batchSize: 3, rates: { batch: 2, sgd: 0.1, minibatch: 0.3 } };
  const specs = Object.fromEntries(RUNS.map((run) => [run, runSpec(made, run, OPTIONS)]));
  const shown = settingsOfJobs(base(), specs);
  assert.deepEqual(shown.rates, made.rates);
  assert.equal(shown.epochs, 30);
  assert.equal(shown.seed, 5);
  assert.equal(shown.batchSize, 3);
  assert.deepEqual(settingsOfJobs(base(), {}), base());
});
