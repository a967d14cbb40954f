// @ts-check
// The compare view's three runs — batch, stochastic and mini-batch gradient descent — each a
// job the page owns (its key in keys.js, as the main page keeps them), each followed on its own
// stream into a store of its own (store.js: the same reducer as the main page, so its loss
// history and Figure 2's frames are assembled the same way). Before there are jobs, each run
// previews its spec (POST /api/preview: its data and initial weights, nothing stored). ▶ makes
// the three jobs paused, checks that they start from the same weights, then resumes them
// together. No DOM.

import { openStream } from "./api.js";
import { RUNS, matchesRun, runSpec, settingErrors, settingsOfJobs } from "./compareState.js";
import { createStore } from "./store.js";

/** @import { CompareSettings } from "./compareState.js" */
/** @import { JobView, Mode, Options, Spec, State } from "./types.js" */
/** @typedef {ReturnType<typeof createStore>} RunStore */
/**
 * @typedef {object} CompareState
 * @property {Options} options
 * @property {CompareSettings} settings
 * @property {Record<string, string>} errors  control → message
 * @property {Record<Mode, State>} runs  each run's store state
 * @property {boolean | null} sameWeights  the three jobs' initial weights compared (null: not yet)
 * @property {boolean} busy  jobs are being made or changed
 * @property {boolean} owned  the page holds the three jobs' keys (else ▶ makes its own)
 * @property {string | null} message  an error or a notice for the reader
 */

const ENDED = new Set(["finished", "converged", "diverged", "stopped", "failed"]);
const STREAM = { fps: 10, detail: "summary" }; // counters, batch rows and weights: all the view draws

/**
 * @param {any} api  api.js's `api`
 * @param {{keys: import("./keys.js").Keyring, options: Options, settings: CompareSettings,
 *   onChange: (state: CompareState) => void, onUrlChange: () => void}} parts
 */
