// @ts-check
// Pure timeline of "explain" mode: one iteration plays as four phases (forward, loss,
// backward, update), and a small state machine decides when to ask the server for the next
// iteration. No DOM, no clocks: callers pass elapsed milliseconds.

/** @import { Phase } from "./types.js" */
/** @typedef {Exclude<Phase, "idle">} PassPhase  one of the four phases of an iteration */
/** @typedef {"forward" | "backward"} Direction  which way a pass's pulse runs */
/** @typedef {"pending" | "active" | "done"} PassState  of the neurons or edges of a layer */
/** @typedef {Record<PassPhase, number>} Durations  milliseconds per phase */
/** @typedef {"continuous" | "phase" | "iteration" | "epoch" | "none"} Goal  what the user asked for */
/** @typedef {"fetch-iteration" | "fetch-epoch"} Command  for the caller to carry out */
/** @typedef {{phase: Phase, progress: number, running: boolean, goal: Goal, awaiting: boolean}} Player */
/** @typedef {{player: Player, commands: Command[]}} Step  a player and what it asks for */
/**
 * @typedef {"play" | "pause" | "step-phase" | "step-iteration" | "step-epoch" | "frame" | "failed"
 *   | "reset" | "last" | {type: "tick", dt: number, durations: Durations}} PlayerEvent
 */

/** @type {PassPhase[]} */
export const PHASES = ["forward", "loss", "backward", "update"];

/**
 * Milliseconds per phase at speed 1.
 * @type {Durations}
 */
export const BASE_DURATIONS = { forward: 1600, loss: 1000, backward: 1600, update: 1000 };

/**
 * Phase durations at a speed multiplier (> 0); faster speeds shorten every phase.
 * @param {number} [speed]
 * @returns {Durations}
 */
export function durations(speed = 1) {
  const s = speed > 0 && Number.isFinite(speed) ? speed : 1;
  /** @type {Durations} */
  const out = { ...BASE_DURATIONS };
  for (const p of PHASES) out[p] = BASE_DURATIONS[p] / s;
  return out;
}

/**
 * The phase after `phase`, or null after "update".
 * @param {Phase} phase
 * @returns {PassPhase | null}
 */
export function nextPhase(phase) {
  const i = phaseNumber(phase) - 1;
  return i >= 0 && i < PHASES.length - 1 ? PHASES[i + 1] : null;
}

/**
 * 1-based number of a phase (0 for idle).
 * @param {Phase | string} phase
 * @returns {number}
 */
export function phaseNumber(phase) {
  return PHASES.indexOf(/** @type {PassPhase} */ (phase)) + 1;
}

/**
 * Cubic ease-in-out of t ∈ [0, 1].
 * @param {number} t
 * @returns {number}
 */
export function ease(t) {
  const x = Math.min(1, Math.max(0, t));
  return x < 0.5 ? 4 * x * x * x : 1 - (-2 * x + 2) ** 3 / 2;
}

/**
 * a + (b − a)·t: from a at t = 0 to b at t = 1.
 * @param {number} a
 * @param {number} b
 * @param {number} t
 * @returns {number}
 */
export function lerp(a, b, t) {
  return a + (b - a) * t;
}

/**
 * Where a pass's pulse is, in column units: 0 at the input layer, n − 1 at the output.
 * The forward pulse moves 0 → n − 1, the backward pulse n − 1 → 0, as progress goes 0 → 1.
 * @param {number} progress
 * @param {number} layers  columns, input layer included
 * @param {Direction} [direction]
 * @returns {number}
 */
export function pulsePosition(progress, layers, direction = "forward") {
  const span = Math.max(1, layers - 1);
  const p = Math.min(1, Math.max(0, progress));
  return direction === "forward" ? p * span : (1 - p) * span;
}

/**
 * The edges the pulse is crossing: {layer, along} with edges into `layer` and `along` ∈ [0, 1]
 * measured from the source (layer − 1) side; null when it sits on a column.
 * @param {number} progress
 * @param {number} layers
 * @param {Direction} [direction]
 * @returns {{layer: number, along: number} | null}
 */
export function pulseSegment(progress, layers, direction = "forward") {
  const s = pulsePosition(progress, layers, direction);
  const layer = Math.min(layers - 1, Math.floor(s) + 1);
  const along = s - (layer - 1);
  if (along <= 0 || along >= 1) return null;
  return { layer, along };
}

/**
 * State of the neurons of `layer` during a pass: "done" once the pulse has reached them,
 * "pending" before. In the backward pass the input layer has no ∂ℓ/∂z and stays "pending".
 * @param {number} layer
 * @param {number} progress
 * @param {number} layers
 * @param {Direction} [direction]
 * @returns {"pending" | "done"}
 */
export function neuronState(layer, progress, layers, direction = "forward") {
  const s = pulsePosition(progress, layers, direction);
  if (direction === "forward") return s >= layer - 1e-9 ? "done" : "pending";
  if (layer === 0) return "pending";
  return s <= layer + 1e-9 ? "done" : "pending";
}

