import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { batchSize, clampSelection, neuronTrace, weightsBefore } from "../../frontend/js/neuron.js";

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
