// @ts-check
// Which two parameters the loss landscape varies: a parameter is (layer, row, column) of W^1 …
// W^L — `layer` indexes them from 0, `row` is neuron j, column 0 the bias and column m the
// weight from neuron m of the layer before (the article's W^i of shape (n_i, 1 + n_{i−1})).
// The list of a network's parameters with their names, the "L,j,i" form the endpoint reads,
// and the default pair. Pure.

import { weightName } from "./weightEdit.js";

/** @typedef {{layer: number, row: number, column: number}} Param */
/** @typedef {(number | null)[][]} Matrix */

/**
 * The endpoint's form of a parameter: "layer,row,column".
 * @param {Param} p
 */
export function paramKey({ layer, row, column }) {
  return `${layer},${row},${column}`;
}

/**
 * A parameter from "layer,row,column" (three integers ≥ 0), or null.
 * @param {string} text
 * @returns {Param | null}
 */
export function parseParam(text) {
  const parts = String(text).split(",").map((t) => t.trim());
  if (parts.length !== 3 || parts.some((t) => !/^\d+$/.test(t))) return null;
  const [layer, row, column] = parts.map(Number);
  return { layer, row, column };
}

/**
 * The article's name of a parameter, as the weight editor gives it: "w₂,₁ of W¹" or "bias b₂ of W¹".
 * @param {Param} p
 */
export function paramName(p) {
  return weightName(p);
}

/**
 * Every parameter of `weights` (W^1 … W^L, each (n_i, 1 + n_{i−1})), layer by layer, row by
 * row, the bias first: at most `limit` of them (a wide network has too many for one list).
 * @param {readonly Matrix[] | null | undefined} weights
 * @param {number} [limit]
 * @returns {Param[]}
 */
export function parameters(weights, limit = 2000) {
  /** @type {Param[]} */
  const out = [];
  for (let layer = 0; layer < (weights?.length ?? 0); layer++) {
    const w = /** @type {readonly Matrix[]} */ (weights)[layer];
    for (let row = 0; row < w.length; row++) {
      for (let column = 0; column < w[row].length; column++) {
        if (out.length >= limit) return out;
        out.push({ layer, row, column });
      }
    }
  }
  return out;
}

/**
 * Whether `p` is an element of `weights`.
 * @param {readonly Matrix[] | null | undefined} weights
 * @param {Param | null} p
 */
export function inNetwork(weights, p) {
  if (!p || !weights) return false;
  const row = weights[p.layer]?.[p.row];
  return Array.isArray(row) && p.column < row.length;
}

/**
 * The pair shown before the reader picks one: the first two weights into the first neuron of
 * the last layer (w₁,₁ and w₁,₂ of W^L), else its bias and first weight; null without weights.
 * @param {readonly Matrix[] | null | undefined} weights
 * @returns {[Param, Param] | null}
 */
export function defaultPair(weights) {
  if (!weights || weights.length === 0) return null;
  const layer = weights.length - 1;
  const cols = weights[layer][0]?.length ?? 0;
  if (cols >= 3) return [{ layer, row: 0, column: 1 }, { layer, row: 0, column: 2 }];
  if (cols === 2) return [{ layer, row: 0, column: 0 }, { layer, row: 0, column: 1 }];
  return null;
}
