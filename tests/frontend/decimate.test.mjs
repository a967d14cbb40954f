import { test } from "node:test";
import assert from "node:assert/strict";
import { decimate } from "../../frontend/js/decimate.js";

const series = (n, f) => Array.from({ length: n }, (_, i) => f(i));

test("a short history is drawn as it is", () => {
  const xs = [1, 2, 3], ys = [3, 2, 1], ts = [null, null, 0.5];
  assert.deepEqual(decimate(xs, ys, ts, 2), [xs, ys, ts]);
});

test("each bucket keeps its lowest and highest loss, in iteration order", () => {
  const xs = series(8, (i) => i + 1);
  const ys = [5, 9, 1, 4, 2, 2, 8, 3];
  const ts = series(8, () => null);
  const [ox, oy] = decimate(xs, ys, ts, 2);
  assert.deepEqual(ox, [2, 3, 5, 7]); // bucket 1..4: max 9 at x=2, min 1 at x=3
  assert.deepEqual(oy, [9, 1, 2, 8]);
});

test("200k points become at most 2 per bucket, spikes kept, test losses kept", () => {
  const n = 200_000;
  const xs = series(n, (i) => i + 1);
  const ys = series(n, (i) => (i === 123_456 ? 50 : 1 / (1 + i)));
  const ts = series(n, (i) => (i % 1000 === 0 ? 0.25 : null));
  const [ox, oy, ot] = decimate(xs, ys, ts, 500);
  assert.ok(ox.length <= 1000 && ox.length >= 500);
  assert.ok(oy.includes(50));
  assert.equal(ot.filter((v) => v !== null).length, 200); // one test loss in each of 200 buckets
  for (let i = 1; i < ox.length; i++) assert.ok(ox[i] > ox[i - 1]);
});

test("nulls (a diverged run) do not break a bucket", () => {
  const xs = series(10, (i) => i + 1);
  const ys = [1, null, null, null, null, 2, NaN, 3, null, null];
  const [ox, oy] = decimate(xs, ys, series(10, () => null), 2);
  assert.deepEqual(ox, [1, 6, 8]);
  assert.deepEqual(oy, [1, 2, 3]);
});
