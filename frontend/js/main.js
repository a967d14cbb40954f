// @ts-check
// Boot: load the options, read the URL, mount every view, attach the job in the link or preview
// the form's setup, and render the state on each animation frame in which it changed (or in
// which something moves).

import { api, setKeys, setToken } from "./api.js";
import { createController } from "./controller.js";
import { createKeyring, memoryStorage } from "./keys.js";
import { createRenderer } from "./render.js";
import { createStore } from "./store.js";
import { sameRun } from "./spec.js";
import { readUrl, writeUrl } from "./url.js";
import { AlertView } from "./views/alert.js";
import { ControlsView } from "./views/controls.js";
import { JobsView } from "./views/jobs.js";
import { LegendView } from "./views/legend.js";
import { PhasesView } from "./views/phases.js";
import { NetworkView } from "./views/network.js";
import { ToolbarView } from "./views/toolbar.js";
import { EquationsView } from "./views/equations.js";
import { LandscapeView } from "./views/landscape.js";
import { LossChartView } from "./views/lossChart.js";
import { TimelineView } from "./views/timeline.js";
import { BatchesView } from "./views/batches.js";
import { OutputView } from "./views/output.js";
import { TourView } from "./views/tour.js";
import { DataView } from "./views/data.js";
import { HintsView } from "./views/hints.js";
import { activity } from "./activity.js";
import { onScreen } from "./views/onScreen.js";

/** @import { State, Options } from "./types.js" */

const JOBS_REFRESH_MS = 4000;
const MAPS_MS = 250; // the neuron maps: at most 4 redraws a second while training
const SECONDARY_MS = 250; // equations, output and batches: at most 4 updates a second while training
// The equations re-typeset on each update: once a second is plenty when iterations fly past.
const equationsEvery = (/** @type {State} */ s) => (s.job?.spec?.speed ?? Infinity) > 20 ? 1000 : SECONDARY_MS;
/** The element with this id (the page's HTML has every one main.js mounts on). */
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

// Panels fold away with their heading's button; a folded view is not updated until it is shown.
for (const button of document.querySelectorAll("button.collapse")) {
  button.addEventListener("click", () => {
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    const panel = /** @type {HTMLElement | null} */ (button.closest(".panel"));
    if (panel) panel.dataset.collapsed = String(!open);
  });
}
/** Out of sight: the view's panel is outside the viewport (views/onScreen.js). */
const away = (/** @type {string} */ id) => {
  const seen = onScreen($(id));
  return () => !seen();
};
const folded = (/** @type {string} */ id) => {
  const panel = /** @type {HTMLElement | null} */ ($(id).closest(".panel"));
  return () => panel?.dataset.collapsed === "true";
};

/** localStorage, or memory when the browser refuses it (the keys then last as long as the tab). */
function keyStorage() {
  try {
    localStorage.getItem("probe");
    return localStorage;
  } catch {
    return memoryStorage();
  }
}

const store = createStore();
const keys = createKeyring(keyStorage());
setKeys(keys.get);
/** @type {ReturnType<typeof setTimeout> | undefined} */
let urlTimer;
const controller = createController(store, api, {
  keys,
  confirm: (/** @type {string} */ message) => window.confirm(message),
  onUrlChange: () => {
    clearTimeout(urlTimer);
    urlTimer = setTimeout(() => {
      const s = store.get();
      if (s.spec) history.replaceState(null, "", writeUrl(s.spec, s.mode, s.job?.id));
    }, 100);
  },
});
const { actions } = controller;

