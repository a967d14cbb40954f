// @ts-check
// The four phases of one iteration, the current one lit, with the article's equations.

import { PHASES } from "../animation.js";
import { fmt } from "../format.js";
import { activity } from "../activity.js";
import { canTrain } from "../selectors.js";
import { html, setAttr, setText } from "./svg.js";

/** @import { PassPhase } from "../animation.js" */
/** @import { Phase, State, View } from "../types.js" */

/**
 * The loss ℓ of each loss function, in words (eq. (5) for half_sse).
 * @type {Record<string, string>}
 */
const LOSS_TEXT = {
  half_sse: "ℓ = ½ Σₖ (yₖ − tₖ)²  (5)",
  mse: "ℓ = mean (y − t)²",
  cross_entropy: "ℓ = −mean t log y",
};

/**
 * Each phase's name and its equations.
 * @type {Record<PassPhase, [string, string]>}
 */
const STEPS = {
  forward: ["Forward", "z = b + w·y  (1),  y = f(z)  (2)"],
  loss: ["Loss", ""],
  backward: ["Backward", "∂ℓ/∂z = ∂ℓ/∂y ⊙ f′(z)  (7),  ∂ℓ/∂w = ∂ℓ/∂z · yᵀ"],
  update: ["Update", "w := w − α ∂ℓ/∂w"],
};

/**
 * @param {HTMLElement} el
 * @returns {View}
 */
export function PhasesView(el) {
  el.classList.add("phases");
  const list = html("ol", { class: "phase-steps", "aria-label": "Phases of one iteration" }, el);
  const items = PHASES.map((p, i) => {
    const li = html("li", { class: "phase-step", "data-phase-step": p }, list);
    html("span", { class: "num", "aria-hidden": "true" }, li, String(i + 1));
    html("span", { class: "name" }, li, STEPS[p][0]);
    const bar = html("span", { class: "bar-fill" }, li);
    return { li, bar };
  });
  const detail = html("p", { class: "phase-detail", "aria-live": "polite" }, el);

  return {
    /** @param {State} s */
    update(s) {
      const current = /** @type {readonly Phase[]} */ (PHASES).indexOf(s.phase); // −1 when idle
      items.forEach(({ li, bar }, i) => {
        const state = i < current ? "done" : i === current ? "active" : "";
        setAttr(li, "data-state", state);
        setAttr(li, "aria-current", i === current ? "step" : "");
        const fill = i < current ? 1 : i === current ? s.phaseProgress : 0;
        const text = fill.toFixed(3);
        if (li.dataset.progress !== text) {
          li.dataset.progress = text;
          bar.style.transform = `scaleX(${text})`;
        }
      });
      setText(detail, describe(s));
    },
  };
}

/**
 * The sentence under the steps: what the reader can do, or the current phase's equations.
 * @param {State} s
 * @returns {string}
 */
function describe(s) {
  if (s.phase === "idle" && s.replay === null && !canTrain(s)) {
    return "Watching: replay its past iterations with the timeline, or fork it to train your own copy.";
  }
  if (s.mode === "train") {
    return activity(s).playing ? "Training: the diagram follows the latest iteration." : "Train mode: press play to train at speed.";
  }
  if (s.phase === "idle") {
    return s.frame ? "Press play, or step one phase at a time." : "Press play or step to run the first iteration.";
  }
  if (s.phase === "loss") {
    return `${LOSS_TEXT[s.spec?.training?.loss ?? ""] ?? "ℓ"} = ${fmt(s.frame?.loss ?? null)} over the batch`;
  }
  return STEPS[s.phase][1];
}
