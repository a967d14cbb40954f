// @ts-check
// Hints the page gives about a run, from what it already holds: dead ReLUs in the shown frame,
// and what the tolerance τ does next to the updates' size. Pure: no DOM.

import { fmt } from "./format.js";

/** @import { Frame, NeuronRef, Num } from "./types.js" */
/** @typedef {Pick<Frame, "layers" | "rows">} HintFrame  what the hints read of a frame */

/**
 * The hidden ReLU neurons that output y = 0 for every sample of a full frame ("dead": z ≤ 0 for
 * all of them, so ∂ℓ/∂z = 0 and their weights get no gradient from these rows): [{layer, index}]
 * with layer 1 … L − 1. Empty for other activations and for frames without layers.
 * @param {HintFrame | null | undefined} frame
 * @param {string} activation
 * @returns {NeuronRef[]}
 */
export function deadNeurons(frame, activation) {
  if (activation !== "relu" || !frame || !Array.isArray(frame.layers)) return [];
  /** @type {NeuronRef[]} */
  const dead = [];
  frame.layers.slice(0, -1).forEach((layer, l) => {
    (layer.y ?? []).forEach((row, index) => {
      if (Array.isArray(row) && row.length > 0 && row.every((y) => y === 0)) dead.push({ layer: l + 1, index });
    });
  });
  return dead;
}

/**
 * The largest power of ten at most a thousandth of `delta`: a τ at which updates have all but stopped.
 * @param {Num | undefined} delta
 * @returns {number | null}
 */
export function sensibleTolerance(delta) {
  if (delta === null || delta === undefined || !(delta > 0) || !Number.isFinite(delta)) return null;
  return Number(`1e${Math.floor(Math.log10(delta / 1000))}`);
}

/**
 * The dead-ReLU hint for a frame: {count, hidden, text}, or null when no hidden neuron is dead.
 * `hidden` is the number of hidden neurons the frame carries; `samples` how many rows it holds.
 * @param {HintFrame | null | undefined} frame
 * @param {string} activation
 * @param {number} alpha
 * @returns {{count: number, hidden: number, text: string} | null}
 */
export function deadReluHint(frame, activation, alpha) {
  const dead = deadNeurons(frame, activation);
  if (!dead.length || !frame?.layers) return null; // dead neurons come from a frame's layers
  const hidden = frame.layers.slice(0, -1).reduce((a, l) => a + (l.y?.length ?? 0), 0);
  const rows = frame.rows?.length ?? frame.layers[0].y[0].length;
  const shown = frame.layers[0].y[0]?.length ?? rows;
  const which = rows > shown ? `the ${shown} rows of this batch shown` : "every row of this batch";
  const names = dead.slice(0, 6).map((d) => `${d.layer}.${d.index + 1}`).join(", ") + (dead.length > 6 ? ", …" : "");
  return {
    count: dead.length,
    hidden,
    text: `${dead.length} of ${hidden} hidden ReLU neurons (layer.neuron ${names}) output 0 for ${which}: ` +
      "z ≤ 0, so ∂ℓ/∂z = 0 and their weights learn nothing from these rows. If they stay dead, " +
      `start again with a smaller learning rate (α = ${fmt(alpha)} now), another seed, or tanh.`,
  };
}

/**
 * What τ does here, given the last update's largest |ΔW| (`delta`, frames carry it as
 * max_delta) and the job's status: {level: "info" | "warn", text}, or null without an update.
 * The run converges once every |ΔW| < τ (the article's stopping rule).
 * @param {number} tolerance
 * @param {Num | undefined} delta
 * @param {string | undefined} status
 * @returns {{level: "info" | "warn", text: string} | null}
 */
export function toleranceHint(tolerance, delta, status) {
  if (delta === null || delta === undefined || !Number.isFinite(delta)) return null;
  const good = sensibleTolerance(delta);
  const suggest = good === null ? "" : ` A sensible τ is about a thousandth of the early updates, e.g. ${fmt(good)}.`;
  if (status === "converged") {
    return {
      level: "info",
      text: `Converged: every |ΔW| of the last update was below τ = ${fmt(tolerance)} (the largest ${fmt(delta)}).` +
        (tolerance >= 1e-2 ? ` That τ is large: the weights may still have been moving.${suggest}` : ""),
    };
  }
  if (!(tolerance > 0)) return { level: "info", text: `τ = 0: the run never stops early.${suggest}` };
  if (tolerance >= delta) {
    return { level: "warn", text: `τ = ${fmt(tolerance)} is above the last update's largest |ΔW| (${fmt(delta)}): ` +
      `the next update as small ends the run as converged.${suggest}` };
  }
  return { level: "info", text: `The run stops once every |ΔW| < τ = ${fmt(tolerance)}; the last update's largest was ${fmt(delta)}.` };
}