/**
 * State of the edges into `layer` during a pass: "pending", "active" (pulse on them), "done".
 * @param {number} layer
 * @param {number} progress
 * @param {number} layers
 * @param {Direction} [direction]
 * @returns {PassState}
 */
export function edgeState(layer, progress, layers, direction = "forward") {
  const s = pulsePosition(progress, layers, direction);
  const lo = layer - 1;
  if (direction === "forward") return s >= layer ? "done" : s > lo ? "active" : "pending";
  return s <= lo ? "done" : s < layer ? "active" : "pending";
}

// ------------------------------------------------------------------ the player

/**
 * The explain-mode player. `phase` is "idle" or one of PHASES and `progress` ∈ [0, 1] its part
 * played; `running` says the clock advances; `goal` is what the user asked for: "continuous"
 * (play), "phase" / "iteration" (step), "epoch" (step an epoch, no animation) or "none";
 * `awaiting` is true while the next iteration is being fetched.
 * @returns {Player}
 */
export function createPlayer() {
  return { phase: "idle", progress: 0, running: false, goal: "none", awaiting: false };
}

/**
 * True when nothing is left to play of the iteration.
 * @param {Player} p
 * @returns {boolean}
 */
function finished(p) {
  return p.phase === "idle" || (p.phase === "update" && p.progress >= 1);
}

/**
 * The player waiting for the next iteration (or epoch) towards `goal`, and the fetch.
 * @param {Player} p
 * @param {Goal} goal
 * @param {Command} [command]
 * @returns {Step}
 */
function fetchNext(p, goal, command = "fetch-iteration") {
  return { player: { ...p, goal, awaiting: true, running: false }, commands: [command] };
}

/**
 * Apply an event; returns {player, commands} where commands are "fetch-iteration" or
 * "fetch-epoch" for the caller to carry out (then send "frame" or "failed").
 * Events: play, pause, step-phase, step-iteration, step-epoch, frame, failed, reset, last (the
 * frame being played is the last one there is: play it to its end, then stop),
 * {type: "tick", dt, durations}.
 * @param {Player} p
 * @param {PlayerEvent} event
 * @returns {Step}
 */
export function playerStep(p, event) {
  const type = typeof event === "string" ? event : event.type;
  /** @type {Step} */
  const same = { player: p, commands: [] };
  switch (type) {
    case "play":
      if (p.awaiting) return { player: { ...p, goal: "continuous" }, commands: [] };
      if (finished(p)) return fetchNext(p, "continuous");
      return { player: { ...p, goal: "continuous", running: true }, commands: [] };
    case "pause":
      return { player: { ...p, goal: "none", running: false }, commands: [] };
    case "step-phase":
      if (p.awaiting) return same;
      if (finished(p)) return fetchNext(p, "phase");
      if (p.progress < 1) return { player: { ...p, goal: "phase", running: true }, commands: [] };
      return {
        player: { ...p, phase: nextPhase(p.phase) ?? "idle", progress: 0, goal: "phase", running: true },
        commands: [],
      };
    case "step-iteration":
      if (p.awaiting) return same;
      if (finished(p)) return fetchNext(p, "iteration");
      return { player: { ...p, goal: "iteration", running: true }, commands: [] };
    case "step-epoch":
      if (p.awaiting) return same;
      return fetchNext(p, "epoch", "fetch-epoch");
    case "frame":
      if (p.goal === "epoch") return { player: createPlayer(), commands: [] };
      return {
        player: { ...p, awaiting: false, phase: "forward", progress: 0, running: p.goal !== "none" },
        commands: [],
      };
    case "last":
      return p.goal === "continuous" ? { player: { ...p, goal: "iteration" }, commands: [] } : same;
    case "failed":
    case "reset":
      return { player: createPlayer(), commands: [] };
    case "tick":
      return typeof event === "string" ? same : tick(p, event.dt, event.durations);
    default:
      return same;
  }
}

/**
 * The player `dt` milliseconds later, phases lasting `table`'s times.
 * @param {Player} p
 * @param {number} dt
 * @param {Durations} table
 * @returns {Step}
 */
function tick(p, dt, table) {
  if (p.phase === "idle" || !p.running) return { player: p, commands: [] };
  /** @type {PassPhase} */
  let phase = p.phase;
  let { progress } = p;
  let left = Math.max(0, dt);
  for (;;) {
    const length = Math.max(1, table[phase]);
    const need = (1 - progress) * length;
    if (left < need) {
      return { player: { ...p, phase, progress: progress + left / length }, commands: [] };
    }
    left -= need;
    progress = 1;
    const done = { ...p, phase, progress: 1 };
    if (p.goal === "phase") return { player: { ...done, running: false, goal: "none" }, commands: [] };
    const next = nextPhase(phase);
    if (next === null) {
      if (p.goal === "continuous") return fetchNext(done, "continuous");
      return { player: { ...done, running: false, goal: "none" }, commands: [] };
    }
    phase = next;
    progress = 0;
  }
}
