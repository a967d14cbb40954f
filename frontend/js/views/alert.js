// The page's message line: a server or form error (role="alert") and quieter notices.

import { html, setText } from "./svg.js";

export function AlertView(el, actions) {
  const error = html("div", { id: "error", class: "alert error", role: "alert", hidden: "" }, el);
  const text = html("span", { class: "alert-text", "data-readout": "error" }, error);
  const close = html("button", { type: "button", class: "icon", "aria-label": "Dismiss the message" }, error, "×");
  close.addEventListener("click", () => actions.dismissError?.());
  const notice = html("div", { class: "alert notice", role: "status", hidden: "" }, el);
  return {
    update(s) {
      error.hidden = !s.error;
      setText(text, s.error ?? "");
      const message = s.notice ?? (s.job && ["finished", "converged", "diverged", "failed"].includes(s.job.status)
        ? s.job.message || `The job is ${s.job.status}.` : null);
      notice.hidden = !message;
      setText(notice, message ?? "");
      notice.dataset.status = s.job?.status ?? "";
    },
  };
}
