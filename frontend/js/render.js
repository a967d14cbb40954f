// @ts-check
// When each view is updated: on every animation frame in which the state changed, except that
// costly views are updated at most `every` ms apart while training runs at full speed (their
// last state is still drawn once the burst ends), and views the reader has folded away wait
// until they are shown again. No DOM of its own.

/** @import { View } from "./types.js" */

/**
 * A view and when to update it: at most every `every` ms while busy (a number, or one
 * computed from the state), never while `hidden()`.
 * @template S
 * @typedef {{view: View<S>, every?: number | ((state: S) => number), hidden?: () => boolean}} RenderEntry
 */

/**
 * Views as {view, every, hidden}: `every` (ms, or a function of the state giving ms) throttles
 * a view while `busy(state)` holds; `hidden()` true skips it for now.
 * @template S
 * @param {RenderEntry<S>[]} entries
 * @param {{busy?: (state: S) => boolean, onError?: (err: unknown) => void}} [how]
 */
export function createRenderer(entries, { busy = () => false, onError = () => {} } = {}) {
  const slots = entries.map(({ view, every = 0, hidden = () => false }) =>
    ({ view, every, hidden, state: /** @type {S | null} */ (null), at: -Infinity }));
  return {
    /**
     * Update the views that need it for `state` at time `now` (ms); returns how many ran.
     * @param {S} state
     * @param {number} now
     */
    render(state, now) {
      const throttled = busy(state);
      let ran = 0;
      for (const slot of slots) {
        if (slot.state === state || slot.hidden()) continue;
        const every = typeof slot.every === "function" ? slot.every(state) : slot.every;
        if (throttled && every > 0 && now - slot.at < every) continue;
        slot.state = state;
        slot.at = now;
        ran++;
        try {
          slot.view.update(state);
        } catch (err) {
          onError(err); // a broken view must not stop the others
        }
      }
      return ran;
    },
    /**
     * True while some shown view has not yet drawn `state`.
     * @param {S} state
     */
    pending(state) {
      return slots.some((slot) => slot.state !== state && !slot.hidden());
    },
  };
}
