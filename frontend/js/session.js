// @ts-check
// The job the page shows and where it came from: a preview of the form's setup (nothing is
// stored), a job the page created or forked (its key kept in keys.js), or someone else's job,
// watched. Follows the shown job's stream; deletes the page's own jobs.

import { openStream } from "./api.js";
import { createLatest } from "./latest.js";
import { cloneSpec, sameRun } from "./spec.js";
import { owns, shownSamples, shownSizes } from "./selectors.js";
import { dataKind } from "./userData.js";

const FULL_DETAIL_LIMIT = 20000; // numbers per frame above which train mode asks for summaries

/** @import { ExplainPlayer, JobCreated, JobView, ServerMessage, Spec, State, Store, StreamSettings } from "./types.js" */
/**
 * What the session needs beside the store and the api.
 * @typedef {{
 *   keys: {ids: () => string[], set: (id: string, key: string) => void, remove: (id: string) => void},
 *   player: ExplainPlayer,
 *   replayer: {cancel: () => void},
 *   fail: (err: unknown, what: string) => void,
 *   onUrlChange?: () => void,
 *   confirm: (message: string) => boolean,
 * }} SessionParts
 */

/**
 * `store`, `api` and {keys, player, replayer, fail(err, what), onUrlChange, confirm} →
 * {attach, preview, create, fork, remove, refreshJobs, knownKeys, configure, stop}.
 * @param {Store} store
 * @param {any} api  api.js's `api`
 * @param {SessionParts} parts
 */
