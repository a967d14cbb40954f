// One answer to "what is happening": the job's status vs the page's own animation and replay.
import { test } from "node:test";
import assert from "node:assert/strict";
import { activity } from "../../frontend/js/activity.js";
import { initialState } from "../../frontend/js/store.js";
import { jobView } from "./fixtures.mjs";

const state = (over = {}) => ({ ...initialState(), ownIds: ["job1"], job: jobView({ iteration: 12 }),
  counters: { epoch: 1, batch: 1, iteration: 12, loss: 0.1, test_loss: null }, ...over });

test("explain mode playing a paused job is explaining iteration N, not paused", () => {
  const a = activity(state({ mode: "explain", playing: true, phase: "forward", phaseProgress: 0.3 }));
  assert.equal(a.key, "explaining");
  assert.equal(a.label, "explaining iteration 12");
  assert.equal(a.playing, true);
  // stopped part-way (a phase step): still explaining, ▶ shows
  const part = activity(state({ mode: "explain", playing: false, phase: "loss", phaseProgress: 1 }));
  assert.deepEqual([part.key, part.playing], ["explaining", false]);
  // the iteration played to its end: the job's own status again
  const done = activity(state({ mode: "explain", playing: false, phase: "update", phaseProgress: 1 }));
  assert.deepEqual([done.key, done.label, done.playing], ["paused", "paused", false]);
});

test("a watcher sees the job's real status and ⏸ while it runs, in either mode", () => {
  for (const mode of ["explain", "train"]) {
    const a = activity(state({ ownIds: [], mode, playing: false, job: jobView({ status: "running" }) }));
    assert.deepEqual([a.key, a.label, a.playing], ["running", "running", true]);
    assert.match(a.title, /someone else's/);
  }
  const paused = activity(state({ ownIds: [], mode: "train", playing: true, job: jobView({ status: "paused" }) }));
  assert.equal(paused.playing, false);
});

test("preview, replay, ended runs and the server's message", () => {
  assert.equal(activity({ ...initialState() }).key, "preview");
  const r = activity(state({ replay: 5 }));
  assert.deepEqual([r.key, r.label], ["replaying", "replaying iteration 5"]);
  const d = activity(state({ job: jobView({ status: "diverged", message: "diverged at iteration 7: lower the learning rate" }) }));
  assert.deepEqual([d.key, d.label, d.playing], ["diverged", "diverged", false]);
  assert.match(d.title, /lower the learning rate/);
  const own = activity(state({ mode: "train", playing: false, job: jobView({ status: "running" }) }));
  assert.equal(own.playing, true); // the job runs: ⏸, whatever the page last asked
});
