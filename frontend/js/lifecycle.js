// @ts-check
// The attached job's life as the reader drives it: create it from the form, play, pause, step,
// reset, switch mode, and the form's edits (α alone is a PATCH of the page's own job, anything
// else a new preview). Only a job whose key the page holds (keys.js) is ever changed; the
// server's answers go to the store as what they are (a job view, a reset), never dressed up as
// stream messages. No DOM.

import { canTrain, owns } from "./selectors.js";
import { cloneSpec, sameRun } from "./spec.js";

/** @import { ExplainPlayer, JobView, Spec } from "./types.js" */
/** @import { Store } from "./types.js" */
/**
 * What the life of a job needs beside the store and the api.
 * @typedef {{
 *   player: ExplainPlayer,
 *   replayer: {live: () => void, seekBy: (amount: {iterations?: number, epochs?: number} | null) => unknown},
 *   session: {create: (spec: Spec) => Promise<JobView>, preview: () => void, configure: () => void, knownKeys: () => void},
 *   keys: {remove: (id: string) => void},
 *   onUrlChange?: () => void,
 * }} Parts
 */

export const ENDED = ["finished", "converged", "diverged", "failed", "stopped"];
const SPEC_DEBOUNCE_MS = 350;
const READ_ONLY = "This job is someone else's: watch it, replay it, or fork it to train your own copy.";

/**
 * @param {Store} store
 * @param {any} api  api.js's `api`
 * @param {Parts} parts
 */
