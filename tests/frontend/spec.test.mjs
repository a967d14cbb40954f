import { test } from "node:test";
import assert from "node:assert/strict";
import {
  addLayer, addNeuron, canAddNeuron, canRemoveNeuron, cloneSpec, fitToDataset, inputWidth,
  iterationsPerEpoch, parseHidden, removeLayer, removeNeuron, sameRun, setHidden, trainingRows,
  validate,
} from "../../frontend/js/spec.js";
import { readUrl, specFromParams, specToParams, writeUrl } from "../../frontend/js/url.js";
import { OPTIONS } from "./fixtures.mjs";

const base = () => fitToDataset(cloneSpec(OPTIONS.defaults), OPTIONS);
const withData = (name, over = {}) => fitToDataset({ ...base(), dataset: { ...base().dataset, name, ...over } }, OPTIONS);

test("the default spec is Figure 1's valid 3-5-2 network", () => {
  assert.deepEqual(base().network.layers, [3, 5, 2]);
  assert.deepEqual(validate(base(), OPTIONS), {});
});

test("the data set sizes the input and output layers", () => {
  const circle = withData("circle");
  assert.deepEqual(circle.network.layers, [2, 5, 2]); // 2 outputs are allowed for circle
  const plane = withData("plane");
  assert.deepEqual(plane.network.layers, [2, 5, 1]);
  const featured = withData("circle", { features: ["x1_squared", "x2_squared"] });
  assert.equal(inputWidth(featured, OPTIONS), 4);
  assert.equal(featured.network.layers[0], 4);
  assert.deepEqual(withData("article", { features: ["x1_squared"] }).dataset.features, []);
});

test("hidden layers: parse, set, add, remove", () => {
  assert.deepEqual(parseHidden("4, 4"), [4, 4]);
  assert.deepEqual(parseHidden("8-8 8"), [8, 8, 8]);
  assert.deepEqual(parseHidden(""), []);
  assert.equal(parseHidden("4, a"), null);
  assert.equal(parseHidden("4.5"), null);
  const s = setHidden(withData("plane"), [4, 4]);
  assert.deepEqual(s.network.layers, [2, 4, 4, 1]);
  assert.deepEqual(addLayer(s, OPTIONS).network.layers, [2, 4, 4, 4, 1]);
  assert.deepEqual(removeLayer(s).network.layers, [2, 4, 1]);
  assert.deepEqual(removeLayer(s, 1).network.layers, [2, 4, 1]);
  assert.deepEqual(removeLayer(setHidden(s, [])).network.layers, [2, 1]); // nothing left to remove
  assert.deepEqual(addLayer(setHidden(s, []), OPTIONS).network.layers, [2, 4, 1]);
});

test("neurons: hidden layers take any count, inputs and outputs what the data allows", () => {
  const s = base();
  assert.deepEqual(addNeuron(s, OPTIONS, 1).network.layers, [3, 6, 2]);
  assert.deepEqual(removeNeuron(s, OPTIONS, 1).network.layers, [3, 4, 2]);
  assert.equal(canAddNeuron(s, OPTIONS, 0), false);
  assert.equal(canRemoveNeuron(s, OPTIONS, 2), false);
  const circle = withData("circle");
  assert.equal(canRemoveNeuron(circle, OPTIONS, 2), true);
  assert.deepEqual(removeNeuron(circle, OPTIONS, 2).network.layers, [2, 5, 1]);
  assert.equal(canAddNeuron(removeNeuron(circle, OPTIONS, 2), OPTIONS, 2), true);
  const one = setHidden(s, [1]);
  assert.equal(canRemoveNeuron(one, OPTIONS, 1), false);
  assert.equal(removeNeuron(one, OPTIONS, 1), one);
});

