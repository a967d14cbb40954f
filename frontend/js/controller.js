// The page's actions: start and attach jobs, play, pause, step, reset, switch mode, edit the
// spec. Views call these; state changes flow back through the store.

import { openStream } from "./api.js";
import { createExplainPlayer } from "./player.js";
import { cloneSpec, sameRun } from "./spec.js";
import * as arch from "./spec.js";

const ENDED = ["finished", "converged", "diverged", "failed", "stopped"];
const SPEC_DEBOUNCE_MS = 350;
const FULL_DETAIL_LIMIT = 20000; // numbers per frame above which train mode asks for summaries

export function createController(store, api, { onUrlChange } = {}) {
  const get = store.get;
  const dispatch = store.dispatch;
  let stream = null;
  let specTimer = null;
  const pristine = new Set(); // jobs this page made that have not trained yet

  const fail = (err, what) => dispatch({ type: "error", error: `${what}: ${err.message ?? err}` });
  const player = createExplainPlayer(store, api, (err) => fail(err, "Step"));

  function streamSettings(s = get()) {
    if (s.mode === "explain") return { fps: 60, detail: "full" };
    const sizes = s.spec?.network?.layers ?? [];
    const batch = s.spec?.training?.mode === "sgd" ? 1 : s.spec?.training?.mode === "batch"
      ? s.dataset?.rows ?? 500 : s.spec?.training?.batch_size ?? 1;
    const numbers = sizes.reduce((a, n) => a + n, 0) * batch * 4;
    return { fps: 30, detail: numbers <= FULL_DETAIL_LIMIT ? "full" : "summary" };
  }

  function onMessage(msg) {
    dispatch({ type: "message", message: msg });
    const s = get();
    if (msg.type === "snapshot" && msg.job?.spec?.network && !sameRun(msg.job.spec, s.spec)) {
      dispatch({ type: "spec", spec: formSpec(msg.job.spec, s.spec) });
      onUrlChange?.();
    }
    if ((msg.type === "snapshot" || msg.type === "status") && msg.job?.id === s.job?.id) {
      if (msg.job.iteration > 0) pristine.delete(msg.job.id);
      if (s.mode === "train") dispatch({ type: "playing", playing: msg.job.status === "running" });
    }
    if (msg.type === "snapshot") stream?.configure(streamSettings());
  }

  function attach(id, view = null) {
    stream?.close();
    player.send("reset");
    dispatch({ type: "attach", job: view ?? { id, status: "…", spec: null, iteration: 0, epoch: 0 } });
    stream = openStream(id, {
      configure: streamSettings(),
      onMessage,
      onState: (c) => {
        dispatch({ type: "connection", connection: c });
        if (c === "gone" && !get().error) {
          // the next play or step starts a new job from the form
          dispatch({ type: "attach", job: null });
          dispatch({ type: "error", error: `The job ${id.slice(0, 6)}… no longer exists: play starts a new one.` });
        }
      },
    });
    onUrlChange?.();
  }

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
      const view = await api.create(spec);
      const previous = s.job;
      dispatch({ type: "error", error: null });
      pristine.add(view.id);
      attach(view.id, view);
      if (previous && pristine.has(previous.id) && previous.id !== view.id) {
        pristine.delete(previous.id);
        api.remove(previous.id).catch(() => {}); // never trained: nobody needs it
      }
      refreshJobs();
      return view;
    } catch (err) {
      fail(err, "Could not start a job");
      return null;
    } finally {
      dispatch({ type: "busy", busy: false });
    }
  }

  /** The attached job if it still matches the form, else a new one. */
  async function ensureJob(running) {
    const s = get();
    if (s.job && s.job.spec && sameRun(s.job.spec, s.spec)) return s.job;
    return createJob(running);
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
      fail(err, what);
      return null;
    }
  }

  async function play() {
    const s = get();
    dispatch({ type: "notice", notice: null });
    const job = await ensureJob(s.mode === "train");
    if (!job || ended(get().job)) return;
    if (s.mode === "explain") return (await stillFor(job)) && player.send("play");
    dispatch({ type: "playing", playing: true });
    if ((s.trainSpeed ?? null) !== (job.spec?.speed ?? null)) {
      await call("Speed", () => api.configure(job.id, { speed: s.trainSpeed }));
    }
    if (job.status !== "running") await call("Play", () => api.resume(job.id));
  }

  /** Explain mode steps a paused job: one running (another viewer started it) is paused. */
  async function stillFor(job) {
    if (get().job?.status !== "running") return true;
    return Boolean(await call("Pause", () => api.pause(job.id)));
  }

  async function pause() {
    const s = get();
    if (s.mode === "explain") return player.send("pause");
    dispatch({ type: "playing", playing: false });
    if (s.job?.status === "running") await call("Pause", () => api.pause(s.job.id));
  }

  async function step(amount, event) {
    const s = get();
    dispatch({ type: "notice", notice: null });
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
    if (!s.job) return;
    player.send("reset");
    dispatch({ type: "playing", playing: false });
    dispatch({ type: "notice", notice: null });
    const view = await call("Reset", () => api.reset(s.job.id));
    if (!view) return;
    dispatch({ type: "message", message: { type: "history", start: 0, loss: [], test: [], reset: true } });
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
    dispatch({ type: "playing", playing: false });
    stream?.configure(streamSettings());
    onUrlChange?.();
    if (mode === "explain" && s.job?.status === "running") await call("Pause", () => api.pause(s.job.id));
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

  async function applySpec() {
    const s = get();
    if (Object.keys(s.specErrors).length || !s.spec) return;
    const job = s.job;
    if (job?.spec && sameRun(job.spec, s.spec)) return;
    const onlyRate = job?.spec && sameRun(job.spec, { ...s.spec, training: { ...s.spec.training,
      learning_rate: job.spec.training.learning_rate } }) && !ENDED.includes(job.status);
    if (onlyRate) {
      const view = await call("Learning rate", () => api.configure(job.id, { learning_rate: s.spec.training.learning_rate }));
      if (view) dispatch({ type: "message", message: { type: "status", job: view } });
      return;
    }
    await createJob(s.mode === "train" && s.playing);
  }

  async function refreshJobs() {
    try {
      dispatch({ type: "jobs", jobs: await api.jobs() });
    } catch {
      // the list is a convenience: the next refresh tries again
    }
  }

  const edit = (fn) => () => setSpec(fn(get().spec, get().options));
  return {
    player,
    attach,
    createJob,
    refreshJobs,
    actions: {
      play, pause, reset, setMode, setSpec, refreshJobs,
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
        if (view) attach(id, view);
      },
      setAnimSpeed: (speed) => dispatch({ type: "anim-speed", speed }),
      setTrainSpeed: async (speed) => {
        dispatch({ type: "train-speed", speed });
        const job = get().job;
        if (job && get().mode === "train") await call("Speed", () => api.configure(job.id, { speed }));
      },
      select: (selected) => dispatch({ type: "select", selected }),
      setSample: (sample) => dispatch({ type: "sample", sample }),
      dismissError: () => dispatch({ type: "error", error: null }),
      addLayer: () => setSpec(arch.addLayer(get().spec, get().options)),
      removeLayer: edit((spec) => arch.removeLayer(spec)),
      addNeuron: (layer) => setSpec(arch.addNeuron(get().spec, get().options, layer)),
      removeNeuron: (layer) => setSpec(arch.removeNeuron(get().spec, get().options, layer)),
    },
  };
}

/** The form's spec for a job's spec: named data sets as they are, inline ones keep the form's. */
function formSpec(jobSpec, current) {
  const spec = cloneSpec(jobSpec);
  delete spec.start;
  delete spec.speed;
  spec.network.weights = null;
  if (!spec.dataset?.name && current) spec.dataset = cloneSpec(current.dataset);
  if (!spec.dataset.features) spec.dataset.features = [];
  return spec;
}
