import { test } from "node:test";
import assert from "node:assert/strict";
import {
  BASE_DURATIONS, PHASES, createPlayer, durations, ease, edgeState, nextPhase, neuronState,
  phaseNumber, playerStep, pulsePosition, pulseSegment,
} from "../../frontend/js/animation.js";

const TABLE = durations(1);
const tick = (p, dt) => playerStep(p, { type: "tick", dt, durations: TABLE });

test("an iteration is forward, loss, backward, update", () => {
  assert.deepEqual(PHASES, ["forward", "loss", "backward", "update"]);
  assert.equal(nextPhase("forward"), "loss");
  assert.equal(nextPhase("update"), null);
  assert.equal(phaseNumber("backward"), 3);
  assert.equal(phaseNumber("idle"), 0);
  assert.equal(durations(2).forward, BASE_DURATIONS.forward / 2);
  assert.equal(durations(0).forward, BASE_DURATIONS.forward); // nonsense speeds fall back to 1
});

test("ease runs 0 → 1, symmetric, clamped", () => {
  assert.equal(ease(0), 0);
  assert.equal(ease(1), 1);
  assert.equal(ease(0.5), 0.5);
  assert.equal(ease(-1), 0);
  assert.equal(ease(2), 1);
  assert.ok(Math.abs(ease(0.25) + ease(0.75) - 1) < 1e-12);
});

test("the forward pulse goes input → output, the backward one output → input", () => {
  assert.equal(pulsePosition(0, 3, "forward"), 0);
  assert.equal(pulsePosition(1, 3, "forward"), 2);
  assert.equal(pulsePosition(0, 3, "backward"), 2);
  assert.equal(pulsePosition(1, 3, "backward"), 0);
  assert.deepEqual(pulseSegment(0.25, 3, "forward"), { layer: 1, along: 0.5 });
  assert.deepEqual(pulseSegment(0.75, 3, "forward"), { layer: 2, along: 0.5 });
  assert.deepEqual(pulseSegment(0.25, 3, "backward"), { layer: 2, along: 0.5 });
  assert.equal(pulseSegment(0.5, 3, "forward"), null); // on the hidden column
});

test("neurons light up as the forward pulse reaches their layer", () => {
  assert.equal(neuronState(0, 0, 3, "forward"), "done"); // the inputs are given
  assert.equal(neuronState(1, 0.4, 3, "forward"), "pending");
  assert.equal(neuronState(1, 0.5, 3, "forward"), "done");
  assert.equal(neuronState(2, 0.99, 3, "forward"), "pending");
  assert.equal(neuronState(2, 1, 3, "forward"), "done");
  assert.equal(edgeState(1, 0.25, 3, "forward"), "active");
  assert.equal(edgeState(2, 0.25, 3, "forward"), "pending");
  assert.equal(edgeState(1, 0.75, 3, "forward"), "done");
});

test("∂ℓ/∂z appears from the output back; the input layer has none", () => {
  assert.equal(neuronState(2, 0, 3, "backward"), "done");
  assert.equal(neuronState(1, 0.25, 3, "backward"), "pending");
  assert.equal(neuronState(1, 0.5, 3, "backward"), "done");
  assert.equal(neuronState(0, 1, 3, "backward"), "pending");
  assert.equal(edgeState(2, 0.25, 3, "backward"), "active");
  assert.equal(edgeState(1, 0.25, 3, "backward"), "pending");
  assert.equal(edgeState(2, 0.75, 3, "backward"), "done");
});

test("play fetches an iteration, then animates the four phases and fetches the next", () => {
  let { player, commands } = playerStep(createPlayer(), "play");
  assert.deepEqual(commands, ["fetch-iteration"]);
  assert.equal(player.awaiting, true);
  ({ player } = playerStep(player, "frame"));
  assert.equal(player.phase, "forward");
  assert.equal(player.running, true);
  ({ player, commands } = tick(player, TABLE.forward / 2));
  assert.equal(player.phase, "forward");
  assert.equal(player.progress, 0.5);
  ({ player } = tick(player, TABLE.forward / 2 + TABLE.loss / 2)); // carries over into loss
  assert.equal(player.phase, "loss");
  assert.ok(Math.abs(player.progress - 0.5) < 1e-9);
  ({ player, commands } = tick(player, TABLE.loss + TABLE.backward + TABLE.update));
  assert.deepEqual(commands, ["fetch-iteration"]);
  assert.equal(player.phase, "update");
  assert.equal(player.progress, 1);
  assert.equal(player.awaiting, true);
});

