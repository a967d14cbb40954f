// @ts-check
// Colours shared by the views: a colour-blind-safe diverging blue–orange scale for values,
// and a qualitative cycle for Figure 2's batches. Pure: numbers and strings, no DOM.

/** @typedef {[number, number, number]} RGB  red, green and blue, 0..255 integers */

// Diverging stops from −1 (orange) through a neutral near-white to +1 (blue): the orange
// half of ColorBrewer's PuOr and the blue half of RdBu, which stay apart for the common
// forms of colour blindness (they differ in lightness and along the blue–yellow axis).
/** @type {readonly [number, RGB][]} */
export const DIVERGING_STOPS = [
  [-1.0, [179, 88, 6]], // #b35806
  [-0.66, [224, 130, 20]], // #e08214
  [-0.33, [253, 184, 99]], // #fdb863
  [0.0, [247, 247, 247]], // #f7f7f7
  [0.33, [146, 197, 222]], // #92c5de
  [0.66, [67, 147, 195]], // #4393c3
  [1.0, [33, 102, 172]], // #2166ac
];

// Okabe & Ito's colour-blind-safe qualitative palette, without its black (kept for text).
export const BATCH_COLOURS = [
  "#009e73", // bluish green: the single batch of Figure 2's left panel is green
  "#e69f00", // orange
  "#56b4e9", // sky blue
  "#cc79a7", // reddish purple
  "#0072b2", // blue
  "#d55e00", // vermilion
  "#f0e442", // yellow
];

// A row that the current epoch has not drawn yet (shuffled order not known).
export const UNKNOWN_COLOUR = "#c8ccd2";

/**
 * t clamped to [−1, 1]; NaN (and null) become 0, the neutral middle.
 * @param {number | null} t
 */
function clampUnit(t) {
  if (t === null || Number.isNaN(t)) return 0;
  return Math.max(-1, Math.min(1, t));
}

/**
 * Each channel of `a` moved the fraction f ∈ [0, 1] of the way to `b`, rounded.
 * @param {RGB} a
 * @param {RGB} b
 * @param {number} f
 * @returns {RGB}
 */
function mix(a, b, f) {
  const at = (/** @type {number} */ i) => Math.round(a[i] + f * (b[i] - a[i]));
  return [at(0), at(1), at(2)];
}

/**
 * [r, g, b] (0..255 integers) of the diverging scale at t ∈ [−1, 1], linear between stops.
 * @param {number | null} t
 * @returns {RGB}
 */
export function diverging(t) {
  const x = clampUnit(t);
  for (let s = 1; s < DIVERGING_STOPS.length; s++) {
    const [t1, c1] = DIVERGING_STOPS[s];
    if (x <= t1) {
      const [t0, c0] = DIVERGING_STOPS[s - 1];
      return mix(c0, c1, (x - t0) / (t1 - t0));
    }
  }
  const [r, g, b] = DIVERGING_STOPS[DIVERGING_STOPS.length - 1][1];
  return [r, g, b];
}

const WHITE = /** @type {RGB} */ ([255, 255, 255]);

/**
 * [r, g, b] mixed with white by the fraction f ∈ [0, 1] (0: unchanged, 1: white).
 * @param {RGB} colour
 * @param {number} f
 * @returns {RGB}
 */
export function lighten(colour, f) {
  return mix(colour, WHITE, f);
}

/**
 * A CSS colour for an [r, g, b] triple, with optional alpha.
 * @param {RGB} colour
 * @param {number} [alpha]
 */
export function rgb([r, g, b], alpha = 1) {
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/**
 * A CSS linear-gradient of the diverging scale, −1 at the left (for legends), lightened by f.
 * @param {string} [direction]
 * @param {number} [f]
 */
export function divergingGradient(direction = "to right", f = 0) {
  const stops = DIVERGING_STOPS.map(([t, c]) => `${rgb(lighten(c, f))} ${((t + 1) * 50).toFixed(1)}%`);
  return `linear-gradient(${direction}, ${stops.join(", ")})`;
}

/**
 * The colour of batch `group` (0-based); the cycle repeats after BATCH_COLOURS.length.
 * @param {number} group
 */
export function batchColour(group) {
  if (!(group >= 0)) return UNKNOWN_COLOUR;
  return BATCH_COLOURS[group % BATCH_COLOURS.length];
}

/**
 * A size-entry RGB lookup table of the diverging scale over [−1, 1], lightened by f.
 * @param {number} [size]
 * @param {number} [f]
 */
export function divergingTable(size = 256, f = 0) {
  const table = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) {
    const c = lighten(diverging((i / (size - 1)) * 2 - 1), f);
    table.set(c, i * 3);
  }
  return table;
}
