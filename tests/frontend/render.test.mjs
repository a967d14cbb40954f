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

test("costly views due together share a frame's budget and fall on different frames", () => {
  let t = 0; // a fake clock: each costly update takes 10 ms, over the 6 ms budget
  const costly = (seen) => ({ update: (s) => { seen.push(s.frame); t += 10; } });
  const a = [];
  const b = [];
  const fast = spy();
  const r = createRenderer(
    [{ view: fast.view }, { view: costly(a), every: 100 }, { view: costly(b), every: 100 }],
    { busy: () => true, budget: 6, clock: () => t });
  for (let frame = 0; frame < 20; frame++) r.render({ frame }, frame * 16);
  assert.equal(fast.seen.length, 20); // unthrottled views run on every frame
  const together = a.filter((f) => b.includes(f));
  assert.deepEqual(together, []); // never both in one frame
  assert.deepEqual(a, [0, 7, 14]); // at 0 ms, then on the first frame ≥ 100 ms later
  assert.deepEqual(b, [1, 8, 15]); // pushed to the next frame once, then every 100 ms from there
});

test("cheap views due together all run in the frame", () => {
  const a = spy();
  const b = spy();
  const r = createRenderer([{ view: a.view, every: 100 }, { view: b.view, every: 100 }],
    { busy: () => true, budget: 6, clock: () => 0 });
  r.render({ i: 0 }, 0);
  assert.equal(a.seen.length + b.seen.length, 2);
});

test("a view over the budget still draws the newest state once training stops", () => {
  let t = 0;
  const slow = [];
  let busy = true;
  const r = createRenderer(
    [{ view: { update: (s) => { slow.push(s.i); t += 50; } }, every: 100 },
      { view: { update: (s) => { slow.push(-s.i); t += 50; } }, every: 100 }],
    { busy: () => busy, budget: 6, clock: () => t });
  r.render({ i: 1 }, 0);
  busy = false;
  const last = { i: 2 };
  assert.equal(r.pending(last), true);
  r.render(last, 16);
  assert.deepEqual(slow, [1, 2, -2]);
});

test("a view out of sight waits while training runs, then draws when seen or when training stops", () => {
  const v = spy();
  let busy = true;
  let away = true;
  const r = createRenderer([{ view: v.view, away: () => away }], { busy: () => busy });
  r.render({ i: 1 }, 0);
  assert.equal(v.seen.length, 0);
  assert.equal(r.pending({ i: 1 }), false); // nothing to do for it while away and busy
  away = false; // scrolled to
  r.render({ i: 2 }, 16);
  assert.deepEqual(v.seen.map((s) => s.i), [2]);
  away = true;
  r.render({ i: 3 }, 32);
  busy = false; // training stopped: drawn even out of sight, so the page holds the last state
  assert.equal(r.pending({ i: 4 }), true);
  r.render({ i: 4 }, 48);
  assert.deepEqual(v.seen.map((s) => s.i), [2, 4]);
});
