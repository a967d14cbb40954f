import { test } from "node:test";
import assert from "node:assert/strict";
import { column, dashFor, diagramModel, sampleValues, shownWeights } from "../../frontend/js/diagram.js";
import { BACKWARD_PULSE } from "../../frontend/js/color.js";
import { computeLayout } from "../../frontend/js/layout.js";
import { weightsBefore } from "../../frontend/js/selectors.js";
import { fullFrame } from "./fixtures.mjs";

const layout = computeLayout([3, 5, 2]);
function view(phase, progress, over = {}) {
  const frame = fullFrame();
  const prevWeights = weightsBefore(frame.weights, frame.layers.map((l) => l.grad), frame.learning_rate);
  return { phase, phaseProgress: progress, frame, weights: frame.weights, prevWeights, sample: 0, ...over };
}
const byId = (list, id) => list.find((x) => x.id === id);

test("a sample's numbers per layer: x for the inputs, z y dy dz t after", () => {
  const f = fullFrame();
  assert.deepEqual(column(f.inputs, 1), [0.25, 0.5, 0.75]);
  const v = sampleValues(f, 1);
  assert.equal(v.length, 3);
  assert.deepEqual(v[0].y, [0.25, 0.5, 0.75]);
  assert.deepEqual(v[1].z, [-1, 0, 1, 2, 3]);
  assert.deepEqual(v[2].t, [1, 0]);
  assert.equal(sampleValues(null, 0), null);
});

test("the pass uses the old weights; the update eases to the new ones", () => {
  const v = view("forward", 0.5);
  assert.equal(shownWeights(v), v.prevWeights);
  assert.equal(shownWeights({ ...v, phase: "idle" }), v.weights);
  assert.deepEqual(shownWeights({ ...v, phase: "update", phaseProgress: 1 }), v.weights);
  const mid = shownWeights({ ...v, phase: "update", phaseProgress: 0.5 });
  const [a, b] = [v.prevWeights[0][1][2], v.weights[0][1][2]];
  assert.ok(Math.abs(mid[0][1][2] - (a + b) / 2) < 1e-12);
});

test("forward: neurons light up layer by layer, with y", () => {
  const early = diagramModel(view("forward", 0.25), layout);
  assert.equal(byId(early.neurons, "0-0").state, "forward");
  assert.equal(byId(early.neurons, "1-0").state, "pending");
  assert.equal(byId(early.neurons, "1-0").text, "");
  assert.equal(byId(early.edges, "1-0-0").state, "active");
  assert.ok(byId(early.edges, "2-0-0").opacity < 1);
  assert.ok(early.pulse.d.startsWith("M"));
  assert.equal(early.pulse.d.split("M").length - 1, 15); // one dot per edge into layer 1
  const done = diagramModel(view("forward", 1), layout);
  assert.ok(done.neurons.every((n) => n.state === "forward"));
  assert.equal(byId(done.neurons, "1-1").text, "0.73"); // sigmoid(1)
  assert.equal(done.pulse, null);
});

test("loss: the output neurons are compared with their targets", () => {
  const m = diagramModel(view("loss", 0.5), layout);
  assert.equal(byId(m.neurons, "2-1").state, "loss");
  assert.equal(byId(m.neurons, "1-1").state, "forward");
});

test("backward: ∂ℓ/∂z on neurons and ∂ℓ/∂w on lines, from the output back", () => {
  const early = diagramModel(view("backward", 0.25), layout);
  assert.equal(byId(early.neurons, "2-0").state, "backward");
  assert.equal(byId(early.neurons, "1-0").state, "forward");
  assert.equal(byId(early.edges, "2-0-0").state, "active");
  const end = diagramModel(view("backward", 1), layout);
  const n = byId(end.neurons, "1-0");
  assert.equal(n.state, "backward");
  assert.equal(n.value, -2 / 50); // dz of neuron 0, sample 0
  assert.ok(end.edges.every((e) => e.stroke === BACKWARD_PULSE));
  // widths follow |∂ℓ/∂w|: grad (j − i)/20 is 0 for w_{1,1} and largest for w_{5,1}
  assert.ok(byId(end.edges, "1-4-0").width > byId(end.edges, "1-0-0").width);
});

