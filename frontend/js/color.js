// @ts-check
// Colours of the diagram, pure. Sign is shown on the page's shared blue–orange diverging scale
// (palette.js: safe for the common forms of colour blindness); the diagram adds a second
// encoding (dash, width) wherever sign matters.

import { diverging as divergingRgb, rgb } from "./palette.js";

export const MISSING = "#9a9a9a"; // a non-finite number
export const FORWARD_PULSE = "#0f8a6a"; // teal-green: the forward pass
export const BACKWARD_PULSE = "#c51b7d"; // magenta: the backward pass (PiYG's two ends)

/**
 * t ∈ [−1, 1] → CSS colour: orange for negative, blue for positive, near-white at 0.
 * @param {number | null} t
 */
export function diverging(t) {
  if (t === null || Number.isNaN(t)) return MISSING;
  return rgb(divergingRgb(t));
}

/**
 * A value's colour relative to `scale` (its |value| at full colour).
 * @param {number | null | undefined} value
 * @param {number} [scale]
 */
export function valueColor(value, scale = 1) {
  if (value === null || value === undefined || !Number.isFinite(value)) return MISSING;
  return diverging(scale > 0 ? value / scale : 0);
}

/**
 * Text colour readable on top of diverging(t).
 * @param {number | null} t
 */
export function inkOn(t) {
  if (t === null || !Number.isFinite(t)) return "#111";
  return Math.abs(t) > 0.55 ? "#fff" : "#1d1d1f";
}

/** @typedef {number | null | undefined | Nested[]} Nested  a number or nested arrays of them */

/**
 * Largest finite |v| of a nested array of numbers (nulls skipped), or 0.
 * @param {Nested} values
 */
export function maxAbs(values) {
  let m = 0;
  /** @param {Nested} v */
  const walk = (v) => {
    if (Array.isArray(v)) for (const x of v) walk(x);
    else if (typeof v === "number" && Number.isFinite(v)) m = Math.max(m, Math.abs(v));
  };
  walk(values);
  return m;
}