const network = NetworkView($("network"), actions);
const renderer = createRenderer(
  [
    { view: AlertView($("alerts"), actions) },
    { view: ToolbarView($("toolbar"), actions), every: 100 },
    { view: PhasesView($("phases")) },
    { view: network },
    { view: network.maps, every: MAPS_MS }, // each neuron's map: a plane of forward passes
    { view: LegendView($("legend")) },
    { view: HintsView($("hints")), every: SECONDARY_MS },
    { view: ConnectionView($("connection")) },
    { view: TourView($("tour"), actions, $("learn")) },
    { view: ControlsView($("controls"), actions) },
    { view: DataView($("data"), actions), hidden: folded("data") },
    { view: JobsView($("jobs"), actions), every: 500 },
    { view: EquationsView($("equations"), actions), every: equationsEvery, hidden: folded("equations"),
      away: away("equations") },
    // the loss over two parameters: it fetches at most twice a second itself, the rest is cheap
    { view: LandscapeView($("landscape")), every: SECONDARY_MS, hidden: folded("landscape"),
      away: away("landscape") },
    // uPlot redraws the whole chart on each update: 10 a second keep the curve moving smoothly
    { view: LossChartView($("loss-chart"), actions), every: 100, hidden: folded("loss-chart"),
      away: away("loss-chart") },
    { view: TimelineView($("timeline"), actions), every: 100, hidden: folded("loss-chart") },
    { view: BatchesView($("batches")), every: SECONDARY_MS, hidden: folded("batches"), away: away("batches") },
    { view: OutputView($("output")), every: SECONDARY_MS, hidden: folded("output"), away: away("output") },
  ],
  {
    busy: (/** @type {State} */ s) => s.mode === "train" && s.job?.status === "running",
    onError: (err) => console.error(err),
  },
);

/**
 * The header's connection line: the stream's state, the job and what it is doing.
 * @param {HTMLElement} el
 */
function ConnectionView(el) {
  /** @type {Record<string, string>} */
  const text = { open: "live", connecting: "connecting…", closed: "reconnecting…", gone: "job gone" };
  return {
    /** @param {State} s */
    update(s) {
      const a = activity(s); // the same words as the toolbar's status
      const t = s.job ? `${text[s.connection] ?? s.connection} · job ${s.job.id.slice(0, 6)} · ${a.label}` : "";
      if (el.textContent !== t) el.textContent = t;
      el.dataset.connection = s.connection;
      el.dataset.activity = a.key;
      el.title = s.job ? a.title : "";
    },
  };
}

/** @param {State} s */
function markBody(s) {
  // "true" once the page shows the form's setup: the watched job runs it, or its preview is in
  const shows = s.job ? s.job.spec && sameRun(s.job.spec, s.spec) : s.preview && sameRun(s.preview, s.spec);
  const synced = String(Boolean(shows && !s.busy));
  if (document.body.dataset.synced !== synced) document.body.dataset.synced = synced;
  const job = s.job?.id ?? "";
  if (document.body.dataset.job !== job) document.body.dataset.job = job;
}

/** @param {number} now */
function loop(now) {
  controller.player.tick(now);
  const s = store.get();
  if (renderer.pending(s)) {
    renderer.render(s, now);
    markBody(s);
  }
  requestAnimationFrame(loop);
}

/** The server's token, from a #token=… link (then kept for this tab and taken out of the URL). */
function readToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  if (hash.has("token")) {
    sessionStorage.setItem("playground-token", hash.get("token") ?? "");
    history.replaceState(null, "", location.pathname + location.search);
  }
  setToken(sessionStorage.getItem("playground-token"));
}

async function boot() {
  readToken();
  /** @type {Options} */
  let options;
  try {
    options = await api.options();
  } catch (err) {
    store.dispatch({ type: "error", error: `Could not load the options: ${/** @type {Error} */ (err).message}` });
    renderer.render(store.get(), performance.now());
    document.body.dataset.ready = "true";
    return;
  }
  const url = readUrl(location.search, options.defaults);
  store.dispatch({ type: "options", options });
  store.dispatch({ type: "spec", spec: url.spec });
  store.dispatch({ type: "mode", mode: url.mode });
  requestAnimationFrame(loop);

  const jobs = await api.jobs().catch(() => []);
  store.dispatch({ type: "jobs", jobs });
  store.dispatch({ type: "keys", ids: keys.ids() });
  const wanted = url.job && jobs.find((j) => j.id === url.job);
  if (wanted) {
    controller.attach(wanted.id, wanted);
  } else {
    // nothing is stored until the reader trains: the form's setup is previewed
    if (url.job) store.dispatch({ type: "notice", notice: "The job in the link no longer exists: here is its setup." });
    controller.preview();
  }
  document.body.dataset.ready = "true";
  setInterval(() => document.visibilityState === "visible" && controller.refreshJobs(), JOBS_REFRESH_MS);
}

boot();
