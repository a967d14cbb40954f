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

test("while busy, due throttled views share a frame's budget, the longest-waiting first", () => {
  let t = 0; // the clock: each update costs 10 ms
  const cost = (seen) => ({ update: (s) => { seen.push(s); t += 10; } });
  const [a, b, c] = [[], [], []];
  const fast = spy();
  const r = createRenderer(
    [{ view: cost(a), every: 100 }, { view: cost(b), every: 100 }, { view: fast.view }, { view: cost(c), every: 100 }],
    { busy: () => true, budget: 15, clock: () => t },
  );
  const frames = [0, 16, 32, 48].map((now) => ({ now }));
  for (const s of frames) r.render(s, s.now);
  // frame 0: a (10 ms), then b (20 ms spent ≥ 15: c waits); frame 16: c; then nothing is due
  assert.deepEqual(a.map((s) => s.now), [0]);
  assert.deepEqual(b.map((s) => s.now), [0]);
  assert.deepEqual(c.map((s) => s.now), [16]);
  assert.equal(fast.seen.length, 4); // unthrottled views run every frame, outside the budget
  r.render({ now: 120 }, 120); // all due again: a and b waited 20 ms too long, c 4 ms
  r.render({ now: 136 }, 136);
  assert.deepEqual([a.at(-1).now, b.at(-1).now, c.at(-1).now], [120, 120, 136]);
});

test("at least one due throttled view runs each frame, however small the budget", () => {
  const v = [spy(), spy()];
  const r = createRenderer(v.map((x) => ({ view: x.view, every: 50 })), { busy: () => true, budget: 0 });
  r.render({ i: 0 }, 0);
  r.render({ i: 1 }, 16);
  assert.deepEqual(v.map((x) => x.seen.map((s) => s.i)), [[0], [1]]);
});

test("a view out of sight waits while busy only, and draws the newest state when it is back", () => {
  const v = spy();
  let busy = true;
  let away = true;
  const r = createRenderer([{ view: v.view, away: () => away }], { busy: () => busy });
  r.render({ i: 1 }, 0);
  assert.equal(v.seen.length, 0);
  assert.equal(r.pending({ i: 1 }), true); // still owed
  away = false;
  r.render({ i: 2 }, 16);
  away = true;
  busy = false; // the burst ended: drawn even out of sight, so a scroll shows the end state
  r.render({ i: 3 }, 32);
  assert.deepEqual(v.seen.map((s) => s.i), [2, 3]);
});
