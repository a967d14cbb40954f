// Colours shared by the views: a colour-blind-safe diverging blue–orange scale for values,
// and a qualitative cycle for Figure 2's batches. Pure: numbers and strings, no DOM.

// Diverging stops from −1 (orange) through a neutral near-white to +1 (blue): the orange
// half of ColorBrewer's PuOr and the blue half of RdBu, which stay apart for the common
// forms of colour blindness (they differ in lightness and along the blue–yellow axis).
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

/** t clamped to [−1, 1]; NaN (and null) become 0, the neutral middle. */
function clampUnit(t) {
  if (t === null || Number.isNaN(t)) return 0;
  return Math.max(-1, Math.min(1, t));
}

/** [r, g, b] (0..255 integers) of the diverging scale at t ∈ [−1, 1], linear between stops. */
export function diverging(t) {
  const x = clampUnit(t);
  for (let s = 1; s < DIVERGING_STOPS.length; s++) {
    const [t1, c1] = DIVERGING_STOPS[s];
    if (x <= t1) {
      const [t0, c0] = DIVERGING_STOPS[s - 1];
      const f = (x - t0) / (t1 - t0);
      return [0, 1, 2].map((i) => Math.round(c0[i] + f * (c1[i] - c0[i])));
    }
  }
  return DIVERGING_STOPS[DIVERGING_STOPS.length - 1][1].slice();
}

/** [r, g, b] mixed with white by the fraction f ∈ [0, 1] (0: unchanged, 1: white). */
export function lighten([r, g, b], f) {
  return [r, g, b].map((v) => Math.round(v + (255 - v) * f));
}

/** A CSS colour for an [r, g, b] triple, with optional alpha. */
export function rgb([r, g, b], alpha = 1) {
  return alpha === 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** A CSS linear-gradient of the diverging scale, −1 at the left (for legends), lightened by f. */
export function divergingGradient(direction = "to right", f = 0) {
  const stops = DIVERGING_STOPS.map(([t, c]) => `${rgb(lighten(c, f))} ${((t + 1) * 50).toFixed(1)}%`);
  return `linear-gradient(${direction}, ${stops.join(", ")})`;
}

/** The colour of batch `group` (0-based); the cycle repeats after BATCH_COLOURS.length. */
export function batchColour(group) {
  if (!(group >= 0)) return UNKNOWN_COLOUR;
  return BATCH_COLOURS[group % BATCH_COLOURS.length];
}

/** A size-entry RGB lookup table of the diverging scale over [−1, 1], lightened by f. */
export function divergingTable(size = 256, f = 0) {
  const table = new Uint8ClampedArray(size * 3);
  for (let i = 0; i < size; i++) {
    const c = lighten(diverging((i / (size - 1)) * 2 - 1), f);
    table.set(c, i * 3);
  }
  return table;
}