export function createCompareSession(api, { keys, options, settings, onChange, onUrlChange }) {
  /** @type {Record<Mode, RunStore>} */
  const stores = { batch: createStore(), sgd: createStore(), minibatch: createStore() };
  /** @type {Partial<Record<Mode, {close: () => void}>>} */
  const streams = {};
  /** @type {CompareState} */
  let state = { options, settings, errors: settingErrors(settings, options), runs: runStates(), sameWeights: null,
    busy: false, owned: false, message: null };

  function runStates() {
    return { batch: stores.batch.get(), sgd: stores.sgd.get(), minibatch: stores.minibatch.get() };
  }
  /** @param {Partial<CompareState>} patch */
  function set(patch) {
    state = { ...state, ...patch, runs: runStates(), owned: ownsAll() };
    onChange(state);
  }

  /** @param {Mode} run */
  const jobOf = (run) => stores[run].get().job;
  const ids = () => RUNS.map((run) => jobOf(run)?.id ?? null);
  const ownsAll = () => ids().every((id) => id !== null && keys.has(id));
  /** @param {unknown} err @param {string} what */
  const fail = (err, what) => set({ message: `${what}: ${/** @type {Error} */ (err).message ?? err}`, busy: false });

  for (const run of RUNS) {
    stores[run].subscribe(() => set({}));
    stores[run].dispatch({ type: "options", options });
  }

  /** Follow `view`'s job as `run`. @param {Mode} run @param {JobView} view */
  function attach(run, view) {
    streams[run]?.close();
    stores[run].dispatch({ type: "attach", job: view });
    streams[run] = openStream(view.id, {
      configure: STREAM,
      onMessage: (/** @type {any} */ message) => stores[run].dispatch({ type: "message", message }),
      onState: (/** @type {any} */ connection) => stores[run].dispatch({ type: "connection", connection }),
    });
  }

  /** Stop following the jobs; each run previews the settings' spec instead. */
  async function preview() {
    for (const run of RUNS) {
      streams[run]?.close();
      delete streams[run];
      const spec = runSpec(state.settings, run, options);
      stores[run].dispatch({ type: "attach", job: null });
      stores[run].dispatch({ type: "spec", spec });
    }
    if (Object.keys(state.errors).length) return;
    await Promise.all(RUNS.map(async (run) => {
      const spec = stores[run].get().spec;
      if (!spec) return;
      try {
        stores[run].dispatch({ type: "preview", spec, answer: await api.preview(spec) });
      } catch (err) {
        fail(err, "Preview");
      }
    }));
  }

  /** The jobs a link names when all three exist (watched, or the page's own), else a preview. */
  async function open() {
    const wanted = RUNS.map((run) => state.settings.jobs[run]);
    if (wanted.every(Boolean)) {
      const views = await Promise.all(wanted.map((id) => api.job(id).catch(() => null)));
      if (views.every(Boolean)) {
        /** @type {Partial<Record<Mode, Spec>>} */
        const specs = {};
        RUNS.forEach((run, i) => { specs[run] = views[i].spec; });
        const settings = settingsOfJobs(state.settings, specs);
        set({ settings, errors: settingErrors(settings, options) });
        RUNS.forEach((run, i) => attach(run, views[i]));
        return checkWeights();
      }
      set({ message: "The jobs in the link no longer exist: ▶ starts new ones with their settings.",
        settings: { ...state.settings, jobs: { batch: null, sgd: null, minibatch: null } } });
      onUrlChange();
    }
    await preview();
  }

  /** Whether the three jobs start from the same W^1 … W^L (GET /export's initial weights). */
  async function checkWeights() {
    try {
      const initial = await Promise.all(ids().map(exportInitial));
      const first = JSON.stringify(initial[0]);
      set({ sameWeights: initial.every((w) => JSON.stringify(w) === first) });
    } catch (err) {
      fail(err, "Initial weights");
    }
  }

  /** @param {string | null} id */
  async function exportInitial(id) {
    const response = await fetch(`/api/jobs/${encodeURIComponent(String(id))}/export`);
    if (!response.ok) throw new Error(`the server answered ${response.status}`);
    return (await response.json()).initial_weights;
  }

  /** Three new paused jobs from the settings, owned by the page. */
  async function create() {
    /** @type {JobView[]} */
    const views = [];
    for (const run of RUNS) {
      const { key, ...view } = await api.create(runSpec(state.settings, run, options));
      keys.set(view.id, key);
      views.push(view);
    }
    RUNS.forEach((run, i) => attach(run, views[i]));
    set({ settings: { ...state.settings, jobs: { batch: views[0].id, sgd: views[1].id, minibatch: views[2].id } },
      sameWeights: null });
    onUrlChange();
    await checkWeights();
  }

  /** ▶: new jobs when the page has none of its own for these settings; ended runs start over. */
  async function play() {
    if (state.busy || Object.keys(state.errors).length) return;
    set({ busy: true, message: null });
    try {
      const current = RUNS.every((run) => matchesRun(jobOf(run)?.spec, state.settings, run));
      if (!current || !ownsAll()) await create();
      for (const run of RUNS) {
        const job = /** @type {JobView} */ (jobOf(run));
        if (ENDED.has(job.status)) stores[run].dispatch({ type: "job-reset", job: await api.reset(job.id) });
      }
      await Promise.all(RUNS.map(async (run) => {
        const job = /** @type {JobView} */ (jobOf(run));
        if (job.status !== "running") stores[run].dispatch({ type: "job", job: await api.resume(job.id) });
      }));
      set({ busy: false });
    } catch (err) {
      fail(err, "Start");
    }
  }

  /** @param {"pause" | "reset"} action */
  async function each(action) {
    if (state.busy || !ownsAll()) return;
    set({ busy: true, message: null });
    try {
      await Promise.all(RUNS.map(async (run) => {
        const job = /** @type {JobView} */ (jobOf(run));
        if (action === "pause" && job.status !== "running") return;
        const view = await api[action](job.id);
        stores[run].dispatch({ type: action === "reset" ? "job-reset" : "job", job: view });
      }));
      set({ busy: false });
    } catch (err) {
      fail(err, action === "pause" ? "Pause" : "Reset");
    }
  }

  /**
   * New settings: the x-axis only redraws; anything else previews the new runs (the old jobs
   * are paused and left as they are: "open alone" links to them still work), made on ▶.
   * @param {Partial<CompareSettings>} patch
   */
  async function setSettings(patch) {
    const settings = { ...state.settings, ...patch };
    const axisOnly = Object.keys(patch).every((k) => k === "axis");
    if (axisOnly) {
      set({ settings });
      return onUrlChange();
    }
    const running = ownsAll() ? RUNS.map(jobOf).filter((j) => j?.status === "running") : [];
    await Promise.all(running.map((j) => api.pause(/** @type {JobView} */ (j).id).catch(() => null)));
    set({ settings: { ...settings, jobs: { batch: null, sgd: null, minibatch: null } },
      errors: settingErrors(settings, options), sameWeights: null, message: null });
    onUrlChange();
    await preview();
  }

  return {
    open, play, setSettings,
    pause: () => each("pause"),
    reset: () => each("reset"),
    get: () => state,
    ownsAll,
  };
}

/**
 * What the three runs are doing, for ▶/⏸ and the page's status: "setup" (no jobs yet),
 * "running" (any of them), "ended" (all three), else "paused".
 * @param {CompareState} s
 */
export function compareStatus(s) {
  const jobs = RUNS.map((run) => s.runs[run].job);
  if (jobs.some((j) => !j)) return "setup";
  if (jobs.some((j) => j?.status === "running")) return "running";
  if (jobs.every((j) => j && ENDED.has(j.status))) return "ended";
  return "paused";
}
