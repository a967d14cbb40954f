// @ts-check
// Latest wins: a value asked for while a request is in flight waits for it, and only the newest
// waiting value is sent next. Dragging the replay timeline over a thousand iterations thus
// costs a request at a time, never a queue of stale ones, and the last position is the one
// shown. Pure: the request is a function given in; no DOM, no timers.

/**
 * @template V, R
 * @typedef {object} Latest
 * @property {(value: V) => void} request  ask for `value`: now, or once the request in flight is back
 * @property {() => void} cancel  forget the waiting value and ignore the answer in flight
 * @property {() => boolean} busy  true while a request is in flight or waiting
 */

/**
 * `run(value)` → Promise; `onResult(result, value)` and `onError(err, value)` for each answer
 * that is still wanted. Returns {request(value), cancel(), busy()}.
 * @template V, R
 * @param {(value: V) => Promise<R>} run
 * @param {{onResult?: (result: R, value: V) => void, onError?: (err: unknown, value: V) => void}} [handlers]
 * @returns {Latest<V, R>}
 */
export function createLatest(run, { onResult = () => {}, onError = () => {} } = {}) {
  let inFlight = false;
  let waiting = false;
  /** @type {V} */
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
    /**
     * Ask for `value`: now if nothing is in flight, else once it is back (if still newest).
     * @param {V} value
     */
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
