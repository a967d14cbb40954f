// @ts-check
// The page's message lines: a server or form error (role="alert"), the page's own quieter
// notices, and the job's own message from the server (why it paused — "paused at iteration
// 812: the server restarted" —, how it ended, a divergence with its iteration and the hint to
// lower α), shown as the server words it for as long as the job carries it.

import { html, setAttr, setText } from "./svg.js";

/** @import { State, View } from "../types.js" */
/** @typedef {{dismissError?: () => void}} AlertActions */

const WARN = ["diverged", "failed"];

/**
 * The message lines in `el`.
 * @param {HTMLElement} el
 * @param {AlertActions} actions
 * @returns {View<State>}
 */
export function AlertView(el, actions) {
  const error = html("div", { id: "error", class: "alert error", role: "alert", hidden: "" }, el);
  const text = html("span", { class: "alert-text", "data-readout": "error" }, error);
  const close = html("button", { type: "button", class: "icon", "aria-label": "Dismiss the message" }, error, "×");
  close.addEventListener("click", () => actions.dismissError?.());
  const server = html("div", { class: "alert server", role: "status", "data-readout": "job-message", hidden: "" }, el);
  const notice = html("div", { class: "alert notice", role: "status", hidden: "" }, el);
  return {
    update(s) {
      error.hidden = !s.error;
      setText(text, s.error ?? "");
      const status = s.job?.status ?? "";
      const ended = ["finished", "converged", "diverged", "failed", "stopped"].includes(status);
      const message = s.job?.message || (ended ? `The job is ${status}.` : "");
      server.hidden = !message;
      setText(server, message ? message.charAt(0).toUpperCase() + message.slice(1) : "");
      setAttr(server, "title", message ? "The job's message, from the server" : "");
      setAttr(server, "data-status", status);
      setAttr(server, "data-level", WARN.includes(status) ? "warn" : "");
      const page = s.notice && s.notice !== message ? s.notice : null;
      notice.hidden = !page;
      setText(notice, page ?? "");
      notice.dataset.status = status;
    },
  };
}
