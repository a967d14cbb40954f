import { test } from "node:test";
import assert from "node:assert/strict";
import { finiteValues, isoLines, logLevels, openRing, quantileLevels } from "../../frontend/js/contours.js";

/** An n × n grid of f(x, y), grid[x][y]. */
const grid = (n, f) => Array.from({ length: n }, (_, x) => Array.from({ length: n }, (_, y) => f(x, y)));

test("log levels are evenly spaced in log10 strictly between the finite min and max", () => {
  assert.deepEqual(logLevels([[1, 10], [100, 1000]], 2), [10, 100]);
  const lv = logLevels(grid(5, (x, y) => 10 ** (x + y - 4)), 7); // 1e-4 … 1e4
  assert.equal(lv.length, 7);
  lv.forEach((v, k) => assert.ok(Math.abs(Math.log10(v) - (-4 + k + 1)) < 1e-12));
  // a zero or negative value: evenly spaced instead; nulls and non-finite values ignored
  assert.deepEqual(logLevels([[0, null], [Infinity, 4]], 3), [1, 2, 3]);
  assert.deepEqual(logLevels([[2, 2], [2, null]], 3), []); // flat: nothing to draw
  assert.deepEqual(logLevels([[null]], 3), []);
});

test("quantile levels follow the order statistics, duplicates and the extremes dropped", () => {
  const g = grid(10, (x, y) => 10 * x + y + 1); // 1 … 100
  assert.deepEqual(quantileLevels(g, 3), [25.75, 50.5, 75.25]);
  // 1, 1, 1, 5: the quartiles at positions 0.75 and 1.5 are both 1, so one line there is dropped
  // with the minimum itself; the third, at 2.25, is a quarter of the way from 1 to 5
  assert.deepEqual(quantileLevels([[1, 1], [1, 5]], 3), [2]);
  assert.deepEqual(finiteValues([[3, null], [NaN, 1]]), [1, 3]);
});

test("a plane's iso-line is straight, across the whole grid, with no piece along its border", () => {
  const n = 21;
  const [iso] = isoLines(grid(n, (x) => 1 + x), [11.5]); // crosses between x = 10 and x = 11
  assert.equal(iso.level, 11.5);
  assert.equal(iso.lines.length, 1);
  const line = iso.lines[0];
  const xs = line.map((p) => p[0]);
  // log10 interpolation between 11 and 12: x = 10 + log(11.5/11) / log(12/11), not 10.5
  const expected = 10 + Math.log(11.5 / 11) / Math.log(12 / 11);
  for (const x of xs) assert.ok(Math.abs(x - expected) < 1e-9, `x = ${x}`);
  const ys = line.map((p) => p[1]).sort((p, q) => p - q);
  assert.equal(ys[0], 0);
  assert.equal(ys[ys.length - 1], n - 1);
});

test("a bowl's iso-lines are closed circles of the right radius", () => {
  const n = 41;
  const c = 20;
  const g = grid(n, (x, y) => 1 + (x - c) ** 2 + (y - c) ** 2);
  for (const radius of [4, 9.5, 15]) {
    const level = 1 + radius * radius;
    const [iso] = isoLines(g, [level]);
    assert.equal(iso.lines.length, 1);
    const ring = iso.lines[0];
    assert.deepEqual(ring[0], ring[ring.length - 1]); // closed
    for (const [x, y] of ring) {
      const r = Math.hypot(x - c, y - c);
      assert.ok(Math.abs(r - radius) < 0.15, `r = ${r} for radius ${radius}`);
    }
  }
});

test("a null or non-finite cell counts as higher than every level: a line goes round it", () => {
  const g = grid(7, (x, y) => 1 + 0.01 * (x + y)); // 1 … 1.12, below the level 1.5
  g[3][3] = null;
  g[3][4] = Infinity;
  const [iso] = isoLines(g, [1.5]);
  assert.equal(iso.lines.length, 1);
  const ring = iso.lines[0];
  assert.deepEqual(ring[0], ring[ring.length - 1]);
  for (const [x, y] of ring) assert.ok(x > 2 && x < 4 && y > 2 && y < 5, `(${x}, ${y})`);
  assert.deepEqual(isoLines([[null, null], [null, null]], [1]), []);
});

test("openRing drops the segments that touch d3's padding on the border", () => {
  // d3's ring for a plane on a 3 × 3 grid: down the right border, round a corner, up x = 2
  const ring = [[3, 2.5], [3, 1.5], [3, 0.5], [2.5, 0], [2, 0.5], [2, 1.5], [2, 2.5], [2.5, 3], [3, 2.5]];
  assert.deepEqual(openRing(ring, 3), [[[1.5, 0], [1.5, 1], [1.5, 2]]]);
  const inside = [[2, 1.5], [1.5, 1], [1, 1.5], [1.5, 2], [2, 1.5]];
  assert.deepEqual(openRing(inside, 3), [[[1.5, 1], [1, 0.5], [0.5, 1], [1, 1.5], [1.5, 1]]]);
});