export function createSession(store, api, { keys, player, replayer, fail, onUrlChange, confirm }) {
  const get = store.get;
  const dispatch = store.dispatch;
  /** @type {{close: () => void, configure: (settings: StreamSettings) => void} | null} */
  let stream = null;
  /** @type {Set<string>} */
  const leaving = new Set(); // jobs being deleted: their stream's end is no surprise
  const knownKeys = () => dispatch({ type: "keys", ids: keys.ids() });
  const previewer = createLatest((spec) => api.preview(spec), {
    onResult: (/** @type {import("./types.js").Preview} */ answer, /** @type {Spec} */ spec) =>
      dispatch({ type: "preview", spec, answer }),
    onError: (/** @type {unknown} */ err) => fail(err, "Could not preview this setup"),
  });

  /** @param {State} s @returns {StreamSettings} */
  function streamSettings(s = get()) {
    if (s.mode === "explain") return { fps: 60, detail: "full" };
    const sizes = s.spec?.network?.layers ?? [];
    const batch = s.spec?.training?.mode === "sgd" ? 1 : s.spec?.training?.mode === "batch"
      ? s.dataset?.rows ?? 500 : s.spec?.training?.batch_size ?? 1;
    // what a full frame carries: a wide layer's first neurons, a long batch's first samples
    const numbers = shownSizes(sizes, s.options).reduce((a, n) => a + n, 0) *
      shownSamples(batch, s.options) * 4;
    return { fps: 30, detail: numbers <= FULL_DETAIL_LIMIT ? "full" : "summary" };
  }

  /** @param {ServerMessage} msg */
  function onMessage(msg) {
    dispatch({ type: "message", message: msg });
    const s = get();
    if (msg.type === "snapshot" && msg.job?.spec?.network && !(s.spec && sameRun(msg.job.spec, s.spec))) {
      dispatch({ type: "spec", spec: formSpec(msg.job.spec) });
      onUrlChange?.();
    }
    if ((msg.type === "snapshot" || msg.type === "status") && msg.job?.id === s.job?.id) {
      if (s.mode === "train") dispatch({ type: "playing", playing: msg.job.status === "running" });
    }
    if (msg.type === "snapshot") stream?.configure(streamSettings());
  }

  /** Stop following the shown job (its stream, a replay, the explain player). */
  function stop() {
    stream?.close();
    stream = null;
    player.send("reset");
    replayer.cancel();
  }

  /** @param {string} id @param {JobView | null} view */
  function attach(id, view = null) {
    stop();
    // until its view is in: a placeholder, "…" (activity.js shows it as connecting)
    const placeholder = /** @type {JobView} */ (/** @type {unknown} */ ({ id, status: "…", spec: null, iteration: 0, epoch: 0 }));
    dispatch({ type: "attach", job: view ?? placeholder });
    // drawn as itself at once (its layers and data), before its snapshot arrives
    if (view?.spec?.network && !sameRun(view.spec, get().spec ?? {})) dispatch({ type: "spec", spec: formSpec(view.spec) });
    knownKeys();
    stream = openStream(id, {
      configure: streamSettings(),
      onMessage,
      onState: (/** @type {import("./types.js").Connection} */ c) => {
        dispatch({ type: "connection", connection: c });
        if (c === "gone" && !leaving.has(id) && get().job?.id === id && !get().error) {
          keys.remove(id);
          preview();
          dispatch({ type: "error", error: `The job ${id.slice(0, 6)}… no longer exists: play starts a new one.` });
        }
      },
    });
    onUrlChange?.();
  }

  /** Show the form's setup with no job: its initial weights and data, nothing stored. */
  function preview() {
    if (get().job) {
      stop();
      dispatch({ type: "attach", job: null });
      dispatch({ type: "connection", connection: "closed" });
      onUrlChange?.();
    }
    const s = get();
    if (Object.keys(s.specErrors).length || !s.spec) return;
    previewer.request(cloneSpec(s.spec));
  }

  /** A job from the server's answer to create or fork: its key kept, the page attached. */
  /** @param {JobCreated} answer */
  function adopt(answer) {
    const { key, ...view } = answer;
    keys.set(view.id, key);
    attach(view.id, view);
    refreshJobs();
    return view;
  }

  /** A new job from `spec`; the server's refusal (a 429 names the limit) is thrown. */
  /** @param {Spec} spec */
  async function create(spec) {
    return adopt(await api.create(spec));
  }

  /** A copy of the shown job that the page owns, paused at iteration 0 from its weights. */
  async function fork() {
    const s = get();
    if (!s.job) return;
    dispatch({ type: "busy", busy: true });
    try {
      adopt(await api.fork(s.job.id));
    } catch (err) {
      fail(err, "Fork");
    } finally {
      dispatch({ type: "busy", busy: false });
    }
  }

  /** Delete the page's own job (after a confirm), then preview the form's setup. */
  async function remove() {
    const s = get();
    if (!owns(s) || !s.job) return;
    const id = s.job.id;
    if (!confirm(`Delete job ${id.slice(0, 6)}…? Its run and loss history are removed for good.`)) return;
    leaving.add(id);
    try {
      await api.remove(id);
    } catch (err) {
      if (/** @type {{status?: number}} */ (err).status !== 404) {
        leaving.delete(id);
        return fail(err, "Delete");
      }
    }
    keys.remove(id);
    if (get().job?.id === id) preview();
    refreshJobs();
  }

  async function refreshJobs() {
    knownKeys(); // another tab may have made jobs
    try {
      dispatch({ type: "jobs", jobs: await api.jobs() });
    } catch {
      // the list is a convenience: the next refresh tries again
    }
  }

  return {
    attach, preview, create, fork, remove, refreshJobs, knownKeys, stop,
    /** Tell the stream what the page's mode wants now. */
    configure: () => stream?.configure(streamSettings()),
  };
}

/** The form's spec for a job's spec: the job's network, training and data, CSV or inline too. */
/**
 * @param {Spec} jobSpec
 * @returns {Spec}
 */
export function formSpec(jobSpec) {
  const spec = /** @type {Partial<Spec> & Pick<Spec, "network" | "training" | "dataset">} */ (cloneSpec(jobSpec));
  delete spec.start;
  delete spec.speed;
  spec.network.weights = null;
  const data = /** @type {import("./types.js").NamedDatasetSpec} */ (spec.dataset);
  if (dataKind(spec.dataset) === "named" && !data.features) data.features = [];
  return /** @type {Spec} */ (spec);
}
