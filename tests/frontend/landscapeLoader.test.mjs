import { test } from "node:test";
import assert from "node:assert/strict";
import { createLoader, surfaceKey } from "../../frontend/js/landscapeLoader.js";

/** A loader on a fake clock and timers; fetches resolve when the test says so. */
function harness(minGap = 500) {
  const t = { now: 0, timers: [], calls: [], results: [], errors: [] };
  const loader = createLoader({
    fetch: (q, signal) => new Promise((resolve, reject) => t.calls.push({ q, signal, resolve, reject })),
    onResult: (data, q) => t.results.push([data, q.version]),
    onError: (err, q) => t.errors.push([err, q.version]),
    now: () => t.now,
    setTimer: (fn, ms) => { const timer = { fn, at: t.now + ms }; t.timers.push(timer); return timer; },
    clearTimer: (timer) => { t.timers = t.timers.filter((x) => x !== timer); },
    minGap,
  });
  t.advance = (ms) => {
    t.now += ms;
    for (const timer of t.timers.filter((x) => x.at <= t.now)) {
      t.timers = t.timers.filter((x) => x !== timer);
      timer.fn();
    }
  };
  return { t, loader };
}
const q = (version, rest = {}) => ({ job: "j1", a: "1,0,1", b: "1,0,2", span: 1, grid: 41, version, ...rest });
const flush = () => new Promise((r) => setImmediate(r));

test("the first query is fetched at once; the same one again is not", () => {
  const { t, loader } = harness();
  loader.want(q(1));
  loader.want(q(1));
  assert.equal(t.calls.length, 1);
  assert.equal(surfaceKey(q(1)), surfaceKey(q(9))); // the version is not part of what is shown
});

test("new versions while training: at most one fetch per minGap, the newest one waiting", async () => {
  const { t, loader } = harness(500);
  loader.want(q(1));
  t.advance(100);
  loader.want(q(2));
  loader.want(q(3));
  assert.equal(t.calls.length, 1); // held back until 500 ms after the first began
  t.advance(399);
  assert.equal(t.calls.length, 1);
  t.advance(1);
  assert.equal(t.calls.length, 2);
  assert.equal(t.calls[1].q.version, 3); // the newest, not 2
  assert.equal(t.calls[0].signal.aborted, true); // the first, still in flight, was aborted
  t.calls[0].resolve("old"); // an aborted fetch's late answer is ignored
  t.calls[1].resolve("new");
  await flush();
  assert.deepEqual(t.results, [["new", 3]]);
  t.advance(600);
  loader.want(q(4)); // minGap has passed: at once
  assert.equal(t.calls.length, 3);
});

test("a change of parameter, span or grid is fetched at once and aborts the one in flight", () => {
  const { t, loader } = harness(500);
  loader.want(q(1));
  loader.want(q(2)); // waits
  loader.want(q(2, { grid: 101 }));
  assert.equal(t.calls.length, 2);
  assert.equal(t.calls[0].signal.aborted, true);
  assert.equal(t.timers.length, 0); // the waiting version was dropped with its timer
  loader.want(q(2, { a: "0,0,0" }));
  loader.want(q(2, { span: 2 }));
  loader.want(q(2, { job: "j2" }));
  assert.equal(t.calls.length, 5);
});

test("errors reach onError; retry asks again; null and cancel drop everything", async () => {
  const { t, loader } = harness(500);
  loader.want(q(1));
  t.calls[0].reject(new Error("422"));
  await flush();
  assert.equal(t.errors.length, 1);
  assert.equal(loader.busy(), false);
  loader.retry();
  assert.equal(t.calls.length, 2);
  assert.equal(loader.busy(), true);
  loader.want(q(2)); // waits
  loader.want(null);
  assert.equal(t.calls[1].signal.aborted, true);
  assert.equal(t.timers.length, 0);
  loader.want(q(2)); // after null, the next query is new again
  assert.equal(t.calls.length, 3);
});
