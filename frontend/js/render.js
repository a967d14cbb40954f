// When each view is updated: on every animation frame in which the state changed, except that
// costly views are updated at most `every` ms apart while training runs at full speed (their
// last state is still drawn once the burst ends), and views the reader has folded away wait
// until they are shown again. No DOM of its own.

/**
 * Views as {view, every, hidden}: `every` (ms, or a function of the state giving ms) throttles
 * a view while `busy(state)` holds; `hidden()` true skips it for now.
 */
export function createRenderer(entries, { busy = () => false, onError = () => {} } = {}) {
  const slots = entries.map(({ view, every = 0, hidden = () => false }) =>
    ({ view, every, hidden, state: null, at: -Infinity }));
  return {
    /** Update the views that need it for `state` at time `now` (ms); returns how many ran. */
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
    /** True while some shown view has not yet drawn `state`. */
    pending(state) {
      return slots.some((slot) => slot.state !== state && !slot.hidden());
    },
  };
}
