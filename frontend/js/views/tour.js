// @ts-check
// The guided "Learn" tour: a non-modal dialog walking through TOUR_STEPS (tourSteps.js), each
// step lighting up the panels and the parts of the diagram and of the equations it explains
// (classes tour-target and tour-part) and scrolling them into view. Next/Back buttons and the
// keys → ← step, Esc closes; the open step is the store's `tour` (actions.tour(index | null)).

import katex from "../../vendor/katex/katex.mjs";
import { stepFrom, TOUR_STEPS } from "../tourSteps.js";
import { html, setText } from "./svg.js";

/** @import { State, View } from "../types.js" */
/** @typedef {import("../tourSteps.js").TourStep} TourStep */
/** @typedef {{tour?: (step: number | null) => unknown}} TourActions  a step index opens the tour there; null closes it */

const TYPING = "input, select, textarea, [contenteditable], svg [data-neuron], svg [data-edge]";

/**
 * @param {HTMLElement} el
 * @param {TourActions} actions
 * @param {HTMLElement | null} [opener]  the button that opens the tour
 * @returns {View}
 */
export function TourView(el, actions, opener) {
  el.classList.add("tour");
  el.setAttribute("role", "dialog");
  el.setAttribute("aria-modal", "false");
  el.setAttribute("aria-labelledby", "tour-title");
  el.setAttribute("aria-describedby", "tour-text");
  el.hidden = true;
  const head = html("header", { class: "tour-head" }, el);
  const count = html("span", { class: "tour-count", "data-readout": "tour-step" }, head);
  const close = html("button", { type: "button", class: "tour-close", "data-action": "tour-close",
    "aria-label": "Close the tour (Esc)", title: "Close (Esc)" }, head, "×");
  const title = html("h2", { id: "tour-title", class: "tour-title", tabindex: "-1" }, el);
  const cite = html("p", { class: "tour-cite" }, el);
  const math = html("div", { class: "tour-math", "aria-hidden": "true" }, el);
  const text = html("p", { id: "tour-text", class: "tour-text" }, el);
  const foot = html("footer", { class: "tour-foot" }, el);
  const back = html("button", { type: "button", class: "tour-back", "data-action": "tour-back",
    "aria-label": "Previous step (←)" }, foot, "← Back");
  const dots = html("ol", { class: "tour-dots", "aria-hidden": "true" }, foot);
  const dotEls = TOUR_STEPS.map(() => html("li", {}, dots));
  const next = html("button", { type: "button", class: "tour-next", "data-action": "tour-next",
    "aria-label": "Next step (→)" }, foot, "Next →");
  /** @type {number | null} */
  let shown = null; // the step index drawn
  /** @type {TourStep | null} */
  let step = null;
  /** @type {Set<Element>} */
  let lit = new Set();

  /** @type {number | null} */
  let wanted = null; // the step asked for: keys may come faster than the page draws
  const go = (/** @type {number} */ delta) => {
    if (wanted === null) return;
    wanted = stepFrom(wanted, delta);
    actions.tour?.(wanted);
  };
  next.addEventListener("click", () => go(1));
  back.addEventListener("click", () => go(-1));
  close.addEventListener("click", () => actions.tour?.(null));
  opener?.addEventListener("click", () => actions.tour?.(shown ?? 0));
  document.addEventListener("keydown", (event) => {
    if (shown === null || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === "Escape") {
      wanted = null;
      actions.tour?.(null);
      return;
    }
    if (event.target instanceof Element && event.target.closest(TYPING)) return; // those keys type or move there
    if (event.key === "ArrowRight") go(1);
    else if (event.key === "ArrowLeft") go(-1);
    else return;
    event.preventDefault();
  });

  function unlight() {
    for (const e of lit) e.classList.remove("tour-target", "tour-part");
    lit = new Set();
  }

  /** Light the step's targets and whichever of its parts are on the page now. */
  function light() {
    if (!step) return;
    for (const sel of step.targets) mark(document.querySelector(sel), "tour-target");
    for (const sel of step.parts) for (const e of document.querySelectorAll(sel)) mark(e, "tour-part");
    for (const e of lit) if (!e.isConnected) lit.delete(e);
  }

  /** @param {Element | null} e @param {string} cls */
  function mark(e, cls) {
    if (!e || e.classList.contains(cls)) return;
    e.classList.add(cls);
    lit.add(e);
  }

  /** @param {number} index */
  function show(index) {
    step = TOUR_STEPS[index];
    unlight();
    el.dataset.step = step.id;
    setText(count, `Step ${index + 1} of ${TOUR_STEPS.length}`);
    setText(title, step.title);
    setText(cite, step.cite);
    setText(text, step.text);
    katex.render(step.tex, math, { throwOnError: false, displayMode: true });
    back.disabled = index === 0;
    setText(next, index === TOUR_STEPS.length - 1 ? "Done ✓" : "Next →");
    next.setAttribute("aria-label", index === TOUR_STEPS.length - 1 ? "Finish the tour" : "Next step (→)");
    dotEls.forEach((d, i) => d.classList.toggle("is-current", i === index));
    for (const sel of step.targets) unfold(document.querySelector(sel));
    light();
    const first = document.querySelector(step.targets[0]);
    if (first) reveal(first);
    place(first);
  }

  /**
   * Scroll the step's first panel into view below the sticky toolbar: centred on a wide screen,
   * at the top on a narrow one, where the dialog takes the bottom of the screen.
   * @param {Element} first
   */
  function reveal(first) {
    const bar = document.querySelector(".bar");
    const barHeight = bar && getComputedStyle(bar).position === "sticky" ? bar.getBoundingClientRect().height : 0;
    const r = first.getBoundingClientRect();
    const gap = innerWidth <= 560 ? 8 : Math.max(8, (innerHeight - barHeight - r.height) / 2);
    const smooth = !globalThis.matchMedia?.("(prefers-reduced-motion: reduce)").matches;
    scrollTo({ top: Math.max(0, r.top + scrollY - barHeight - gap), behavior: smooth ? "smooth" : "auto" });
  }

  /**
   * The dialog sits in the bottom corner beside the step's first panel with more room.
   * @param {Element | null} first
   */
  function place(first) {
    const r = first?.getBoundingClientRect();
    const side = r && r.left > innerWidth - r.right ? "left" : "right";
    if (el.dataset.side !== side) el.dataset.side = side;
  }

  return {
    /** @param {State} s */
    update(s) {
      const index = s.tour;
      wanted = index;
      if (index === shown) {
        if (shown !== null) light(); // parts drawn since (equations filled in, diagram rebuilt)
        return;
      }
      const opening = shown === null;
      shown = index;
      opener?.setAttribute("aria-expanded", String(index !== null));
      if (index === null) {
        unlight();
        el.hidden = true;
        delete el.dataset.step;
        if (el.contains(document.activeElement) || document.activeElement === document.body) opener?.focus();
        return;
      }
      el.hidden = false;
      show(index);
      if (opening) title.focus({ preventScroll: true });
    },
  };
}

/**
 * A folded panel holding `e` opens (its heading's button), so that the tour can show it.
 * @param {Element | null} e
 */
function unfold(e) {
  const panel = e?.closest(".panel");
  if (panel?.getAttribute("data-collapsed") === "true") {
    /** @type {HTMLElement | null} */ (panel.querySelector("button.collapse"))?.click();
  }
}
