// @ts-check
// The replay timeline under the loss chart: a range over the job's iterations whose value is the
// iteration shown (it follows the newest while live). Moving it shows that past iteration in
// the diagram, the equations and Figure 2; "Back to live" returns to the newest one.

import { count } from "../format.js";
import { html, setAttr, setText } from "./svg.js";

/** @import { State, View } from "../types.js" */
/** @typedef {{seek?: (iteration: number) => unknown, live?: () => unknown}} TimelineActions */

/**
 * @param {HTMLElement} el
 * @param {TimelineActions} actions
 * @returns {View}
 */
export function TimelineView(el, actions) {
  el.classList.add("timeline");
  html("label", { class: "tl-label", for: "timeline-range" }, el, "Replay");
  const range = html("input", { id: "timeline-range", type: "range", min: "0", max: "0", step: "1", value: "0",
    "data-control": "timeline", "aria-label": "Iteration shown" }, el);
  const out = html("output", { class: "tl-out", for: "timeline-range", "aria-live": "off" }, el);
  const live = html("button", { type: "button", class: "small", "data-action": "live",
    title: "Show the newest iteration again" }, el, "Back to live");
  let dragging = false;
  /** @type {number | null} */
  let wanted = null; // the iteration the reader moved to, until the page shows it
  /** @type {string | null} */
  let job = null;

  range.addEventListener("pointerdown", () => (dragging = true));
  addEventListener("pointerup", () => (dragging = false));
  addEventListener("pointercancel", () => (dragging = false));
  range.addEventListener("input", () => {
    wanted = Number(range.value);
    actions.seek?.(wanted);
  });
  live.addEventListener("click", () => {
    wanted = null;
    actions.live?.();
  });

  return {
    /** @param {State} s */
    update(s) {
      if ((s.job?.id ?? null) !== job) {
        job = s.job?.id ?? null;
        wanted = null;
      }
      const end = s.job ? s.counters.iteration : 0;
      const shown = s.replay ?? end;
      if (wanted !== null && (shown === wanted || (wanted >= end && s.replay === null))) wanted = null;
      setAttr(range, "min", end > 0 ? "1" : "0");
      setAttr(range, "max", String(end));
      // the thumb stays under the reader's pointer while the iterations it asked for load
      if (!dragging && wanted === null && range.value !== String(shown)) range.value = String(shown);
      range.disabled = end === 0;
      setAttr(range, "aria-valuetext", `iteration ${shown} of ${end}`);
      live.disabled = s.replay === null;
      el.dataset.live = String(s.replay === null);
      setText(out, !end ? "no iterations yet" : s.replay === null ? `iteration ${count(end)} · live`
        : `iteration ${count(shown)} of ${count(end)}`);
    },
  };
}
