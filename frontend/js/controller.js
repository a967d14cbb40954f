// The page's actions: play, pause, step, reset, switch mode, edit the spec, replay past
// iterations, zoom the loss chart, fork and delete jobs. Views call these; state changes flow
// back through the store. Only a job whose key the page holds (keys.js) is ever changed:
// someone else's job is watched, replayed or forked (session.js keeps track of which is which).

import { zoomRange } from "./history.js";
import { createLatest } from "./latest.js";
import { createCsvLoader } from "./csvLoader.js";
import { createExplainPlayer } from "./player.js";
import { createReplayer } from "./replayer.js";
import { createSession } from "./session.js";
import { cloneSpec, sameRun } from "./spec.js";
import * as arch from "./spec.js";
import { canTrain, owns } from "./store.js";
import { createWeightChanges } from "./weightChanges.js";

const ENDED = ["finished", "converged", "diverged", "failed", "stopped"];
const SPEC_DEBOUNCE_MS = 350;
const READ_ONLY = "This job is someone else's: watch it, replay it, or fork it to train your own copy.";

export function createController(store, api, { onUrlChange, keys, confirm = () => true } = {}) {
  const get = store.get;
  const dispatch = store.dispatch;
  let specTimer = null;

  const fail = (err, what) => dispatch({ type: "error", error: `${what}: ${err.message ?? err}` });
  const player = createExplainPlayer(store, api, (err) => fail(err, "Step"));
  const replayer = createReplayer(store, api, player, (err) => fail(err, "Replay"));
  const session = createSession(store, api, { keys, player, replayer, fail, onUrlChange, confirm });
  const weightChanges = createWeightChanges(store, api, { ensureJob, player });
  const zoomer = createLatest(({ id, from, to }) => api.losses(id, from, to), {
    onResult: (answer, { id }) => get().job?.id === id && dispatch({ type: "zoom", zoom: answer }),
    onError: (err) => fail(err, "Zoom"),
  });

  async function createJob(running = false) {
    const s = get();
    if (Object.keys(s.specErrors).length) {
      dispatch({ type: "error", error: Object.values(s.specErrors)[0] });
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
  async function ensureJob(running) {
    const s = get();
    if (!canTrain(s)) return readOnly();
    if (s.job && s.job.spec && sameRun(s.job.spec, s.spec)) return s.job;
    return createJob(running);
  }

  function readOnly() {
    dispatch({ type: "notice", notice: READ_ONLY });
    return null;
  }

  function ended(job) {
    if (job && ENDED.includes(job.status)) {
      dispatch({ type: "notice", notice: job.message || `The job is ${job.status}: reset it or start a new one.` });
      return true;
    }
    return false;
  }

  async function call(what, fn) {
    try {
      return await fn();
    } catch (err) {
      if (err.status === 403 && get().job) { // a key the server does not take: watch only from now on
        keys.remove(get().job.id);
        session.knownKeys();
      }
      fail(err, what);
      return null;
    }
  }

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
    if (job.status !== "running") await call("Play", () => api.resume(job.id));
  }

  /** ▶ on the reader's ended job runs it again from its initial weights (a reset): one click. */
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
  async function stillFor(job) {
    if (get().job?.status !== "running") return true;
    return Boolean(await call("Pause", () => api.pause(job.id)));
  }

  async function pause() {
    const s = get();
    if (s.mode === "explain") player.send("pause"); // and a job of the page's running on (⏸ says so)
    else dispatch({ type: "playing", playing: false });
    if (owns(s) && s.job.status === "running") await call("Pause", () => api.pause(s.job.id));
  }

  async function step(amount, event) {
    const s = get();
    dispatch({ type: "notice", notice: null });
    if (s.replay !== null) return s.mode === "explain" ? player.send(event) : replayer.seekBy(amount);
    const job = await ensureJob(false);
    if (!job || ended(get().job)) return;
    if (s.mode === "explain") return (await stillFor(job)) && player.send(event);
    if (get().job.status === "running") await pause();
    dispatch({ type: "busy", busy: true });
    await call("Step", () => api.step(job.id, amount));
    dispatch({ type: "busy", busy: false });
  }

  async function reset() {
    const s = get();
    if (!owns(s)) return readOnly();
    player.send("reset");
    dispatch({ type: "playing", playing: false });
    dispatch({ type: "notice", notice: null });
    const view = await call("Reset", () => api.reset(s.job.id));
    if (!view) return;
    dispatch({ type: "message", message: { type: "history", reset: true, iterations: 0 } });
    dispatch({ type: "message", message: { type: "status", job: view } });
    const w = await call("Weights", () => api.weights(s.job.id));
    if (w) dispatch({ type: "weights", weights: w.layers ?? w.weights ?? w });
  }

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
    if (!owns(s)) return;
    if (mode === "explain" && s.job.status === "running") await call("Pause", () => api.pause(s.job.id));
    if (mode === "train" && wasPlaying) await play();
  }

  function setSpec(spec) {
    dispatch({ type: "spec", spec });
    onUrlChange?.();
    clearTimeout(specTimer);
    const s = get();
    if (Object.keys(s.specErrors).length) return;
    dispatch({ type: "error", error: null });
    specTimer = setTimeout(applySpec, SPEC_DEBOUNCE_MS);
  }

  /** An edited form: α alone is a PATCH of the page's own job; anything else a new preview. */
  async function applySpec() {
    const s = get();
    if (Object.keys(s.specErrors).length || !s.spec) return;
    const job = s.job;
    if (job?.spec && sameRun(job.spec, s.spec)) return;
    if (!job && s.preview && sameRun(s.preview, s.spec)) return;
    const onlyRate = owns(s) && job.spec && !ENDED.includes(job.status) && sameRun(job.spec,
      { ...s.spec, training: { ...s.spec.training, learning_rate: job.spec.training.learning_rate } });
    if (onlyRate) {
      const view = await call("Learning rate", () => api.configure(job.id, { learning_rate: s.spec.training.learning_rate }));
      if (view) dispatch({ type: "message", message: { type: "status", job: view } });
      return;
    }
    session.preview(); // the job (if any) stays on the server; ▶ or a step starts one from the form
  }

  /** Zoom the loss chart to iterations a…b: exact losses when few enough, else the buckets. */
  function zoom(a, b) {
    const s = get();
    const range = s.job ? zoomRange(a, b, s.history.iterations) : null;
    if (!range) return;
    if (!range.exact) return dispatch({ type: "zoom", zoom: { from: range.from, to: range.to, loss: null } });
    zoomer.request({ id: s.job.id, from: range.from, to: range.to });
  }

  const csv = createCsvLoader(store, api, { setSpec });
  const edit = (fn) => () => setSpec(fn(get().spec, get().options));
  return {
    player,
    attach: session.attach,
    preview: session.preview,
    refreshJobs: session.refreshJobs,
    actions: {
      play, pause, reset, setMode, setSpec, zoom,
      refreshJobs: session.refreshJobs,
      fork: session.fork,
      deleteJob: () => (owns(get()) ? session.remove() : readOnly()),
      unzoom: () => {
        zoomer.cancel();
        dispatch({ type: "zoom", zoom: null });
      },
      seek: replayer.seek,
      live: replayer.live,
      editSpec: (fn) => get().spec && setSpec(fn(get().spec)),
      stepPhase: async () => {
        if (get().mode !== "explain") await setMode("explain");
        await step(null, "step-phase");
      },
      stepIteration: () => step({ iterations: 1 }, "step-iteration"),
      stepEpoch: () => step({ epochs: 1 }, "step-epoch"),
      newJob: () => createJob(get().mode === "train"),
      attach: async (id) => {
        const view = await call("Attach", () => api.job(id));
        if (view) session.attach(id, view);
      },
      loadCsv: csv.load,
      setCsvRole: csv.setRole,
      setStandardize: csv.setStandardize,
      useCsv: csv.use,
      setAnimSpeed: (speed) => dispatch({ type: "anim-speed", speed }),
      setTrainSpeed: async (speed) => {
        dispatch({ type: "train-speed", speed });
        const s = get();
        if (owns(s) && s.mode === "train") await call("Speed", () => api.configure(s.job.id, { speed }));
      },
      select: (selected) => dispatch({ type: "select", selected }),
      editWeight: weightChanges.edit,
      completeWeights: (id) => api.weightsComplete(id), // ArrayBuffer: a wide network's every weight
      datasetRows: (name, query) => api.dataset(name, query), // a registry set's rows, for its thumbnail
      setNodeMaps: (on) => dispatch({ type: "node-maps", on }),
      tour: (step) => dispatch({ type: "tour", step }), // a step index opens the tour there; null closes it
      setSample: (sample) => dispatch({ type: "sample", sample }),
      dismissError: () => dispatch({ type: "error", error: null }),
      addLayer: () => setSpec(arch.addLayer(get().spec, get().options)),
      removeLayer: edit((spec) => arch.removeLayer(spec)),
      addNeuron: (layer) => setSpec(arch.addNeuron(get().spec, get().options, layer)),
      removeNeuron: (layer) => setSpec(arch.removeNeuron(get().spec, get().options, layer)),
    },
  };
}
