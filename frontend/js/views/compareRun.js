// @ts-check
// One run of the comparison: its name with how many weight updates it makes per epoch (1 for
// batch, one per row for SGD, ⌈rows / b⌉ for mini-batches: Figure 2's point), its α, its
// progress, a small diagram of its weights, its Figure 2 partition (views/batches.js, fed the
// run's own store state) and a link that opens its job alone on the main page.

import { iterationsPerEpoch } from "../partition.js";
import { RUN_NAMES } from "../compareState.js";
import { BatchesView } from "./batches.js";
import { CompareNetworkView } from "./compareNetwork.js";
import { html, setAttr, setText } from "./svg.js";

/** @import { CompareState } from "../compareSession.js" */
/** @import { Mode, View } from "../types.js" */

/**
 * @param {HTMLElement} el
 * @param {Mode} run
 * @param {string} colour  the run's colour on the chart
 * @param {{setRate: (run: Mode, value: number) => void}} actions
 * @returns {View<CompareState>}
 */
export function CompareRunView(el, run, colour, actions) {
  el.classList.add("cmp-run");
  el.dataset.run = run;
  el.style.setProperty("--run-colour", colour);
  const head = html("header", { class: "cmp-run-head" }, el);
  html("h2", { class: "cmp-run-name" }, head, RUN_NAMES[run]);
  const perEpoch = html("span", { class: "cmp-per-epoch", "data-readout": "per-epoch" }, head);
  const label = html("label", { class: "cmp-rate" }, el, "α ");
  const rate = /** @type {HTMLInputElement} */ (html("input", { type: "number", min: "0", step: "any",
    "data-control": `lr-${run}`, "aria-label": `learning rate α of the ${RUN_NAMES[run]} run` }, label));
  const error = html("span", { class: "field-error", role: "alert" }, label);
  const progress = html("p", { class: "cmp-progress", "data-readout": "progress" }, el);
  const net = CompareNetworkView(html("div", {}, el));
  const batches = BatchesView(html("div", { class: "cmp-batches" }, el));
  const alone = /** @type {HTMLAnchorElement} */ (html("a", { class: "cmp-alone", "data-action": "open-alone",
    target: "_blank", rel: "noopener" }, el, "open alone ↗"));
  rate.addEventListener("change", () => actions.setRate(run, rate.valueAsNumber));

  return {
    update(s) {
      const r = s.runs[run];
      const rows = r.dataset?.rows ?? null;
      const t = (r.job?.spec ?? r.spec)?.training;
      const per = rows && t ? iterationsPerEpoch(run, rows, t.batch_size) : null;
      setText(perEpoch, per === null ? "" : `${per} update${per === 1 ? "" : "s"} per epoch`);
      setAttr(el, "data-per-epoch", per === null ? "" : String(per));
      if (document.activeElement !== rate && rate.valueAsNumber !== s.settings.rates[run]) {
        rate.value = String(s.settings.rates[run]);
      }
      setText(error, s.errors[`lr-${run}`] ?? "");
      const job = r.job;
      const it = job?.iteration ?? 0;
      const epochs = t?.epochs ?? s.settings.epochs;
      setText(progress, job ? `${job.status} · epoch ${job.epoch.toLocaleString("en-US")} of ${epochs.toLocaleString("en-US")}` +
        ` · iteration ${it.toLocaleString("en-US")}` : "not started: ▶ makes its job");
      setAttr(el, "data-job", job?.id ?? "");
      setAttr(el, "data-status", job?.status ?? "setup");
      setAttr(el, "data-iteration", String(it));
      alone.hidden = !job;
      if (job) setAttr(alone, "href", `./?job=${encodeURIComponent(job.id)}&view=train`);
      net.update(r);
      batches.update(r);
    },
  };
}
