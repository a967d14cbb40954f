import { test } from "node:test";
import assert from "node:assert/strict";
import { createLatest } from "../../frontend/js/latest.js";

/** A request function whose answers the test releases by hand. */
function controlled() {
  const calls = [];
  const run = (value) => new Promise((resolve, reject) => calls.push({ value, resolve, reject }));
  return { calls, run };
}
const flush = () => new Promise((r) => setImmediate(r));

test("one request at a time; of the values asked meanwhile only the newest is sent", async () => {
  const { calls, run } = controlled();
  const shown = [];
  const latest = createLatest(run, { onResult: (r, v) => shown.push([v, r]) });
  latest.request(1);
  latest.request(2);
  latest.request(3);
  latest.request(4);
  assert.deepEqual(calls.map((c) => c.value), [1]);
  assert.ok(latest.busy());
  calls[0].resolve("one");
  await flush();
  assert.deepEqual(calls.map((c) => c.value), [1, 4]); // 2 and 3 were never sent
  calls[1].resolve("four");
  await flush();
  assert.deepEqual(shown, [[1, "one"], [4, "four"]]); // answers in order: the newest lands last
  assert.ok(!latest.busy());
  latest.request(5);
  assert.equal(calls.length, 3);
});

test("cancel drops the waiting value and the answer in flight", async () => {
  const { calls, run } = controlled();
  const shown = [];
  const latest = createLatest(run, { onResult: (r) => shown.push(r) });
  latest.request(1);
  latest.request(2);
  latest.cancel();
  calls[0].resolve("stale");
  await flush();
  assert.deepEqual(shown, []);
  assert.equal(calls.length, 1);
  assert.ok(!latest.busy());
});

test("a value asked after cancel while the old request is in flight is sent once it is back", async () => {
  const { calls, run } = controlled();
  const shown = [];
  const latest = createLatest(run, { onResult: (r) => shown.push(r) });
  latest.request(1);
  latest.cancel();
  latest.request(7);
  assert.equal(calls.length, 1);
  calls[0].resolve("stale");
  await flush();
  assert.deepEqual(calls.map((c) => c.value), [1, 7]);
  calls[1].resolve("seven");
  await flush();
  assert.deepEqual(shown, ["seven"]);
});

test("a failed request reports its error and the next value still goes out", async () => {
  const { calls, run } = controlled();
  const errors = [];
  const shown = [];
  const latest = createLatest(run, { onResult: (r) => shown.push(r), onError: (e, v) => errors.push([v, e.message]) });
  latest.request(1);
  latest.request(2);
  calls[0].reject(new Error("404"));
  await flush();
  calls[1].resolve("two");
  await flush();
  assert.deepEqual(errors, [[1, "404"]]);
  assert.deepEqual(shown, ["two"]);
});
