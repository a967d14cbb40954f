// Latest wins: a value asked for while a request is in flight waits for it, and only the newest
// waiting value is sent next. Dragging the replay timeline over a thousand iterations thus
// costs a request at a time, never a queue of stale ones, and the last position is the one
// shown. Pure: the request is a function given in; no DOM, no timers.

/**
 * `run(value)` → Promise; `onResult(result, value)` and `onError(err, value)` for each answer
 * that is still wanted. Returns {request(value), cancel(), busy()}.
 */
export function createLatest(run, { onResult = () => {}, onError = () => {} } = {}) {
  let inFlight = false;
  let waiting = false;
  let next;
  let generation = 0; // cancel() moves it on: answers to older requests are dropped

  async function pump() {
    inFlight = true;
    while (waiting) {
      const value = next;
      const asked = generation;
      waiting = false;
      try {
        const result = await run(value);
        // in order by construction: an older answer never lands after a newer one
        if (asked === generation) onResult(result, value);
      } catch (err) {
        if (asked === generation) onError(err, value);
      }
    }
    inFlight = false;
  }

  return {
    /** Ask for `value`: now if nothing is in flight, else once it is back (if still newest). */
    request(value) {
      next = value;
      waiting = true;
      if (!inFlight) pump();
    },
    /** Forget the waiting value and ignore the answer in flight. */
    cancel() {
      generation++;
      waiting = false;
    },
    /** True while a request is in flight or waiting. */
    busy: () => inFlight || waiting,
  };
}