test("validation uses the server's limits and names the field", () => {
  const bad = (path, value) => {
    const s = base();
    const [section, key] = path.split(".");
    s[section][key] = value;
    return validate(s, OPTIONS)[path];
  };
  assert.match(bad("training.learning_rate", -1), /Learning rate/);
  assert.match(bad("training.learning_rate", 0), /Learning rate/);
  assert.match(bad("training.learning_rate", NaN), /Learning rate/);
  assert.match(bad("training.learning_rate", 2e6), /≤ 1000000/);
  assert.equal(bad("training.learning_rate", 1e6), undefined);
  assert.match(bad("training.epochs", 0), /Epochs/);
  assert.match(bad("training.epochs", 1.5), /Epochs/);
  assert.match(bad("training.batch_size", 0), /Batch size/);
  assert.match(bad("training.tolerance", -0.1), /Tolerance/);
  assert.match(bad("training.seed", -1), /Seed/);
  assert.match(bad("dataset.test_fraction", 0.95), /Test split/);
  assert.match(bad("network.layers", [3, 0, 2]), /neurons/);
  assert.match(bad("network.layers", [3, 1025, 2]), /neurons/);
  assert.match(bad("network.layers", [3, NaN, 2]), /neurons/);
  assert.match(bad("network.layers", Array(13).fill(2)), /layers/);
  const s = base();
  s.training.loss = "cross_entropy";
  s.network.output_activation = "linear";
  assert.match(validate(s, OPTIONS)["training.loss"], /sigmoid or softmax/);
  s.dataset.name = "circle";
  s.dataset.samples = 0;
  assert.match(validate(fitToDataset(s, OPTIONS), OPTIONS)["dataset.samples"], /Samples/);
});

test("a run longer than max_iterations is refused", () => {
  const s = withData("circle", { samples: 5000 });
  s.training.mode = "sgd";
  s.training.epochs = 1000;
  assert.match(validate(s, OPTIONS)["training.epochs"], /exceed/);
});

test("Figure 2's arithmetic: iterations per epoch", () => {
  assert.equal(iterationsPerEpoch("batch", 6, 2), 1);
  assert.equal(iterationsPerEpoch("sgd", 6, 2), 6);
  assert.equal(iterationsPerEpoch("minibatch", 6, 2), 3);
  assert.equal(iterationsPerEpoch("minibatch", 7, 2), 4);
  assert.equal(iterationsPerEpoch("minibatch", 3, 10), 1);
  assert.equal(trainingRows(base(), OPTIONS), 6);
  assert.equal(trainingRows(withData("circle", { samples: 200, test_fraction: 0.25 }), OPTIONS), 150);
});

test("the URL round-trips the spec, the mode and the job", () => {
  const s = setHidden(withData("circle", { noise: 0.2, features: ["x1_x2"] }), [4, 4]);
  s.training.learning_rate = 0.03;
  s.training.shuffle = true;
  const params = specToParams(s);
  assert.equal(params.get("layers"), "3-4-4-2");
  const back = specFromParams(new URLSearchParams(params.toString()), OPTIONS.defaults);
  assert.ok(sameRun(back, s));
  const url = writeUrl(s, "train", "abc");
  const read = readUrl(url, OPTIONS.defaults);
  assert.equal(read.mode, "train");
  assert.equal(read.job, "abc");
  assert.ok(sameRun(read.spec, s));
});

test("unreadable URL values keep the defaults", () => {
  const s = specFromParams(new URLSearchParams("lr=abc&layers=3-x-2&epochs=&seed=7"), OPTIONS.defaults);
  assert.equal(s.training.learning_rate, 0.5);
  assert.deepEqual(s.network.layers, [3, 5, 2]);
  assert.equal(s.training.epochs, 1000);
  assert.equal(s.training.seed, 7);
  assert.equal(readUrl("", OPTIONS.defaults).mode, "explain");
});

test("sameRun ignores start, speed and features null vs []", () => {
  const a = base();
  const b = { ...cloneSpec(a), start: "paused", speed: 10 };
  b.dataset.features = null;
  assert.ok(sameRun(a, b));
  b.training.learning_rate = 0.1;
  assert.ok(!sameRun(a, b));
  assert.ok(!sameRun(a, null));
});
