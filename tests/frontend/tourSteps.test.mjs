import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { stepFrom, targetIds, TOUR_STEPS } from "../../frontend/js/tourSteps.js";

const page = readFileSync(new URL("../../frontend/index.html", import.meta.url), "utf8");
const ids = new Set([...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]));

test("the tour follows the article: network, forward, loss, backward, update, then iterations, batches, epochs", () => {
  assert.deepEqual(TOUR_STEPS.map((s) => s.id),
    ["network", "forward", "loss", "backward", "update", "iteration", "batches", "epochs"]);
  const cite = Object.fromEntries(TOUR_STEPS.map((s) => [s.id, s.cite]));
  assert.match(cite.network, /Figure 1/);
  assert.match(cite.forward, /\(1\)–\(2\)/);
  assert.match(cite.loss, /\(5\)/);
  assert.match(cite.backward, /\(6\)–\(7\)/);
  assert.match(cite.batches, /Figure 2/);
  assert.deepEqual(TOUR_STEPS.filter((s) => s.phase).map((s) => s.phase), ["forward", "loss", "backward", "update"]);
});

test("every step's targets are panels of index.html, and it has words and an equation", () => {
  for (const id of targetIds()) assert.ok(ids.has(id), `#${id} is not in index.html`);
  for (const s of TOUR_STEPS) {
    assert.ok(s.targets.length >= 1 && s.targets.every((t) => /^#[\w-]+$/.test(t)), s.id);
    assert.ok(s.title && s.text.length > 120 && s.tex, s.id);
    assert.ok(Array.isArray(s.parts) && s.parts.length >= 1, s.id);
  }
  assert.ok(ids.has("tour") && ids.has("learn"), "the tour's dialog and its button");
});

test("next and back stay within the tour; next after the last ends it", () => {
  assert.equal(stepFrom(0, -1), 0);
  assert.equal(stepFrom(0, 1), 1);
  assert.equal(stepFrom(TOUR_STEPS.length - 2, 1), TOUR_STEPS.length - 1);
  assert.equal(stepFrom(TOUR_STEPS.length - 1, 1), null);
});
