// @ts-check
// Every job on the server: attach to one to watch it live (another browser may be driving it).
// The jobs whose keys this browser holds are marked as the reader's own.

import { count, fmt } from "../format.js";
import { html, setText } from "./svg.js";

/** @import { JobView, State, View } from "../types.js" */
/** @typedef {{refreshJobs?: () => void, attach?: (id: string) => void}} JobsActions */

/**
 * The jobs list in `el`; its buttons call `actions`.
 * @param {HTMLElement} el
 * @param {JobsActions} actions
 * @returns {View<State>}
 */
export function JobsView(el, actions) {
  el.classList.add("jobs");
  const head = html("div", { class: "jobs-head" }, el);
  html("h2", {}, head, "Jobs");
  const refresh = html("button", { type: "button", class: "icon", "aria-label": "Refresh the job list",
    "data-action": "refresh-jobs" }, head, "⟳");
  refresh.addEventListener("click", () => actions.refreshJobs?.());
  const list = html("ul", { class: "job-list", "aria-label": "Jobs on the server" }, el);
  const empty = html("p", { class: "hint" }, el, "No jobs yet.");
  /** @type {JobView[] | null} */
  let lastJobs = null;
  /** @type {string | null} */
  let lastId = null;
  /** @type {string[] | null} */
  let lastOwn = null;

  return {
    update(s) {
      const current = s.job?.id ?? null;
      if (s.jobs === lastJobs && current === lastId && s.ownIds === lastOwn) return;
      lastJobs = s.jobs;
      lastId = current;
      lastOwn = s.ownIds;
      empty.hidden = s.jobs.length > 0;
      const jobs = [...s.jobs].reverse(); // newest first
      list.replaceChildren(...jobs.map((job) => row(job, job.id === current, s.ownIds.includes(job.id), actions)));
    },
  };
}

/**
 * One job's list item: status, network, iteration and loss, and Watch unless it is shown.
 * @param {JobView} job
 * @param {boolean} current  the job the page shows
 * @param {boolean} mine  this browser holds its key
 * @param {JobsActions} actions
 */
function row(job, current, mine, actions) {
  const li = html("li", { class: `job${current ? " current" : ""}`, "data-job": job.id, "data-owner": mine ? "mine" : "theirs" });
  const spec = job.spec ?? {};
  const title = html("div", { class: "job-title" }, li);
  html("span", { class: `badge status-${job.status}` }, title, job.status);
  const data = spec.dataset;
  const dataName = data && "name" in data ? data.name : "inline"; // rows given in the spec have none
  html("span", { class: "job-arch" }, title, `${(spec.network?.layers ?? []).join("-")} · ${dataName}`);
  if (mine) html("span", { class: "badge mine", title: "This browser created it: you control it" }, title, "yours");
  const info = html("div", { class: "job-info" }, li);
  setText(info, `it ${count(job.iteration)} · ℓ ${fmt(job.loss)} · ${job.id.slice(0, 6)}`);
  const buttons = html("div", { class: "job-buttons" }, li);
  if (current) {
    html("span", { class: "viewing" }, buttons, "viewing");
  } else {
    const attach = html("button", { type: "button", class: "small", "data-action": "attach",
      "aria-label": `Watch job ${job.id.slice(0, 6)}` }, buttons, "Watch");
    attach.addEventListener("click", () => actions.attach?.(job.id));
  }
  return li;
}
