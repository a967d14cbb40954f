// The loss chart's series: batch-loss buckets under the whole-set losses of each metric point.
import { test } from "node:test";
import assert from "node:assert/strict";
import { applyHistory, emptyHistory } from "../../frontend/js/history.js";
import { latestWholeSet, lossSeries, wholeSetPoints } from "../../frontend/js/lossSeries.js";

/** Six iterations in buckets of 2, whole-set points at iterations 3 and 6 (epoch ends). */
function history() {
  const h = applyHistory(emptyHistory(), { iterations: 6, width: 2, start: 0, first: [4, 3, 2], last: [3, 2, 1],
    min: [3, 2, 1], max: [4, 3, 2], mean: [3.5, 2.5, 1.5], test_start: 0, test: [[3, 2.9], [6, 1.9]] });
  return { ...h, metrics: [[3, 2.2, 2.9, 0.5, 0.25], [6, 1.2, 1.9, 0.75, 0.5]] };
}

test("buckets at their centres and whole-set points at their iterations share one x axis", () => {
  const s = lossSeries(history());
  assert.deepEqual(s.x, [1.5, 3, 3.5, 5.5, 6]);
  assert.deepEqual(s.mean, [3.5, null, 2.5, 1.5, null]);
  assert.deepEqual(s.max, [4, null, 3, 2, null]);
  assert.deepEqual(s.train, [null, 2.2, null, null, 1.2]);
  assert.deepEqual(s.test, [null, 2.9, null, null, 1.9]);
});

test("a point at a bucket's centre shares its row; a server without metrics gives test points", () => {
  const h1 = applyHistory(emptyHistory(), { iterations: 3, width: 1, start: 0, first: [3, 2, 1], last: [3, 2, 1],
    min: [3, 2, 1], max: [3, 2, 1], mean: [3, 2, 1], test_start: 0, test: [[3, 0.9]] });
  const s = lossSeries({ ...h1, metrics: [[3, 0.8, 0.9, null, null]] });
  assert.deepEqual(s.x, [1, 2, 3]);
  assert.deepEqual(s.train, [null, null, 0.8]);
  assert.deepEqual(wholeSetPoints(h1), [[3, null, 0.9]]);
});

test("nothing past the iteration whose forward pass plays; zoom ranges and exact losses", () => {
  const s = lossSeries(history(), null, 4); // iteration 5 plays: its bucket (5–6) and point 6 wait
  assert.deepEqual(s.x, [1.5, 3, 3.5]);
  const z = lossSeries(history(), { from: 3, to: 6, loss: [2, 1.5, 1.2, 1] });
  assert.deepEqual(z.x, [3, 4, 5, 6]);
  assert.deepEqual(z.mean, [2, 1.5, 1.2, 1]);
  assert.deepEqual(z.train, [2.2, null, null, 1.2]);
  assert.equal(z.min, null);
  assert.deepEqual(latestWholeSet(history(), 5), { iteration: 3, train: 2.2, test: 2.9 });
});