test("update: lines carry the weights, dashed when negative, and change width", () => {
  const start = diagramModel(view("update", 0), layout);
  const end = diagramModel(view("update", 1), layout);
  assert.ok(end.edges.every((e) => e.state === "update"));
  assert.ok(start.edges.some((e, i) => e.width !== end.edges[i].width));
  const neg = byId(end.edges, "2-0-0"); // layer 2 weights are negative in the fixture
  assert.ok(neg.value < 0 && neg.dash !== "");
  const pos = byId(end.edges, "1-0-0");
  assert.ok(pos.value > 0 && pos.dash === "");
  assert.notEqual(neg.stroke, pos.stroke);
  assert.equal(end.biases.length, 7);
});

test("without a frame: weights only; without weights: neutral grey lines", () => {
  const frame = fullFrame();
  const m = diagramModel({ phase: "idle", phaseProgress: 0, frame: null, weights: frame.weights, sample: 0 }, layout);
  assert.ok(m.neurons.every((n) => n.text === ""));
  assert.ok(m.edges.every((e) => e.stroke.startsWith("rgb")));
  const blank = diagramModel({ phase: "idle", phaseProgress: 0, frame: null, weights: null, sample: 0 }, layout);
  assert.ok(blank.edges.every((e) => e.stroke === "#c9c9c9"));
  // weights of another shape (a new architecture, its job on the way) are not drawn
  const other = diagramModel({ phase: "idle", frame: null, weights: frame.weights, sample: 0 }, computeLayout([2, 4, 1]));
  assert.ok(other.edges.every((e) => e.value === null));
});

test("non-finite numbers (null) are drawn grey, not as a crash", () => {
  const f = fullFrame();
  f.layers[0].y[0][0] = null;
  f.weights[0][0][1] = null;
  const m = diagramModel({ phase: "idle", phaseProgress: 0, frame: f, weights: f.weights, prevWeights: f.weights, sample: 0 }, layout);
  assert.equal(byId(m.neurons, "1-0").text, "—");
  assert.equal(byId(m.edges, "1-0-0").stroke, "#9a9a9a");
});

test("dash gaps widen with the line", () => {
  const [d1, g1] = dashFor(1).split(" ").map(Number);
  const [d7, g7] = dashFor(7).split(" ").map(Number);
  assert.ok(d7 > d1 && g7 > g1 && g7 > 7 * 0.8);
});

test("neuron colours span the activation's range: sigmoid ½ is neutral, tanh 0 is", () => {
  const f = fullFrame();
  f.layers[0].y[0][0] = 0.5;
  f.layers[0].y[1][0] = 0.95;
  const base = { phase: "idle", phaseProgress: 0, frame: f, weights: f.weights, prevWeights: f.weights, sample: 0 };
  const sig = diagramModel({ ...base, spec: { network: { activation: "sigmoid", output_activation: "sigmoid" } } }, layout);
  assert.equal(byId(sig.neurons, "1-0").fill, "rgb(247, 247, 247)");
  assert.match(byId(sig.neurons, "1-1").fill, /^rgb\((\d+), (\d+), (\d+)\)$/);
  const [r, , b] = byId(sig.neurons, "1-1").fill.match(/\d+/g).map(Number);
  assert.ok(b > r, "0.95 is on the blue side");
  const tanh = diagramModel({ ...base, spec: { network: { activation: "tanh", output_activation: "sigmoid" } } }, layout);
  assert.notEqual(byId(tanh.neurons, "1-0").fill, "rgb(247, 247, 247)"); // 0.5 of tanh is positive
});
