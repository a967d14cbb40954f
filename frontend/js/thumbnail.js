// @ts-check
// A data set drawn small, for the picker: a 2-D set as its points on [−6, 6]² coloured by
// their target (TensorFlow Playground's thumbnails), a table (the article's rows, Figure 2's)
// as a grid of cells coloured by value, one scale per column. Pure: positions and colours.

import { EXTENT, targetRange, toPixel, toUnit } from "./heatmap.js";
import { diverging, rgb } from "./palette.js";

/** @import { Range } from "./heatmap.js" */
/** @import { DatasetSummary, Num } from "./types.js" */
/** @typedef {Pick<DatasetSummary, "kind" | "inputs" | "targets">} ThumbData  the rows a thumbnail draws */

export const MAX_THUMB_ROWS = 8;

/**
 * A target row as a value on [−1, 1]: class 0 orange, class 1 blue (one-hot: by argmax).
 * @param {Num[]} row
 * @param {string} kind
 * @param {Range} range
 * @returns {number}
 */
export function targetTone(row, kind, range) {
  if (kind === "classification") {
    // a data set holds no nulls; Number() only says what Math.max and >= would do with one
    const k = row.length > 1 ? row.indexOf(Math.max(...row.map(Number))) : Number(row[0]) >= 0.5 ? 1 : 0;
    const classes = Math.max(2, row.length);
    return classes === 2 ? (k === 1 ? 1 : -1) : -1 + (2 * k) / (classes - 1);
  }
  return toUnit(row[0], range);
}

/**
 * The points of a 2-D set (rows of [x1, x2, …]) on a size × size canvas: [{x, y, fill}].
 * @param {ThumbData} ds
 * @param {number} size
 * @returns {{x: number, y: number, fill: string}[]}
 */
export function thumbDots(ds, size) {
  const targets = ds.targets ?? [];
  const range = targetRange(ds.kind, targets);
  return (ds.inputs ?? []).map((x, r) => ({
    x: toPixel(x[0], size, false, -EXTENT, EXTENT),
    y: toPixel(x[1], size, true, -EXTENT, EXTENT),
    fill: rgb(diverging(targetTone(targets[r] ?? [0], ds.kind, range))),
  }));
}

/**
 * A table's first rows as cells: inputs then targets, each column from its lowest (orange) to
 * its highest value (blue); {rows, columns, split (the first target column), cells: [{row,
 * column, fill}]}.
 * @param {ThumbData} ds
 * @param {number} [maxRows]
 * @returns {{rows: number, columns: number, split: number,
 *   cells: {row: number, column: number, fill: string}[]}}
 */
export function thumbCells(ds, maxRows = MAX_THUMB_ROWS) {
  // a data set holds no nulls; Number() only says what the arithmetic would do with one
  const rows = (ds.inputs ?? []).slice(0, maxRows).map((x, r) => [...x, ...(ds.targets?.[r] ?? [])].map(Number));
  const columns = rows[0]?.length ?? 0;
  const ranges = Array.from({ length: columns }, (_, c) => {
    const values = rows.map((row) => row[c]);
    return /** @type {Range} */ ([Math.min(...values), Math.max(...values)]);
  });
  /**
   * @param {number} v
   * @param {Range} range
   */
  const tone = (v, [lo, hi]) => (hi > lo ? (2 * (v - lo)) / (hi - lo) - 1 : 0);
  /** @type {{row: number, column: number, fill: string}[]} */
  const cells = [];
  rows.forEach((row, r) => row.forEach((v, c) =>
    cells.push({ row: r, column: c, fill: rgb(diverging(tone(v, ranges[c]))) })));
  return { rows: rows.length, columns, split: ds.inputs?.[0]?.length ?? 0, cells };
}
