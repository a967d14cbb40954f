// Downsampling a long loss history for drawing: per bucket of consecutive iterations keep the
// points with the smallest and the largest loss (in iteration order), so every spike and dip
// a pixel column could show is still drawn, with at most 2 points per bucket. Pure: no DOM.

/**
 * xs, ys: iterations and training losses (ys may hold null); ts: test losses aligned with xs
 * (mostly null). Returns [xs, ys, ts] of at most 2 × buckets points (the input itself when it
 * is that short already); a bucket's test loss, if any, rides on its first kept point.
 */
export function decimate(xs, ys, ts, buckets) {
  const n = xs.length;
  if (n <= 2 * buckets) return [xs, ys, ts];
  const ox = [], oy = [], ot = [];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor((b * n) / buckets);
    const stop = Math.floor(((b + 1) * n) / buckets);
    let lo = -1, hi = -1, test = null;
    for (let i = start; i < stop; i++) {
      const y = ys[i];
      if (ts[i] !== null && ts[i] !== undefined) test = ts[i];
      if (y === null || y === undefined || Number.isNaN(y)) continue;
      if (lo < 0 || y < ys[lo]) lo = i;
      if (hi < 0 || y > ys[hi]) hi = i;
    }
    const keep = lo < 0 ? [start] : lo === hi ? [lo] : lo < hi ? [lo, hi] : [hi, lo];
    keep.forEach((i, k) => {
      ox.push(xs[i]);
      oy.push(ys[i]);
      ot.push(k === 0 ? test : null);
    });
  }
  return [ox, oy, ot];
}