test("step-phase plays one phase and holds at its end", () => {
  let { player, commands } = playerStep(createPlayer(), "step-phase");
  assert.deepEqual(commands, ["fetch-iteration"]);
  ({ player } = playerStep(player, "frame"));
  ({ player } = tick(player, 10 * TABLE.forward));
  assert.deepEqual([player.phase, player.progress, player.running], ["forward", 1, false]);
  for (const phase of ["loss", "backward", "update"]) {
    ({ player, commands } = playerStep(player, "step-phase"));
    assert.deepEqual(commands, []);
    assert.deepEqual([player.phase, player.progress, player.running], [phase, 0, true]);
    ({ player } = tick(player, 10 * TABLE[phase]));
    assert.deepEqual([player.phase, player.progress, player.running], [phase, 1, false]);
  }
  ({ commands } = playerStep(player, "step-phase")); // after the update: the next iteration
  assert.deepEqual(commands, ["fetch-iteration"]);
});

test("step-iteration plays the rest of the iteration and stops after the update", () => {
  let { player } = playerStep(createPlayer(), "step-iteration");
  ({ player } = playerStep(player, "frame"));
  const { player: end, commands } = tick(player, 60_000);
  assert.deepEqual(commands, []);
  assert.deepEqual([end.phase, end.progress, end.running], ["update", 1, false]);
});

test("pause freezes the animation where it is; play goes on from there", () => {
  let { player } = playerStep(createPlayer(), "play");
  ({ player } = playerStep(player, "frame"));
  ({ player } = tick(player, TABLE.forward / 4));
  ({ player } = playerStep(player, "pause"));
  const frozen = tick(player, 5000).player;
  assert.equal(frozen.progress, 0.25);
  const { player: again, commands } = playerStep(frozen, "play");
  assert.deepEqual(commands, []);
  assert.equal(again.running, true);
});

test("step-epoch fetches without animation and ends idle; failures and resets go idle", () => {
  let { player, commands } = playerStep(createPlayer(), "step-epoch");
  assert.deepEqual(commands, ["fetch-epoch"]);
  ({ player } = playerStep(player, "frame"));
  assert.deepEqual(player, createPlayer());
  ({ player } = playerStep(playerStep(createPlayer(), "play").player, "failed"));
  assert.deepEqual(player, createPlayer());
  assert.deepEqual(playerStep(player, "reset").player, createPlayer());
});

test("requests while a fetch is under way are ignored", () => {
  const { player } = playerStep(createPlayer(), "step-phase");
  for (const e of ["step-phase", "step-iteration", "step-epoch"]) {
    assert.deepEqual(playerStep(player, e).commands, []);
  }
  assert.equal(playerStep(player, "play").player.goal, "continuous");
});

test("the last frame there is plays to its end, then the player stops instead of fetching", () => {
  const table = durations(1);
  let { player } = playerStep(createPlayer(), "play");
  ({ player } = playerStep(player, "frame"));
  ({ player } = playerStep(player, "last"));
  assert.equal(player.running, true);
  assert.notEqual(player.goal, "continuous");
  const total = Object.values(table).reduce((a, b) => a + b, 0);
  const { player: end, commands } = playerStep(player, { type: "tick", dt: total + 10, durations: table });
  assert.deepEqual(commands, []);
  assert.equal(end.running, false);
  assert.equal(end.phase, "update");
  // a step goal is left as it is
  const step = playerStep(playerStep(createPlayer(), "step-phase").player, "frame").player;
  assert.deepEqual(playerStep(step, "last").player, step);
});
