// W_old from a frame under each penalty: the update undone (frame.js weightsBefore, showFrame)
// against the update applied by hand to known weights before it.
import { test } from "node:test";
import assert from "node:assert/strict";
import { showFrame, weightsBefore } from "../../frontend/js/frame.js";
import { initialState } from "../../frontend/js/store.js";
import { applyUpdate, fixture, nearZero, penalisedFrame } from "./penalised.mjs";

const close = (a, b, eps = 1e-12, what = "") =>
  assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${what}: ${a} ≠ ${b}`);
const each = (A, f) => A.forEach((W, i) => W.forEach((row, j) => row.forEach((v, m) => f(v, i, j, m))));
const gradsOf = (frame) => frame.layers.map((l) => l.grad);

for (const [kind, lambda] of [["none", 0], ["l2", 0.1], ["l2", 1.5], ["l1", 0.1]]) {
  test(`${kind}, λ = ${lambda}: W_old is the weights the update started from`, () => {
    for (const s of Object.values(fixture.scenarios)) {
      const frame = penalisedFrame(s.frame, s.prevWeights, kind, lambda);
      const penalty = { kind, rate: lambda };
      const args = [frame.weights, gradsOf(frame), frame.learning_rate, penalty];
      const before = weightsBefore(...args);
      // L1 is undone uniquely only where |W_old| > 2αλ (else both signs fit: next test)
      const unique = (w, m) => kind !== "l1" || m === 0 || Math.abs(w) > 2 * frame.learning_rate * lambda;
      each(before, (v, i, j, m) => {
        const w = s.prevWeights[i][j][m];
        if (unique(w, m)) close(v, w, 1e-12, `${s.name} W${i + 1}[${j}][${m}]`);
      });
      const hinted = weightsBefore(...args, s.prevWeights);
      each(hinted, (v, i, j, m) => close(v, s.prevWeights[i][j][m], 1e-12, `${s.name} hinted`));
    }
  });
}

test("a penalty the reconstruction ignores would be caught: W_new + α g is not W_old under L2", () => {
  const s = fixture.scenarios.article;
  const frame = penalisedFrame(s.frame, s.prevWeights, "l2", 0.1);
  const naive = weightsBefore(frame.weights, gradsOf(frame), frame.learning_rate);
  assert.ok(Math.abs(naive[0][0][1] - s.prevWeights[0][0][1]) > 1e-6);
  assert.equal(naive[0][0][0], weightsBefore(frame.weights, gradsOf(frame), frame.learning_rate,
    { kind: "l2", rate: 0.1 })[0][0][0], "the bias is not penalised: the same either way");
});

test("L1 near 0: every reconstruction updates to W_new, and the previous weights pick the true one", () => {
  const s = fixture.scenarios.article;
  const penalty = { kind: "l1", rate: 0.1 };
  const shift = s.frame.learning_rate * penalty.rate; // αλ
  const truth = nearZero(s.prevWeights, shift);
  const frame = penalisedFrame(s.frame, truth, "l1", penalty.rate);
  const grads = gradsOf(frame);
  const guessed = weightsBefore(frame.weights, grads, frame.learning_rate, penalty);
  const again = applyUpdate(guessed, grads, frame.learning_rate, "l1", penalty.rate);
  each(again, (v, i, j, m) => close(v, frame.weights[i][j][m], 1e-12, "updates to W_new"));
  close(guessed[1][0][1], 0, 0, "sign 0 kept at 0");
  assert.ok(Math.abs(guessed[0][2][1] - truth[0][2][1]) > shift, "1.5 αλ: ambiguous without a hint");
  const hinted = weightsBefore(frame.weights, grads, frame.learning_rate, penalty, truth);
  each(hinted, (v, i, j, m) => close(v, truth[i][j][m], 1e-12, `hinted W${i + 1}[${j}][${m}]`));
  // A hint from another frame is no hint: the weights still update to W_new.
  const stale = structuredClone(truth);
  stale[0][2][1] += 0.25;
  const notHinted = weightsBefore(frame.weights, grads, frame.learning_rate, penalty, stale);
  close(notHinted[0][2][1], guessed[0][2][1], 1e-12, "stale hint ignored");
  // Far from 0 (|W_old| > 2αλ) only one sign fits: no hint needed.
  each(guessed, (v, i, j, m) => {
    if (Math.abs(truth[i][j][m]) > 2 * shift || m === 0) close(v, truth[i][j][m], 1e-12, "unique");
  });
});

test("showFrame takes the job's penalty and the weights shown before as the hint", () => {
  const s = fixture.scenarios.article;
  const penalty = { kind: "l1", rate: 0.1 };
  const truth = nearZero(s.prevWeights, s.frame.learning_rate * penalty.rate);
  const frame = penalisedFrame(s.frame, truth, "l1", penalty.rate);
  const spec = structuredClone(s.spec);
  spec.training = { ...spec.training, regularization: "l1", regularization_rate: 0.1 };
  const state = { ...initialState(), job: { id: "j", spec }, weights: truth };
  const shown = showFrame(state, frame);
  assert.equal(shown.weights, frame.weights);
  each(shown.prevWeights, (v, i, j, m) => close(v, truth[i][j][m], 1e-12, "prevWeights"));
  const unpenalised = showFrame({ ...state, job: { id: "j", spec: s.spec } }, frame);
  assert.ok(Math.abs(unpenalised.prevWeights[0][0][2] - truth[0][0][2]) > 1e-3,
    "without the job's penalty the reconstruction is W_new + α g: another W_old");
});
