// @ts-check
// When each view is updated: on every animation frame in which the state changed, except that
// costly views are updated at most `every` ms apart while training runs at full speed (their
// last state is still drawn once the burst ends), and views the reader has folded away wait
// until they are shown again; views scrolled out of sight (`away`) wait only while busy. While busy, the throttled views that are due share a time
// budget per frame, the longest-waiting first: the rest wait for the next frame, so views
// with the same period do not all land in one frame (one long task) and none is starved.
// No DOM of its own.

/** @import { View } from "./types.js" */

/**
 * A view and when to update it: at most every `every` ms while busy (a number, or one
 * computed from the state), never while `hidden()`, not while busy and `away()`.
 * @template S
 * @typedef {{view: View<S>, every?: number | ((state: S) => number), hidden?: () => boolean,
 *   away?: () => boolean}} RenderEntry
 */

/**
 * @template S
 * @typedef {{view: View<S>, every: number | ((state: S) => number), hidden: () => boolean,
 *   away: () => boolean, state: S | null, at: number}} Slot
 */

/**
 * Views as {view, every, hidden}: `every` (ms, or a function of the state giving ms) throttles
 * a view while `busy(state)` holds; `hidden()` true skips it for now. While busy, the due
 * throttled views of one frame run until `budget` ms are spent (at least one runs), timed
 * by `clock` (ms).
 * @template S
 * @param {RenderEntry<S>[]} entries
 * @param {{busy?: (state: S) => boolean, onError?: (err: unknown) => void, budget?: number,
 *   clock?: () => number}} [how]
 */
export function createRenderer(entries, {
  busy = () => false, onError = () => {}, budget = Infinity, clock = () => performance.now(),
} = {}) {
  /** @type {Slot<S>[]} */
  const slots = entries.map(({ view, every = 0, hidden = () => false, away = () => false }) =>
    ({ view, every, hidden, away, state: null, at: -Infinity }));

  /** @param {Slot<S>} slot @param {S} state @param {number} now */
  function run(slot, state, now) {
    slot.state = state;
    slot.at = now;
    try {
      slot.view.update(state);
    } catch (err) {
      onError(err); // a broken view must not stop the others
    }
  }

  return {
    /**
     * Update the views that need it for `state` at time `now` (ms); returns how many ran.
     * @param {S} state
     * @param {number} now
     */
    render(state, now) {
      const throttled = busy(state);
      let ran = 0;
      /** @type {{slot: Slot<S>, late: number}[]} */
      const due = [];
      for (const slot of slots) {
        if (slot.state === state || slot.hidden() || (throttled && slot.away())) continue;
        const every = typeof slot.every === "function" ? slot.every(state) : slot.every;
        if (throttled && every > 0) {
          if (now - slot.at >= every) due.push({ slot, late: now - slot.at - every });
          continue;
        }
        run(slot, state, now);
        ran++;
      }
      due.sort((p, q) => q.late - p.late); // stable: equally late views in their given order
      const start = clock();
      for (const [k, { slot }] of due.entries()) {
        if (k > 0 && clock() - start >= budget) break; // the others wait for the next frame
        run(slot, state, now);
        ran++;
      }
      return ran;
    },
    /**
     * True while some shown view has not yet drawn `state`.
     * @param {S} state
     */
    pending(state) {
      return slots.some((slot) => slot.state !== state && !slot.hidden()); // away ones too: they draw when back in sight or when the burst ends
    },
  };
}
