// @ts-check
// What is happening, in one place: the job's status on the server and the page's own animation
// (explain mode plays a paused job one iteration at a time; the timeline replays the past). The
// header, the toolbar's status and ▶/⏸ all read it, so they never contradict. Pure: no DOM.

import { owns } from "./selectors.js";

/** @import { State } from "./types.js" */
/** @typedef {{key: string, label: string, title: string, playing: boolean}} Activity */

/** The iteration the page shows: a replayed one, the frame being explained, else the job's. */
/** @param {State} s */
function shownIteration(s) {
  if (s.replay !== null && s.replay !== undefined) return s.replay;
  return s.frame?.iteration ?? s.counters?.iteration ?? s.job?.iteration ?? 0;
}

/** True while explain mode's animation is under way or stopped part-way through an iteration. */
/** @param {State} s */
function explaining(s) {
  if (s.mode !== "explain") return false;
  if (s.playing) return true;
  return s.phase !== "idle" && !(s.phase === "update" && s.phaseProgress >= 1);
}

/**
 * {key, label, title, playing}: `key` is "preview", "connecting", "replaying", "explaining" or
 * the job's status; `label` the short text the header and the toolbar show; `title` a sentence
 * about it; `playing` whether ▶ shows as ⏸ (for someone else's job: whether it runs).
 * @param {State} s
 * @returns {Activity}
 */
export function activity(s) {
  const job = s.job;
  if (!job) {
    return { key: "preview", label: s.playing ? "starting…" : "preview", playing: Boolean(s.playing),
      title: "Nothing is stored yet: ▶ or a step makes a job from this setup." };
  }
  const status = job.status;
  const n = shownIteration(s).toLocaleString("en-US");
  if (!job.spec || /** @type {string} */ (status) === "…") { // attached, its view not in yet
    return { key: "connecting", label: "connecting…", playing: false, title: "Loading the job." };
  }
  const mine = owns(s);
  const theirs = mine ? "" : " (someone else's job: read-only)";
  if (s.replay !== null && s.replay !== undefined) {
    return { key: "replaying", label: `replaying iteration ${n}`, playing: s.mode === "explain" && Boolean(s.playing),
      title: `The page shows a past iteration, recomputed exactly; the job is ${status} on the server.${theirs}` };
  }
  if (mine && explaining(s)) {
    return { key: "explaining", label: `explaining iteration ${n}`, playing: Boolean(s.playing),
      title: `The page animates iteration ${n}, phase by phase; the job waits, ${status}, on the server.` };
  }
  const playing = mine && s.mode === "train" ? Boolean(s.playing) || status === "running" : status === "running";
  const title = job.message ? `The job is ${status}: ${job.message}${theirs}` : `The job is ${status} on the server.${theirs}`;
  return { key: status, label: status, playing, title };
}
