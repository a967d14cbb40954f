import { test } from "node:test";
import assert from "node:assert/strict";
import { applyHistory, bucketSeries, bucketSpan, emptyHistory, exactSeries, latest, zoomRange } from "../../frontend/js/history.js";

const buckets = (over) => ({ iterations: 3, width: 1, start: 0, first: [3, 2, 1], last: [3, 2, 1], min: [3, 2, 1],
  max: [3, 2, 1], mean: [3, 2, 1], test_start: 0, test: [[2, 2.5]], ...over });

test("a snapshot's history replaces everything", () => {
  const h = applyHistory(emptyHistory(), buckets());
  assert.deepEqual(h.mean, [3, 2, 1]);
  assert.deepEqual(h.test, [[2, 2.5]]);
  assert.equal(h.iterations, 3);
  assert.equal(h.version, 1);
});

test("a stream message drops the buckets from start on and appends its own", () => {
  let h = applyHistory(emptyHistory(), buckets());
  // the last bucket refilled, one more after it
  h = applyHistory(h, { type: "history", reset: false, iterations: 4, width: 1, start: 2, first: [0.9, 0.8],
    last: [0.9, 0.8], min: [0.9, 0.8], max: [0.9, 0.8], mean: [0.9, 0.8], test_start: 1, test: [[4, 0.7]] });
  assert.deepEqual(h.mean, [3, 2, 0.9, 0.8]);
  assert.deepEqual(h.min, [3, 2, 0.9, 0.8]);
  assert.deepEqual(h.test, [[2, 2.5], [4, 0.7]]);
  assert.equal(h.iterations, 4);
  // nothing new for the tests: they stay
  h = applyHistory(h, { iterations: 5, width: 1, start: 4, first: [1], last: [1], min: [1], max: [1], mean: [1],
    test_start: 2, test: [] });
  assert.deepEqual(h.test, [[2, 2.5], [4, 0.7]]);
  assert.equal(h.mean.length, 5);
});

test("a new width or a reset starts over, whatever start says", () => {
  let h = applyHistory(emptyHistory(), buckets());
  h = applyHistory(h, buckets({ width: 2, start: 2, iterations: 6, mean: [2.5, 1.5, 1], test_start: 1, test: [] }));
  assert.equal(h.width, 2);
  assert.deepEqual(h.mean, [2.5, 1.5, 1]);
  assert.deepEqual(h.test, []);
  h = applyHistory(h, { type: "history", reset: true, iterations: 0, width: 2, start: 5 });
  assert.deepEqual(h.mean, []);
  assert.deepEqual(h.max, []);
  assert.equal(h.iterations, 0);
});

test("a gap (a missed message) keeps later buckets at their index", () => {
  const h = applyHistory(emptyHistory(), { iterations: 3, width: 1, start: 2, mean: [5], first: [5], last: [5], min: [5], max: [5] });
  assert.deepEqual(h.mean, [null, null, 5]);
});

test("bucket k spans k·w + 1 … (k + 1)·w; the last one ends at the run's iteration", () => {
  const h = { ...emptyHistory(), width: 4, iterations: 10, mean: [1, 1, 1] };
  assert.deepEqual(bucketSpan(h, 0), [1, 4]);
  assert.deepEqual(bucketSpan(h, 2), [9, 10]);
  const s = bucketSeries({ ...h, min: [0, 0, 0], max: [2, 2, 2], test: [[3, 0.5], [4, 0.4], [10, 0.1]] });
  assert.deepEqual(s.x, [2.5, 6.5, 9.5]); // bucket centres
  assert.deepEqual(s.test, [0.4, null, 0.1]); // the bucket's latest test loss
  assert.deepEqual(s.max, [2, 2, 2]);
});

test("exact losses are drawn one point per iteration, tests at their iteration", () => {
  const s = exactSeries({ from: 10, to: 12, loss: [0.3, 0.2, 0.1] }, [[9, 1], [11, 0.25]]);
  assert.deepEqual(s.x, [10, 11, 12]);
  assert.deepEqual(s.mean, [0.3, 0.2, 0.1]);
  assert.deepEqual(s.test, [null, 0.25, null]);
  assert.equal(s.min, null);
});

test("a selection becomes whole iterations within the run, exact when short enough", () => {
  assert.deepEqual(zoomRange(10.4, 2.2, 100), { from: 3, to: 10, exact: true });
  assert.deepEqual(zoomRange(-50, 1e6, 200000), { from: 1, to: 200000, exact: false });
  assert.deepEqual(zoomRange(1, 65536, 1e6), { from: 1, to: 65536, exact: true }); // B − A < 65,536
  assert.deepEqual(zoomRange(1, 65537, 1e6), { from: 1, to: 65537, exact: false });
  assert.equal(zoomRange(3.2, 3.8, 100), null); // no whole iteration inside
  assert.equal(zoomRange(150, 160, 100), null); // past the run
});

test("the latest loss is the last bucket's last one", () => {
  const h = applyHistory(emptyHistory(), buckets({ last: [3, 2, 0.5] }));
  assert.deepEqual(latest(h), { iteration: 3, loss: 0.5, test: 2.5 });
  assert.deepEqual(latest(emptyHistory()), { iteration: 0, loss: null, test: null });
});

test("metric points are cut at test_start like the test list; a run without test rows has none", () => {
  const chunk = (start, points) => ({ iterations: 6, width: 1, start: 0, first: [], last: [], min: [], max: [], mean: [],
    test_start: start, test: [], metrics: points });
  let h = applyHistory(emptyHistory(), chunk(0, [[3, 0.5, null, 0.5, null]]));
  h = applyHistory(h, chunk(1, [[6, 0.4, null, 0.75, null]]));
  assert.deepEqual(h.metrics, [[3, 0.5, null, 0.5, null], [6, 0.4, null, 0.75, null]]);
  assert.deepEqual(h.test, []); // no padding left where the run has no test points
  h = applyHistory(h, chunk(1, [[6, 0.3, null, 1, null]])); // the last point resent, replaced
  assert.deepEqual(h.metrics.map((p) => p[1]), [0.5, 0.3]);
  assert.deepEqual(bucketSeries(h).test, []);
});
