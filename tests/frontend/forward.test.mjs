import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { forward, predict, withFeatures, ACTIVATIONS } from "../../frontend/js/forward.js";

const close = (a, b, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} ≠ ${b}`);

// A 2-2-1 network, W^i with the bias in column 0 (eqs. (3)–(4)), input x = (1, 2):
//   z^1_1 = 0.1 + 0.2·1 − 0.3·2 = −0.3      y^1_1 = σ(−0.3) = 0.42555748318834
//   z^1_2 = −0.1 + 0.5·1 + 0.4·2 = 1.2      y^1_2 = σ(1.2)  = 0.76852478349902
//   z^2_1 = 0.5 + 1·y^1_1 − 2·y^1_2 = −0.61149208380969 (linear output: y = z)
const W = [
  [[0.1, 0.2, -0.3], [-0.1, 0.5, 0.4]],
  [[0.5, 1, -2]],
];

test("sigmoid hidden layer and linear output match hand-computed values", () => {
  const { z, y } = forward(W, { activation: "sigmoid", output_activation: "linear" }, [[1, 2]]);
  close(z[0][0][0], -0.3);
  close(z[0][1][0], 1.2);
  close(y[0][0][0], 0.4255574831883411);
  close(y[0][1][0], 0.7685247834990178);
  close(z[1][0][0], -0.6114920838096944);
  close(y[1][0][0], -0.6114920838096944);
});

test("samples are independent columns; predict returns rows × n_L", () => {
  const out = predict(W, { activation: "sigmoid", output_activation: "sigmoid" }, [[1, 2], [0, 0]]);
  assert.equal(out.length, 2);
  close(out[0][0], ACTIVATIONS.sigmoid(-0.6114920838096944));
  // x = 0: y^1 = (σ(0.1), σ(−0.1)), z^2 = 0.5 + σ(0.1) − 2σ(−0.1)
  close(out[1][0], ACTIVATIONS.sigmoid(0.5 + ACTIVATIONS.sigmoid(0.1) - 2 * ACTIVATIONS.sigmoid(-0.1)));
});

test("tanh and relu hidden, softmax output", () => {
  // y^1 = (tanh(−0.3), max(0, 1.2)) = (−0.29131261245159, 1.2)
  // z^2 = (0.2 + y1 − y2, −0.2 + 0.5 y1 + 0.5 y2) = (−1.29131261245159, 0.25434369377420)
  const W2 = [[[0.1, 0.2, -0.3], [-0.1, 0.5, 0.4]], [[0.2, 1, -1], [-0.2, 0.5, 0.5]]];
  const tanh = forward(W2, { activation: "tanh", output_activation: "softmax" }, [[1, 2]]);
  close(tanh.y[0][0][0], -0.29131261245159085);
  const relu = forward(W2, { activation: "relu", output_activation: "softmax" }, [[1, 2]]);
  close(relu.y[0][0][0], 0); // max(0, −0.3)
  close(relu.y[0][1][0], 1.2);
  // softmax output on the hidden vector (tanh(−0.3), 1.2), fed through an identity layer:
  // softmax(−1.29131261245159, 0.25434369377420) = (0.17571451816759, 0.82428548183241)
  const Wm = [[[0, 1, 0], [0, 0, 1]], [[0.2, 1, -1], [-0.2, 0.5, 0.5]]];
  const sm = forward(Wm, { activation: "linear", output_activation: "softmax" },
    [[-0.29131261245159085, 1.2000000000000002]]);
  close(sm.z[1][0][0], -1.291312612451591);
  close(sm.y[1][0][0], 0.17571451816758946);
  close(sm.y[1][1][0], 0.8242854818324105);
});

test("null weights (non-finite on the wire) give NaN, not an exception", () => {
  const out = predict([[[null, 1]]], { activation: "sigmoid", output_activation: "linear" }, [[1]]);
  assert.ok(Number.isNaN(out[0][0]));
});

test("derived features follow the spec's order", () => {
  const rows = withFeatures([[2, -3]], ["x1_squared", "x2_squared", "x1_x2", "sin_x1", "sin_x2"]);
  assert.deepEqual(rows[0].slice(0, 5), [2, -3, 4, 9, -6]);
  close(rows[0][5], Math.sin(2));
  close(rows[0][6], Math.sin(-3));
  assert.deepEqual(withFeatures([[1, 2]]), [[1, 2]]);
  assert.throws(() => withFeatures([[1, 2]], ["x3"]));
});

test("reproduces the engine's forward pass of a real frame", () => {
  const fixture = JSON.parse(readFileSync(new URL("../../frontend/dev/fixture.json", import.meta.url)));
  for (const s of Object.values(fixture.scenarios)) {
    const { frame, prevWeights, spec } = s;
    const inputs = frame.inputs[0].map((_, k) => frame.inputs.map((row) => row[k]));
    const { z, y } = forward(prevWeights, spec.network, inputs);
    frame.layers.forEach((layer, i) => {
      layer.z.forEach((row, j) => row.forEach((v, k) => close(z[i][j][k], v, 1e-9)));
      layer.y.forEach((row, j) => row.forEach((v, k) => close(y[i][j][k], v, 1e-9)));
    });
  }
});
