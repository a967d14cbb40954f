import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { batchSize, clampSelection, neuronTrace, weightsBefore } from "../../frontend/js/neuron.js";
import { applyUpdate, nearZero, penalisedFrame, slope } from "./penalised.mjs";

const fixture = JSON.parse(readFileSync(new URL("../../frontend/dev/fixture.json", import.meta.url)));
const close = (a, b, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);
const dot = (a, b) => a.reduce((s, v, i) => s + v * b[i], 0);

test("selection falls back to the first output neuron", () => {
  const { frame } = fixture.scenarios.article; // 3-5-2
  assert.deepEqual(clampSelection(frame, null), { layer: 2, index: 0 });
  assert.deepEqual(clampSelection(frame, { layer: 1, index: 4 }), { layer: 1, index: 4 });
  assert.deepEqual(clampSelection(frame, { layer: 1, index: 5 }), { layer: 1, index: 0 });
  assert.deepEqual(clampSelection(frame, { layer: 3, index: 0 }), { layer: 2, index: 0 });
  assert.equal(clampSelection(null, null), null);
  assert.equal(batchSize(frame), 2);
});

test("weights before the update follow from W_new + α ∂ℓ/∂W when not kept", () => {
  for (const s of Object.values(fixture.scenarios)) {
    const rebuilt = weightsBefore(s.frame, null);
    rebuilt.forEach((W, i) => W.forEach((row, j) => row.forEach((w, m) =>
      close(w, s.prevWeights[i][j][m], 1e-12))));
    assert.equal(weightsBefore(s.frame, s.prevWeights), s.prevWeights);
  }
});

test("prevWeights that belong to another frame are not used", () => {
  const { frame, prevWeights } = fixture.scenarios.article;
  const stale = structuredClone(prevWeights);
  stale[0][0][1] += 0.25; // e.g. weights that moved on with later summary frames
  const before = weightsBefore(frame, stale);
  assert.notEqual(before, stale);
  close(before[0][0][1], prevWeights[0][0][1], 1e-12);
});

test("every neuron of every scenario satisfies eq. (1), backprop and the update", () => {
  for (const s of Object.values(fixture.scenarios)) {
    const { frame, prevWeights, spec } = s;
    const B = batchSize(frame);
    frame.layers.forEach((layer, li) => layer.z.forEach((_, j) => {
      for (const k of [0, B - 1]) {
        const t = neuronTrace(frame, prevWeights, { layer: li + 1, index: j }, k, spec.network);
        assert.equal(t.sample, k);
        close(t.z, t.b + dot(t.w, t.yPrev)); // eq. (1) with the weights the pass used
        if (!t.isOutput) close(t.dy, dot(t.next.w, t.next.dz)); // (W^{i+1})^T ∂ℓ/∂z^{i+1}
        if (t.activation === "sigmoid") close(t.dz, t.dy * t.y * (1 - t.y), 1e-7); // eq. (7)
        if (t.activation === "tanh") close(t.dz, t.dy * (1 - t.y * t.y), 1e-9);
        t.new.forEach((w, m) => close(w, t.old[m] - t.alpha * t.grad[m], 1e-12)); // update
        t.share.forEach((v, m) => close(v, t.dz * [1, ...t.yPrev][m]));
      }
      // ∂ℓ/∂w = Σ_k ∂ℓ/∂z_k (1, y^{i−1}_k) over the whole batch
      const sum = new Array(layer.grad[j].length).fill(0);
      for (let k = 0; k < B; k++) {
        const t = neuronTrace(frame, prevWeights, { layer: li + 1, index: j }, k, spec.network);
        t.share.forEach((v, m) => { sum[m] += v; });
      }
      sum.forEach((v, m) => close(v, layer.grad[j][m], 1e-9));
    }));
  }
});

test("the sample index is clamped to the batch", () => {
  const { frame, prevWeights, spec } = fixture.scenarios.article;
  assert.equal(neuronTrace(frame, prevWeights, null, 7, spec.network).sample, 1);
  assert.equal(neuronTrace(frame, prevWeights, null, -3, spec.network).sample, 0);
  assert.equal(neuronTrace(null, null, null, 0, spec.network), null);
});

// ---------------------------------------------------------------- a regularised run

const PENALTIES = [["l2", 0.1], ["l1", 0.1]];

test("under a penalty the kept prevWeights are used when the penalised update takes them to W", () => {
  for (const [kind, rate] of PENALTIES) {
    const { frame, prevWeights } = fixture.scenarios.article;
    const penalised = penalisedFrame(frame, prevWeights, kind, rate);
    assert.equal(weightsBefore(penalised, prevWeights, { kind, rate }), prevWeights, kind);
    // The unpenalised agreement test would have thrown them away (W_old ≠ W_new + α g).
    assert.notEqual(weightsBefore(penalised, prevWeights), prevWeights, kind);
    const stale = structuredClone(prevWeights);
    stale[1][0][2] += 0.25;
    const rebuilt = weightsBefore(penalised, stale, { kind, rate });
    assert.notEqual(rebuilt, stale);
    close(rebuilt[1][0][2], prevWeights[1][0][2], 1e-12); // far from 0: one W_old fits
  }
});

test("L1 near 0 without kept weights: each weight shown updates to W_new, the bias without λ", () => {
  const { frame, prevWeights, spec } = fixture.scenarios.article;
  const penalty = { kind: "l1", rate: 0.1 };
  const truth = nearZero(prevWeights, frame.learning_rate * penalty.rate);
  const penalised = penalisedFrame(frame, truth, "l1", penalty.rate);
  for (const [layer, index] of [[1, 0], [1, 1], [1, 2], [2, 0], [2, 1]]) {
    const t = neuronTrace(penalised, null, { layer, index }, 0, spec.network, penalty);
    const again = applyUpdate([[t.old]], [[t.grad]], t.alpha, "l1", penalty.rate)[0][0];
    again.forEach((w, m) => close(w, t.new[m], 1e-12));
    const kept = neuronTrace(penalised, truth, { layer, index }, 0, spec.network, penalty);
    kept.old.forEach((w, m) => close(w, truth[layer - 1][index][m], 0));
  }
});

test("every neuron's old and new weights satisfy the penalised update", () => {
  for (const [kind, rate] of PENALTIES) {
    for (const s of Object.values(fixture.scenarios)) {
      const penalised = penalisedFrame(s.frame, s.prevWeights, kind, rate);
      penalised.layers.forEach((layer, li) => layer.z.forEach((_, j) => {
        for (const kept of [s.prevWeights, null]) {
          const t = neuronTrace(penalised, kept, { layer: li + 1, index: j }, 0, s.spec.network,
            { kind, rate });
          t.new.forEach((w, m) => close(w, t.old[m] - t.alpha * (t.grad[m] + (m ? rate * slope(kind, t.old[m]) : 0)), 1e-12));
          if (kept) close(t.z, t.b + dot(t.w, t.yPrev)); // the weights the forward pass used
        }
      }));
    }
  }
});
