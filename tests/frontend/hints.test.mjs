// Hints about a run: dead ReLUs in the shown frame and what τ does beside the updates' size.
import { test } from "node:test";
import assert from "node:assert/strict";
import { deadNeurons, deadReluHint, sensibleTolerance, toleranceHint } from "../../frontend/js/hints.js";
import { diagramModel } from "../../frontend/js/diagram.js";
import { computeLayout } from "../../frontend/js/layout.js";
import { fullFrame } from "./fixtures.mjs";

/** The fixture's frame with hidden neurons 1 and 3 at y = 0 for both samples (and 4 for one). */
function reluFrame() {
  const f = fullFrame();
  const y = f.layers[0].y.map((row) => row.slice());
  y[1] = [0, 0];
  y[3] = [0, 0];
  y[4] = [0, 0.2];
  f.layers[0] = { ...f.layers[0], y };
  return f;
}

test("a hidden ReLU neuron is dead when its y is 0 for every sample of the frame", () => {
  assert.deepEqual(deadNeurons(reluFrame(), "relu"), [{ layer: 1, index: 1 }, { layer: 1, index: 3 }]);
  assert.deepEqual(deadNeurons(reluFrame(), "tanh"), []); // only ReLUs die this way
  assert.deepEqual(deadNeurons({ ...reluFrame(), layers: undefined }, "relu"), []); // a summary frame
  // output neurons are not hidden: a 0 there is a prediction
  const f = reluFrame();
  f.layers[1].y = [[0, 0], [0, 0]];
  assert.equal(deadNeurons(f, "relu").length, 2);
});

test("the dead-ReLU hint counts them, names them and says what to change", () => {
  const hint = deadReluHint(reluFrame(), "relu", 50);
  assert.equal(hint.count, 2);
  assert.equal(hint.hidden, 5);
  assert.match(hint.text, /2 of 5 hidden ReLU neurons/);
  assert.match(hint.text, /1\.2, 1\.4/);
  assert.match(hint.text, /α = 50/);
  assert.equal(deadReluHint(fullFrame(), "relu", 0.5), null); // the fixture's y are all > 0
});

test("the diagram marks dead neurons", () => {
  const m = diagramModel({ phase: "idle", frame: reluFrame(), weights: reluFrame().weights, sample: 0,
    spec: { network: { activation: "relu", output_activation: "sigmoid" } } }, computeLayout([3, 5, 2]));
  assert.deepEqual(m.neurons.filter((n) => n.dead).map((n) => n.id), ["1-1", "1-3"]);
});

test("τ: a thousandth of the updates is sensible; a τ above them stops the run at once", () => {
  assert.equal(sensibleTolerance(0.0123), 1e-5);
  assert.equal(sensibleTolerance(0.5), 1e-4);
  assert.equal(sensibleTolerance(0), null);
  assert.match(toleranceHint(0, 0.0123, "running").text, /never stops early.*1e−5/);
  const high = toleranceHint(0.1, 0.0123, "paused");
  assert.equal(high.level, "warn");
  assert.match(high.text, /above the last update's largest \|ΔW\| \(0\.0123\)/);
  assert.equal(toleranceHint(1e-6, 0.0123, "running").level, "info");
  assert.match(toleranceHint(0.05, 0.01, "converged").text, /Converged.*large/);
  assert.equal(toleranceHint(0, null, "paused"), null);
});
