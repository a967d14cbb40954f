// @ts-check
// Under the diagram: what the page notices about the run — hidden ReLU neurons that output 0 for
// every row of the batch shown (dead ReLUs), and what the tolerance τ does next to the last
// update's largest |ΔW| when it matters (the run converged, or τ is about to stop it).

import { shownNetwork } from "../diagram.js";
import { deadReluHint, toleranceHint } from "../hints.js";
import { shownCounters } from "../selectors.js";
import { html, setAttr, setText } from "./svg.js";

/** @import { State, View } from "../types.js" */

/**
 * The hint lines under the diagram, in `el`.
 * @param {HTMLElement} el
 * @returns {View<State>}
 */
export function HintsView(el) {
  const dead = html("p", { class: "hint-line", "data-hint": "dead-relu", hidden: "" }, el);
  const tau = html("p", { class: "hint-line", "data-hint": "tolerance", hidden: "" }, el);
  /** @type {unknown[]} */
  let last = [];

  return {
    update(s) {
      const spec = s.job?.spec ?? s.spec;
      const c = shownCounters(s);
      const key = [s.frame, spec, s.job?.status, c.max_delta];
      if (key.every((k, i) => k === last[i])) return;
      last = key;
      const network = shownNetwork(s);
      const d = s.frame ? deadReluHint(s.frame, network?.activation ?? "", s.frame.learning_rate) : null;
      dead.hidden = !d;
      setText(dead, d?.text ?? "");
      const tolerance = spec?.training?.tolerance ?? 0;
      const t = s.job ? toleranceHint(tolerance, c.max_delta ?? null, s.job.status) : null;
      // τ speaks up when it decided the run's end or is about to; otherwise its read-out says it
      const show = t && (s.job?.status === "converged" || t.level === "warn");
      tau.hidden = !show;
      setText(tau, show ? t.text : "");
      setAttr(tau, "data-level", t?.level ?? "");
    },
  };
}
