// @ts-check
// A worker's script: the forward passes over a plane's grid (planeMaps.js's planeValues, eqs.
// (1)–(2) at every cell), off the page's main thread, so drawing the decision surface and the
// neuron maps never holds up a frame. Messages: {seq, weights, network, inputs | null} in
// (inputs null: the grid sent before), {seq, values} or {seq, error} out.

import { planeValues } from "./planeMaps.js";

/** @import { Matrix } from "./types.js" */
/** @import { Activations } from "./forward.js" */
/** @typedef {{seq: number, weights: Matrix[], network: Activations, inputs: number[][] | null}} PlaneJob */

/** @type {number[][]} */
let grid = [];

self.onmessage = (/** @type {MessageEvent<PlaneJob>} */ event) => {
  const { seq, weights, network, inputs } = event.data;
  if (inputs) grid = inputs;
  try {
    const values = planeValues(weights, network, grid);
    // each Float64Array's buffer moves to the page, not copied
    self.postMessage({ seq, values }, { transfer: values.flat().map((v) => v.buffer) });
  } catch (err) {
    self.postMessage({ seq, error: String(/** @type {Error} */ (err).message ?? err) });
  }
};
