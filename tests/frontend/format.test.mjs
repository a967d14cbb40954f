import { test } from "node:test";
import assert from "node:assert/strict";
import { count, fmt, short } from "../../frontend/js/format.js";
import { diverging, inkOn, maxAbs, valueColor } from "../../frontend/js/color.js";
import { backoff, errorMessage, streamUrl } from "../../frontend/js/api.js";
import { fromEdge, fromNeuron, nearestEdge } from "../../frontend/js/views/networkKeys.js";
import { computeLayout } from "../../frontend/js/layout.js";

test("numbers: 4 significant digits, true minus signs, null as a dash", () => {
  assert.equal(fmt(0.067551234), "0.06755");
  assert.equal(fmt(-1.5), "−1.5");
  assert.equal(fmt(0), "0");
  assert.equal(fmt(1234567), "1.23e6");
  assert.equal(fmt(0.0000123), "1.23e−5");
  assert.equal(fmt(null), "—");
  assert.equal(fmt(Infinity), "∞");
  assert.equal(short(0.4254), "0.43");
  assert.equal(short(-0.004), "−4e−3");
  assert.equal(short(null), "—");
  assert.equal(count(12345), "12,345");
  assert.equal(count(null), "—");
});

test("colours: blue for positive, orange for negative, grey for missing", () => {
  const [pos, neg] = [diverging(1), diverging(-1)];
  assert.equal(pos, "rgb(33, 102, 172)");
  assert.equal(neg, "rgb(179, 88, 6)");
  assert.equal(valueColor(null), "#9a9a9a");
  assert.equal(valueColor(2, 2), pos);
  assert.equal(valueColor(-5, 2), neg); // clamped
  assert.equal(inkOn(0.9), "#fff");
  assert.equal(inkOn(0.1), "#1d1d1f");
  assert.equal(maxAbs([[1, -3], [null, [2]]]), 3);
});

test("422 details become one line and a field map", () => {
  const { message, fields } = errorMessage(422, {
    detail: [{ loc: ["body", "training", "learning_rate"], msg: "Input should be greater than 0", type: "x" }],
  });
  assert.equal(message, "training.learning_rate: Input should be greater than 0");
  assert.deepEqual(fields, { "training.learning_rate": "Input should be greater than 0" });
  assert.equal(errorMessage(409, { detail: "step: the job is running" }).message, "step: the job is running");
  assert.equal(errorMessage(500, null).message, "the server answered 500");
  const prefixed = errorMessage(422, { detail: [{ loc: ["body", "network", "layers"], msg: "network.layers: too big" }] });
  assert.equal(prefixed.message, "network.layers: too big");
});

test("reconnect back-off doubles up to 5 s; the stream URL follows the page", () => {
  assert.deepEqual([0, 1, 2, 5, 10].map(backoff), [250, 500, 1000, 5000, 5000]);
  assert.equal(streamUrl("a b", { protocol: "http:", host: "h:1" }), "ws://h:1/api/jobs/a%20b/stream");
  assert.equal(streamUrl("x", { protocol: "https:", host: "h" }), "wss://h/api/jobs/x/stream");
  assert.equal(streamUrl("x", { protocol: "http:", host: "h" }, "a&b"), "ws://h/api/jobs/x/stream?token=a%26b");
});

test("arrow keys walk the diagram: neurons up/down, weights left/right", () => {
  const lay = computeLayout([3, 5, 2]);
  assert.equal(fromNeuron(lay, "1-0", "ArrowDown"), '[data-neuron="1-1"]');
  assert.equal(fromNeuron(lay, "1-0", "ArrowUp"), null);
  assert.equal(fromNeuron(lay, "1-2", "ArrowLeft"), '[data-edge="1-2-0"]');
  assert.equal(fromNeuron(lay, "1-2", "ArrowRight"), '[data-edge="2-0-2"]');
  assert.equal(fromNeuron(lay, "2-0", "ArrowRight"), null);
  assert.equal(fromEdge(lay, "1-2-0", "ArrowDown"), '[data-edge="1-2-1"]');
  assert.equal(fromEdge(lay, "1-2-2", "ArrowDown"), null);
  assert.equal(fromEdge(lay, "1-2-1", "ArrowLeft"), '[data-neuron="0-1"]');
  assert.equal(fromEdge(lay, "1-2-1", "ArrowRight"), '[data-neuron="1-2"]');
});

test("the pointer picks the nearest weight line within reach", () => {
  const lay = computeLayout([3, 5, 2]);
  const e = lay.edges.find((x) => x.id === "2-1-3");
  const near = { x: e.x1 + (e.x2 - e.x1) * 0.3, y: e.y1 + (e.y2 - e.y1) * 0.3 + 2 };
  assert.equal(nearestEdge(lay.edges, near.x, near.y, 5).id, "2-1-3");
  assert.equal(nearestEdge(lay.edges, 1, 1, 5), null);
});

test("a neuron's number fits its width budget and never rounds a non-zero value to 0", async () => {
  const { fitNumber, numberForms, percent } = await import("../../frontend/js/format.js");
  const four = (t) => t.length <= 4;
  assert.equal(fitNumber(0.5312, four), "0.53");
  assert.equal(fitNumber(-0.5312, four), "−.53");
  assert.equal(fitNumber(3e49, four), "3e49"); // the label that spilled out of its neuron
  assert.equal(fitNumber(-3e49, four), "−e49"); // sign and order of magnitude
  assert.equal(fitNumber(8e-107, four), "≈0"); // too small to say in four characters
  assert.equal(fitNumber(8e-107, (t) => t.length <= 6), "8e−107");
  assert.equal(fitNumber(0.004, four), "4e−3");
  assert.equal(fitNumber(1234, four), "1234");
  assert.equal(fitNumber(-98765, four), "−99k");
  assert.equal(fitNumber(4.2e9, four), "4.2G");
  assert.equal(fitNumber(0, four), "0");
  assert.equal(fitNumber(null, four), "—");
  assert.equal(fitNumber(-Infinity, four), "−∞");
  assert.equal(fitNumber(NaN, four), "NaN");
  for (const v of [0.004, 0.0049, 1e-9, -2e-300]) {
    assert.ok(numberForms(v).every((t) => !/^−?0?\.?0*$/.test(t)), `${v} never reads as 0`);
  }
  // every form of a value fits the widest budget it was made for; a width model decides
  const wide = (t) => [...t].reduce((w, c) => w + (c === "−" ? 8 : 6.5), 0) <= 26;
  for (const v of [0.5312, -0.5312, 12.345, -3e49, 8e-107, 123456]) {
    assert.ok(wide(fitNumber(v, wide)) || ["≈0", "…"].includes(fitNumber(v, wide)));
  }
  assert.equal(percent(0.9351), "93.5 %");
  assert.equal(percent(null), "—");
});
