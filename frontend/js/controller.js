// @ts-check
// The page's actions, the one channel through which views ask for anything: the job's life
// (lifecycle.js: play, pause, step, reset, mode, the form), and the reader's other wishes —
// replay past iterations, zoom the loss chart, pick a neuron or a sample, fork and delete jobs,
// load a CSV, edit a weight, the tour. Views call these; state changes flow back through the
// store. Someone else's job is watched, replayed or forked (session.js keeps track of which).

import { zoomRange } from "./history.js";
import { createLatest } from "./latest.js";
import { createCsvLoader } from "./csvLoader.js";
import { createLifecycle } from "./lifecycle.js";
import { createExplainPlayer } from "./player.js";
import { createReplayer } from "./replayer.js";
import { createSession } from "./session.js";
import * as arch from "./spec.js";
import { owns } from "./selectors.js";
import { createWeightChanges } from "./weightChanges.js";

/** @import { ExactLosses, NeuronRef, Spec, Store } from "./types.js" */

/**
 * @param {Store} store
 * @param {any} api  api.js's `api`
 * @param {{onUrlChange?: () => void, keys: any, confirm?: (message: string) => boolean}} parts
 */
export function createController(store, api, { onUrlChange, keys, confirm = () => true }) {
  const { get, dispatch } = store;
  /** @param {unknown} err @param {string} what */
  const fail = (err, what) =>
    dispatch({ type: "error", error: `${what}: ${/** @type {Error} */ (err).message ?? err}` });
  const player = createExplainPlayer(store, api, (/** @type {unknown} */ err) => fail(err, "Step"));
  const replayer = createReplayer(store, api, player, (/** @type {unknown} */ err) => fail(err, "Replay"));
  const session = createSession(store, api, { keys, player, replayer, fail, onUrlChange, confirm });
  const job = createLifecycle(store, api, { player, replayer, session, keys, onUrlChange });
  const weightChanges = createWeightChanges(store, api, { ensureJob: job.ensureJob, player });
  const csv = createCsvLoader(store, api, { setSpec: job.setSpec });
  const zoomer = createLatest(
    (/** @type {{id: string, from: number, to: number}} */ { id, from, to }) => api.losses(id, from, to), {
      onResult: (/** @type {ExactLosses} */ answer, /** @type {{id: string}} */ { id }) =>
        get().job?.id === id && dispatch({ type: "zoom", zoom: answer }),
      onError: (/** @type {unknown} */ err) => fail(err, "Zoom"),
    });

  /** Zoom the loss chart to iterations a…b: exact losses when few enough, else the buckets. */
  /** @param {number} a @param {number} b */
  function zoom(a, b) {
    const s = get();
    const range = s.job ? zoomRange(a, b, s.history.iterations) : null;
    if (!range || !s.job) return;
    if (!range.exact) return dispatch({ type: "zoom", zoom: { from: range.from, to: range.to, loss: null } });
    zoomer.request({ id: s.job.id, from: range.from, to: range.to });
  }

  /** @param {(spec: Spec, options: any) => Spec} fn */
  const edit = (fn) => () => {
    const s = get();
    if (s.spec) job.setSpec(fn(s.spec, s.options));
  };
  /** @param {number | null} speed */
  async function setTrainSpeed(speed) {
    dispatch({ type: "train-speed", speed });
    const s = get();
    const id = s.job?.id;
    if (owns(s) && s.mode === "train" && id) await job.call("Speed", () => api.configure(id, { speed }));
  }

  return {
    player,
    attach: session.attach,
    preview: session.preview,
    refreshJobs: session.refreshJobs,
    actions: {
      play: job.play, pause: job.pause, reset: job.reset, setMode: job.setMode, setSpec: job.setSpec, zoom,
      refreshJobs: session.refreshJobs,
      fork: session.fork,
      deleteJob: () => (owns(get()) ? session.remove() : job.readOnly()),
      unzoom: () => {
        zoomer.cancel();
        dispatch({ type: "zoom", zoom: null });
      },
      seek: replayer.seek,
      live: replayer.live,
      /** @param {(spec: Spec) => Spec} fn */
      editSpec: (fn) => edit(fn)(),
      stepPhase: async () => {
        if (get().mode !== "explain") await job.setMode("explain");
        await job.step(null, "step-phase");
      },
      stepIteration: () => job.step({ iterations: 1 }, "step-iteration"),
      stepEpoch: () => job.step({ epochs: 1 }, "step-epoch"),
      newJob: () => job.createJob(get().mode === "train"),
      /** @param {string} id */
      attach: async (id) => {
        const view = await job.call("Attach", () => api.job(id));
        if (view) session.attach(id, view);
      },
      loadCsv: csv.load,
      setCsvRole: csv.setRole,
      setStandardize: csv.setStandardize,
      useCsv: csv.use,
      /** @param {number} speed */
      setAnimSpeed: (speed) => dispatch({ type: "anim-speed", speed }),
      setTrainSpeed,
      /** @param {NeuronRef | null} selected */
      select: (selected) => dispatch({ type: "select", selected }),
      /** @param {number} sample */
      setSample: (sample) => dispatch({ type: "sample", sample }),
      editWeight: weightChanges.edit,
      /** @param {string} id */
      completeWeights: (id) => api.weightsComplete(id), // ArrayBuffer: a wide network's every weight
      /** @param {string} name @param {unknown} query */
      datasetRows: (name, query) => api.dataset(name, query), // a registry set's rows, for its thumbnail
      /** @param {boolean} on */
      setNodeMaps: (on) => dispatch({ type: "node-maps", on }),
      /** @param {number | null} step */
      tour: (step) => dispatch({ type: "tour", step }), // a step index opens the tour there; null closes it
      dismissError: () => dispatch({ type: "error", error: null }),
      addLayer: edit((spec, options) => arch.addLayer(spec, options)),
      removeLayer: edit((spec) => arch.removeLayer(spec)),
      /** @param {number} layer */
      addNeuron: (layer) => edit((spec, options) => arch.addNeuron(spec, options, layer))(),
      /** @param {number} layer */
      removeNeuron: (layer) => edit((spec, options) => arch.removeNeuron(spec, options, layer))(),
    },
  };
}
