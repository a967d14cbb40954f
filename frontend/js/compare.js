// @ts-check
// The compare page's boot: the options, the settings from the URL, the three runs (their jobs,
// owned through the same keys as the main page's), the views, and a render on each animation
// frame in which something changed. The settings and the jobs go back into the URL, so a link
// reproduces the comparison.

import { api, setKeys, setToken } from "./api.js";
import { createKeyring, memoryStorage } from "./keys.js";
import { createRenderer } from "./render.js";
import { RUNS, defaultSettings, readSettings, writeSettings } from "./compareState.js";
import { compareStatus, createCompareSession } from "./compareSession.js";
import { CompareChartView } from "./views/compareChart.js";
import { CompareControlsView } from "./views/compareControls.js";
import { CompareLandscapeView } from "./views/compareLandscape.js";
import { CompareRunView } from "./views/compareRun.js";

/** @import { CompareState } from "./compareSession.js" */
/** @import { Mode, Options } from "./types.js" */

const COLOURS = { batch: "#16437e", sgd: "#d55e00", minibatch: "#1b9e77" };
const SECONDARY_MS = 250; // diagrams and Figure 2: at most 4 updates a second while training
const root = /** @type {HTMLElement} */ (document.querySelector('[data-view="compare"]'));
/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** localStorage, or memory when the browser refuses it (as the main page keeps its keys). */
function keyStorage() {
  try {
    localStorage.getItem("probe");
    return localStorage;
  } catch {
    return memoryStorage();
  }
}

/** The server's token from sessionStorage, as the main page stored it from a #token= link. */
function readToken() {
  const hash = new URLSearchParams(location.hash.slice(1));
  const given = hash.get("token");
  if (given) {
    sessionStorage.setItem("playground-token", given);
    history.replaceState(null, "", location.pathname + location.search);
  }
  setToken(sessionStorage.getItem("playground-token"));
}

/** @param {Options} options */
function start(options) {
  const keys = createKeyring(keyStorage());
  setKeys(keys.get);
  /** @type {CompareState | null} */
  let latest = null;
  let urlTimer = 0;
  const session = createCompareSession(api, {
    keys, options, settings: readSettings(location.search, defaultSettings(options.defaults)),
    onChange: (s) => { latest = s; },
    onUrlChange: () => {
      clearTimeout(urlTimer);
      urlTimer = window.setTimeout(() => history.replaceState(null, "", writeSettings(session.get().settings)), 50);
    },
  });
  const actions = {
    play: session.play, pause: session.pause, reset: session.reset, setSettings: session.setSettings,
    /** @param {Mode} run @param {number} value */
    setRate: (run, value) => session.setSettings({ rates: { ...session.get().settings.rates, [run]: value } }),
    /** @param {import("./compareAxis.js").Axis} axis */
    setAxis: (axis) => session.setSettings({ axis }),
    /** @param {string} name @param {string} query */
    datasetRows: (name, query) => api.dataset(name, query),
  };
  /** @type {import("./types.js").View<CompareState> | null} */
  let landscape = null; // loaded apart: the page works without it
  CompareLandscapeView($("compare-landscape"), COLOURS).then((view) => {
    landscape = view;
    view?.update(latest ?? session.get());
  });
  const renderer = createRenderer([
    { view: CompareControlsView($("compare-controls"), actions) },
    { view: CompareChartView($("compare-chart"), COLOURS, actions) },
    { view: { update: (s) => landscape?.update(s) }, every: SECONDARY_MS },
    ...RUNS.map((run) => ({ view: CompareRunView($(`run-${run}`), run, COLOURS[run], actions), every: SECONDARY_MS })),
  ], { busy: (s) => compareStatus(s) === "running", onError: (err) => console.error(err) });

  /** @param {number} now */
  function loop(now) {
    const s = latest ?? session.get();
    if (renderer.pending(s)) {
      renderer.render(s, now);
      root.dataset.state = compareStatus(s);
      root.dataset.jobs = RUNS.map((run) => s.runs[run].job?.id ?? "").join(",");
      root.dataset.sameWeights = s.sameWeights === null ? "" : String(s.sameWeights);
    }
    requestAnimationFrame(loop);
  }
  requestAnimationFrame(loop);
  return session;
}

async function boot() {
  readToken();
  try {
    const session = start(await api.options());
    await session.open();
  } catch (err) {
    $("compare-controls").textContent = `Could not load the compare view: ${/** @type {Error} */ (err).message}`;
  }
  document.body.dataset.ready = "true";
}

boot();
