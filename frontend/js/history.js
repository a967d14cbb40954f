// The loss history as the stream delivers it: chunks {start, loss, test, reset?} appended to
// one array per series. Pure; the arrays are appended in place (they can hold millions of
// values) and a new wrapper object says "changed".

export function emptyHistory(version = 0) {
  return { loss: [], test: [], version };
}

/** The history after a chunk: losses of iterations start + 1…, test pairs [iteration, ℓ]. */
export function appendHistory(h, chunk) {
  let loss = h.loss;
  let test = h.test;
  const start = chunk.start ?? 0;
  if (chunk.reset || start === 0) {
    loss = (chunk.loss ?? []).slice();
    test = (chunk.test ?? []).slice();
  } else {
    if (start < loss.length) loss = loss.slice(0, start); // overlap: the chunk wins
    else if (start > loss.length) loss = loss.concat(new Array(start - loss.length).fill(null));
    for (const v of chunk.loss ?? []) loss.push(v);
    if (chunk.test?.length) {
      const last = test.length ? test[test.length - 1][0] : -Infinity;
      const fresh = chunk.test.filter((p) => p[0] > last);
      if (fresh.length) test = test.concat(fresh);
    }
  }
  return { loss, test, version: h.version + 1 };
}
