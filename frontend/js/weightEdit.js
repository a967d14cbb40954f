// @ts-check
// Editing one weight by hand, as TensorFlow Playground lets you: which element of which W^i a
// diagram element is, whether the page may change it now, and reading the typed value. Pure.
// The change itself is PATCH /api/jobs/{id}/weights {layer, row, column, value}: `layer`
// indexes W^1 … W^L from 0, `row` is neuron j of layer i, `column` 0 the bias b^i_j and
// column m the weight from neuron m of layer i − 1 (the article's eqs. (3)–(4)).

import { owns } from "./selectors.js";

/** @import { Matrix, State } from "./types.js" */
/** @typedef {{layer: number, row: number, column: number}} WeightTarget  element [row, column] of W^(layer + 1) */

/** @type {readonly string[]} */
export const EDITABLE_STATUSES = ["paused", "idle"];
export const MAX_WEIGHT = 1e6;

const SUB = "₀₁₂₃₄₅₆₇₈₉";
const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
/** @param {number} n  written in subscript digits */
const sub = (n) => String(n).replace(/\d/g, (d) => SUB[Number(d)]);
/** @param {number} n  written in superscript digits */
const sup = (n) => String(n).replace(/\d/g, (d) => SUP[Number(d)]);

/**
 * The element of W a diagram id names: edge "L-j-i" (into neuron j of layer L from neuron i
 * of layer L − 1, 0-based) is {layer: L − 1, row: j, column: i + 1}; neuron "L-j" its bias,
 * column 0. Null for an input neuron or anything else.
 * @param {string | null | undefined} id
 * @returns {WeightTarget | null}
 */
export function weightTarget(id) {
  const parts = String(id).split("-").map(Number);
  if (parts.some((p) => !Number.isInteger(p) || p < 0)) return null;
  if (parts.length === 3 && parts[0] >= 1) return { layer: parts[0] - 1, row: parts[1], column: parts[2] + 1 };
  if (parts.length === 2 && parts[0] >= 1) return { layer: parts[0] - 1, row: parts[1], column: 0 };
  return null;
}

/**
 * The article's name of a target: "w₂,₁ of W¹" (eq. (3)) or "bias b₂ of W¹".
 * @param {WeightTarget} target
 * @returns {string}
 */
export function weightName({ layer, row, column }) {
  const matrix = `W${sup(layer + 1)}`;
  return column === 0 ? `bias b${sub(row + 1)} of ${matrix}` : `w${sub(row + 1)},${sub(column)} of ${matrix}`;
}

/**
 * The target's value in `weights` (W^1 … W^L), or null.
 * @param {Matrix[] | null | undefined} weights
 * @param {WeightTarget} target
 * @returns {number | null}
 */
export function weightValue(weights, { layer, row, column }) {
  const v = weights?.[layer]?.[row]?.[column];
  return typeof v === "number" ? v : null;
}

/**
 * A typed number ("−0.5", "1e-3", " 2 "), or null if the text is not one finite number.
 * @param {unknown} text
 * @returns {number | null}
 */
export function parseWeight(text) {
  const t = String(text).trim().replace(/[−–]/g, "-").replace(/^\+/, "");
  if (!/^-?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return null;
  const v = Number(t);
  return Number.isFinite(v) ? v : null;
}

/**
 * Why the shown weights cannot be edited now, or "" when they can: the page's own paused job
 * (or its preview, which becomes such a job), live, with no pass playing and nothing under way.
 * @param {State} state
 * @returns {string}
 */
export function editBlock(state) {
  if (!state.weights) return "There are no weights yet.";
  if (state.job && !owns(state)) return "Someone else's job: fork it to edit its weights.";
  if (state.replay !== null) return "A past iteration is shown: go back to live to edit.";
  const status = state.job?.status;
  if (status === "running" || state.playing) return "Pause the training to edit a weight.";
  if (state.job && !EDITABLE_STATUSES.includes(state.job.status)) return `The job is ${status}: reset it to edit its weights.`;
  if (state.busy) return "Wait for the request under way.";
  return "";
}