export function createLifecycle(store, api, { player, replayer, session, keys, onUrlChange }) {
  const { get, dispatch } = store;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let specTimer;

  /** @param {unknown} err @param {string} what */
  const fail = (err, what) =>
    dispatch({ type: "error", error: `${what}: ${/** @type {Error} */ (err).message ?? err}` });
  const hasErrors = () => Object.keys(get().specErrors).length > 0;

  /** @param {boolean} running @returns {Promise<JobView | null>} */
  async function createJob(running = false) {
    const s = get();
    if (hasErrors() || !s.spec) {
      dispatch({ type: "error", error: Object.values(s.specErrors)[0] ?? "The form is not ready." });
      return null;
    }
    const spec = { ...cloneSpec(s.spec), start: running ? "running" : "paused" };
    spec.speed = s.mode === "train" ? s.trainSpeed : null;
    spec.network.weights = null;
    dispatch({ type: "busy", busy: true });
    try {
      const view = await session.create(spec);
      dispatch({ type: "error", error: null });
      return view;
    } catch (err) {
      fail(err, "Could not start a job"); // a 429 says which limit the store has reached
      return null;
    } finally {
      dispatch({ type: "busy", busy: false });
    }
  }

  /** The attached job if the page owns it and it still matches the form, else a new one. */
  async function ensureJob(running = false) {
    const s = get();
    if (!canTrain(s)) return readOnly();
    if (s.job && s.job.spec && s.spec && sameRun(s.job.spec, s.spec)) return s.job;
    return createJob(running);
  }

  function readOnly() {
    dispatch({ type: "notice", notice: READ_ONLY });
    return null;
  }

  /** @param {JobView | null} job */
  function ended(job) {
    if (job && ENDED.includes(job.status)) {
      dispatch({ type: "notice", notice: job.message || `The job is ${job.status}: reset it or start a new one.` });
      return true;
    }
    return false;
  }

  /**
   * A request that changes the job: its failure is shown; a refused key makes the job watch-only.
   * @template T
   * @param {string} what
   * @param {() => Promise<T>} fn
   * @returns {Promise<T | null>}
   */
  async function call(what, fn) {
    try {
      return await fn();
    } catch (err) {
      const job = get().job;
      if (/** @type {{status?: number}} */ (err).status === 403 && job) { // a key the server does not take
        keys.remove(job.id);
        session.knownKeys();
      }
      fail(err, what);
      return null;
    }
  }

  /** A control route's answer: the job as it was when answered. @param {JobView | null} view */
  const answered = (view) => view && dispatch({ type: "job", job: view });

  async function play() {
    const s = get();
    dispatch({ type: "notice", notice: null });
    if (s.replay !== null) {
      if (s.mode === "explain") return player.send("play"); // replay on towards the newest
      replayer.live();
    }
    const job = await ensureJob(s.mode === "train");
    if (!job || !(await again(get().job))) return;
    if (s.mode === "explain") return (await stillFor(job)) && player.send("play");
    dispatch({ type: "playing", playing: true });
    if ((s.trainSpeed ?? null) !== (job.spec?.speed ?? null)) {
      await call("Speed", () => api.configure(job.id, { speed: s.trainSpeed }));
    }
    if (job.status !== "running") await call("Play", () => api.resume(job.id)); // the stream says it runs
  }

  /** ▶ on the reader's ended job runs it again from its initial weights (a reset): one click. */
  /** @param {JobView | null} job */
  async function again(job) {
    if (!job || !ENDED.includes(job.status)) return true;
    if (!owns(get())) return !ended(job);
    const why = job.message || job.status;
    await reset();
    if (ENDED.includes(get().job?.status ?? "")) return false;
    dispatch({ type: "notice", notice: `The last run ended (${why}): ▶ runs it again from its initial weights.` });
    return true;
  }

  /** Explain mode steps a paused job: one running (in train mode elsewhere) is paused. */
  /** @param {JobView} job */
  async function stillFor(job) {
    if (get().job?.status !== "running") return true;
    return Boolean(await call("Pause", () => api.pause(job.id)));
  }

  async function pause() {
    const s = get();
    if (s.mode === "explain") player.send("pause"); // and a job of the page's running on (⏸ says so)
    else dispatch({ type: "playing", playing: false });
    const job = s.job;
    if (owns(s) && job?.status === "running") await call("Pause", () => api.pause(job.id));
  }

  /**
   * A step of `amount` ({iterations} or {epochs}; null: explain mode's next phase).
   * @param {{iterations?: number, epochs?: number} | null} amount
   * @param {"step-phase" | "step-iteration" | "step-epoch"} event  the explain player's event for it
   */
  async function step(amount, event) {
    const s = get();
    dispatch({ type: "notice", notice: null });
    if (s.replay !== null) return s.mode === "explain" ? player.send(event) : replayer.seekBy(amount);
    const job = await ensureJob(false);
    if (!job || ended(get().job)) return;
    if (s.mode === "explain") return (await stillFor(job)) && player.send(event);
    if (get().job?.status === "running") await pause();
    dispatch({ type: "busy", busy: true });
    await call("Step", () => api.step(job.id, amount)); // its frames and status come by the stream
    dispatch({ type: "busy", busy: false });
  }

  async function reset() {
    const s = get();
    const job = s.job;
    if (!owns(s) || !job) return readOnly();
    player.send("reset");
    dispatch({ type: "playing", playing: false });
    dispatch({ type: "notice", notice: null });
    const view = await call("Reset", () => api.reset(job.id));
    if (!view) return;
    dispatch({ type: "job-reset", job: view });
    const w = await call("Weights", () => api.weights(job.id));
    if (w) dispatch({ type: "weights", weights: w.layers ?? w.weights ?? w });
  }

  /** @param {"explain" | "train"} mode */
  async function setMode(mode) {
    const s = get();
    if (mode === s.mode) return;
    const wasPlaying = s.playing;
    if (mode === "train") player.send("reset");
    dispatch({ type: "mode", mode });
    // someone else's job runs (or not) as its owner wants: train mode's button shows which
    dispatch({ type: "playing", playing: mode === "train" && !owns(s) && s.job?.status === "running" });
    session.configure();
    onUrlChange?.();
    const job = s.job;
    if (!owns(s) || !job) return;
    if (mode === "explain" && job.status === "running") await call("Pause", () => api.pause(job.id));
    if (mode === "train" && wasPlaying) await play();
  }

  /** @param {Spec} spec */
  function setSpec(spec) {
    dispatch({ type: "spec", spec });
    onUrlChange?.();
    clearTimeout(specTimer);
    if (hasErrors()) return;
    dispatch({ type: "error", error: null });
    specTimer = setTimeout(applySpec, SPEC_DEBOUNCE_MS);
  }

  /** An edited form: α alone is a PATCH of the page's own job; anything else a new preview. */
  async function applySpec() {
    const s = get();
    const form = s.spec;
    if (hasErrors() || !form) return;
    const job = s.job;
    if (job?.spec && sameRun(job.spec, form)) return;
    if (!job && s.preview && sameRun(s.preview, form)) return;
    const rate = form.training.learning_rate;
    const onlyRate = owns(s) && job?.spec && !ENDED.includes(job.status) &&
      sameRun(job.spec, { ...form, training: { ...form.training, learning_rate: job.spec.training.learning_rate } });
    if (onlyRate && job) {
      answered(await call("Learning rate", () => api.configure(job.id, { learning_rate: rate })));
      return;
    }
    session.preview(); // the job (if any) stays on the server; ▶ or a step starts one from the form
  }

  return { createJob, ensureJob, readOnly, call, play, pause, step, reset, setMode, setSpec };
}
