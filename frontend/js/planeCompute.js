// @ts-check
// The plane's forward passes for a view, on a worker (planeWorker.js) when the browser has
// one, else here. The newest request wins: while one is computed, a later one waits and any
// earlier waiting one is dropped, so a view is never answered with weights older than the
// last it drew. A view hands in what it needs back with each request (`tag`).

import { planeValues } from "./planeMaps.js";

/** @import { Matrix } from "./types.js" */
/** @import { Activations } from "./forward.js" */
/**
 * One request: W^1 … W^L, the activations, the grid's rows (n², n_0), and what the view wants back.
 * @template T
 * @typedef {{weights: Matrix[], network: Activations, inputs: number[][], tag: T}} PlaneRequest
 */

/**
 * A worker of planeWorker.js, or null where none can start (no Worker, a refusal).
 * @returns {Worker | null}
 */
function startWorker() {
  try {
    return typeof Worker === "function"
      ? new Worker(new URL("./planeWorker.js", import.meta.url), { type: "module" }) : null;
  } catch {
    return null;
  }
}

/**
 * `submit(request)` computes every neuron's values over `inputs` and calls
 * `onValues(values, tag)`: values [layer][neuron] (n²), layer 0 the inputs' columns.
 * @template T
 * @param {(values: Float64Array[][], tag: T) => void} onValues
 * @param {(message: string) => void} [onError]
 */
export function createPlaneCompute(onValues, onError = () => {}) {
  let worker = startWorker();
  /** @type {PlaneRequest<T> | null} */
  let running = null;
  /** @type {PlaneRequest<T> | null} */
  let waiting = null;
  /** @type {number[][] | null} */
  let sentInputs = null;
  let seq = 0;

  /** @param {PlaneRequest<T>} r */
  const here = (r) => onValues(planeValues(r.weights, r.network, r.inputs), r.tag);

  /** @param {PlaneRequest<T>} r */
  function send(r) {
    running = r;
    const inputs = r.inputs === sentInputs ? null : r.inputs; // the grid crosses once
    sentInputs = r.inputs;
    worker?.postMessage({ seq: ++seq, weights: r.weights, network: r.network, inputs });
  }

  function next() {
    const r = waiting;
    waiting = null;
    running = null;
    if (r) send(r);
  }

  if (worker) {
    worker.onmessage = (/** @type {MessageEvent<{values?: Float64Array[][], error?: string}>} */ e) => {
      const done = running;
      next();
      if (!done) return;
      if (e.data.values) onValues(e.data.values, done.tag);
      else onError(e.data.error ?? "the plane could not be computed");
    };
    worker.onerror = (e) => {
      // the worker could not run (its script refused or broken): compute here from now on
      e.preventDefault();
      worker?.terminate();
      worker = null;
      const r = waiting ?? running;
      running = waiting = null;
      if (r) here(r);
    };
  }

  return {
    /** @param {PlaneRequest<T>} r */
    submit(r) {
      if (!worker) here(r);
      else if (running) waiting = r;
      else send(r);
    },
    /** Where the values are computed now: "worker" or "page". */
    where: () => (worker ? "worker" : "page"),
  };
}
