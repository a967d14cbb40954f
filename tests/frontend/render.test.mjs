import { test } from "node:test";
import assert from "node:assert/strict";
import { createRenderer } from "../../frontend/js/render.js";

function spy() {
  const seen = [];
  return { seen, view: { update: (s) => seen.push(s) } };
}

test("each view draws each new state once", () => {
  const a = spy();
  const r = createRenderer([{ view: a.view }]);
  const s1 = { n: 1 };
  assert.equal(r.pending(s1), true);
  assert.equal(r.render(s1, 0), 1);
  assert.equal(r.render(s1, 16), 0);
  assert.equal(r.pending(s1), false);
  const s2 = { n: 2 };
  r.render(s2, 32);
  assert.deepEqual(a.seen, [s1, s2]);
});

test("costly views are throttled while busy, and catch up afterwards", () => {
  const fast = spy();
  const slow = spy();
  let busy = true;
  const r = createRenderer([{ view: fast.view }, { view: slow.view, every: 100 }], { busy: () => busy });
  const states = Array.from({ length: 10 }, (_, i) => ({ i }));
  states.forEach((s, i) => r.render(s, i * 16)); // 10 frames in 144 ms
  assert.equal(fast.seen.length, 10);
  assert.deepEqual(slow.seen.map((s) => s.i), [0, 7]); // at 0 ms and 112 ms
  busy = false;
  const last = { i: 99 };
  r.render(last, 150); // not busy: no throttle
  assert.equal(slow.seen.at(-1), last);
});

test("a view that throws does not stop the others", () => {
  const errors = [];
  const ok = spy();
  const r = createRenderer([{ view: { update: () => { throw new Error("boom"); } } }, { view: ok.view }],
    { onError: (e) => errors.push(e.message) });
  r.render({}, 0);
  assert.deepEqual(errors, ["boom"]);
  assert.equal(ok.seen.length, 1);
});

test("a folded view waits, then draws the newest state when shown", () => {
  const v = spy();
  let folded = true;
  const r = createRenderer([{ view: v.view, hidden: () => folded }]);
  r.render({ i: 1 }, 0);
  assert.equal(r.pending({ i: 1 }), false); // nothing to do while folded
  assert.equal(v.seen.length, 0);
  folded = false;
  const s = { i: 2 };
  assert.equal(r.pending(s), true);
  r.render(s, 16);
  assert.deepEqual(v.seen, [s]);
});

test("the throttle may depend on the state", () => {
  const v = spy();
  const r = createRenderer([{ view: v.view, every: (s) => s.every }], { busy: () => true });
  for (let t = 0; t < 1000; t += 50) r.render({ t, every: 400 }, t);
  assert.deepEqual(v.seen.map((s) => s.t), [0, 400, 800]);
});
