// @ts-check
// When each view is updated: on every animation frame in which the state changed, except that
// costly views are updated at most `every` ms apart while training runs at full speed (their
// last state is still drawn once the burst ends), and views the reader has folded away wait
// until they are shown again. While busy, the throttled views that are due share a frame's
// budget, the longest-waiting first: those over it wait for the next frame, so costly views
// fall on different frames instead of piling up into one long task, and views out of sight
// (`away()`) wait until they are scrolled to or training stops. No DOM of its own.

/** @import { View } from "./types.js" */

/**
 * A view and when to update it: at most every `every` ms while busy (a number, or one
 * computed from the state), not while busy and `away()` (out of sight), never while `hidden()`.
 * @template S
 * @typedef {{view: View<S>, every?: number | ((state: S) => number), hidden?: () => boolean,
 *   away?: () => boolean}} RenderEntry
 */

/**
 * Views as {view, every, hidden, away}: `every` (ms, or a function of the state giving ms) throttles
 * a view while `busy(state)` holds; `hidden()` true skips it for now. While busy, the throttled
 * views due in a frame run until `budget` ms (by `clock`) are spent, at least one.
 * @template S
 * @param {RenderEntry<S>[]} entries
 * @param {{busy?: (state: S) => boolean, onError?: (err: unknown) => void, budget?: number,
 *   clock?: () => number}} [how]
 */
export function createRenderer(entries, how = {}) {
  const { busy = () => false, onError = () => {}, budget = 6, clock = () => performance.now() } = how;
  const slots = entries.map(({ view, every = 0, hidden = () => false, away = () => false }) =>
    ({ view, every, hidden, away, state: /** @type {S | null} */ (null), at: -Infinity }));
  /** @typedef {typeof slots[number]} Slot */

  /** @param {Slot} slot @param {S} state @param {number} now */
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
      /** @type {Slot[]} */
      const due = [];
      let ran = 0;
      for (const slot of slots) {
        if (slot.state === state || slot.hidden() || (throttled && slot.away())) continue;
        const every = typeof slot.every === "function" ? slot.every(state) : slot.every;
        if (!throttled || every <= 0) {
          run(slot, state, now);
          ran++;
        } else if (now - slot.at >= every) due.push(slot);
      }
      due.sort((a, b) => a.at - b.at); // the longest-waiting first
      const start = clock();
      for (const slot of due) {
        if (slot !== due[0] && clock() - start >= budget) break;
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
      const throttled = busy(state);
      return slots.some((slot) => slot.state !== state && !slot.hidden() && !(throttled && slot.away()));
    },
  };
}
