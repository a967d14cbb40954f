import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BATCH_COLOURS, DIVERGING_STOPS, UNKNOWN_COLOUR, batchColour, diverging, divergingGradient,
  divergingTable, lighten, rgb,
} from "../../frontend/js/palette.js";

test("the diverging scale runs orange → neutral → blue over [−1, 1]", () => {
  assert.deepEqual(diverging(-1), [179, 88, 6]);
  assert.deepEqual(diverging(0), [247, 247, 247]);
  assert.deepEqual(diverging(1), [33, 102, 172]);
  const [r, , b] = diverging(-0.5);
  assert.ok(r > b, "negative values are orange");
  const [r2, , b2] = diverging(0.5);
  assert.ok(b2 > r2, "positive values are blue");
});

test("out-of-range values clamp, NaN and null sit in the neutral middle", () => {
  assert.deepEqual(diverging(-7), diverging(-1));
  assert.deepEqual(diverging(42), diverging(1));
  assert.deepEqual(diverging(NaN), diverging(0));
  assert.deepEqual(diverging(null), diverging(0));
});

test("every channel stays within 0..255 and the lightness peaks in the middle", () => {
  const light = (c) => 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  for (let i = 0; i <= 200; i++) {
    const t = i / 100 - 1;
    const c = diverging(t);
    assert.ok(c.every((v) => Number.isInteger(v) && v >= 0 && v <= 255));
    if (t < 0) assert.ok(light(c) <= light(diverging(t + 0.01)) + 1e-9, "lighter towards 0");
    if (t > 0) assert.ok(light(c) <= light(diverging(t - 0.01)) + 1e-9, "lighter towards 0");
  }
});

test("lookup table ends match the scale's ends", () => {
  const table = divergingTable(256);
  assert.equal(table.length, 768);
  assert.deepEqual([...table.slice(0, 3)], diverging(-1));
  assert.deepEqual([...table.slice(765)], diverging(1));
});

test("batch colours cycle; unknown groups are grey", () => {
  assert.equal(batchColour(0), BATCH_COLOURS[0]);
  assert.equal(batchColour(BATCH_COLOURS.length), BATCH_COLOURS[0]);
  assert.notEqual(batchColour(1), batchColour(0));
  assert.equal(batchColour(-1), UNKNOWN_COLOUR);
});

test("CSS strings", () => {
  assert.equal(rgb([1, 2, 3]), "rgb(1, 2, 3)");
  assert.equal(rgb([1, 2, 3], 0.5), "rgba(1, 2, 3, 0.5)");
  const g = divergingGradient();
  assert.ok(g.startsWith("linear-gradient(to right, rgb(179, 88, 6) 0.0%"));
  assert.ok(g.endsWith("rgb(33, 102, 172) 100.0%)"));
  assert.equal(g.split("rgb(").length - 1, DIVERGING_STOPS.length);
});

test("lightening mixes with white; the legend and table follow it", () => {
  assert.deepEqual(lighten([0, 100, 255], 0), [0, 100, 255]);
  assert.deepEqual(lighten([0, 100, 255], 1), [255, 255, 255]);
  assert.deepEqual(lighten([0, 100, 255], 0.5), [128, 178, 255]);
  assert.ok(divergingGradient("to right", 0.3).startsWith(`linear-gradient(to right, ${rgb(lighten([179, 88, 6], 0.3))} 0.0%`));
  assert.deepEqual([...divergingTable(2, 0.3).slice(0, 3)], lighten(diverging(-1), 0.3));
});
