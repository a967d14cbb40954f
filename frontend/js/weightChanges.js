// @ts-check
// The page's hand edits of a weight: PATCH /api/jobs/{id}/weights on the reader's paused job
// (a preview first becomes such a job), then the diagram shows the weights as they now are.
// The server stores the change as an event of the run, so replay stays exact.

import { editBlock } from "./weightEdit.js";

/** @import { ExplainPlayer, JobView, Matrix, Store } from "./types.js" */
/** @typedef {{layer: number, row: number, column: number}} WeightTarget  W^layer[row][column] */

/**
 * `store`, `api` and {ensureJob(running), call(what, fn), player} → {edit(target, value)},
 * which resolves to {ok: true} or {ok: false, message} (the server's message when it refused).
 * @param {Store} store
 * @param {{editWeight: (id: string, body: WeightTarget & {value: number}) => Promise<JobView>,
 *   weights: (id: string) => Promise<{layers: Matrix[]}>}} api
 * @param {{ensureJob: (running: boolean) => Promise<JobView | null>, player: ExplainPlayer}} parts
 */
export function createWeightChanges(store, api, { ensureJob, player }) {
  const { get, dispatch } = store;

  /**
   * @param {WeightTarget} target
   * @param {number} value
   * @returns {Promise<{ok: boolean, message?: string}>}
   */
  async function edit(target, value) {
    const block = editBlock(get());
    if (block) return { ok: false, message: block };
    const job = await ensureJob(false); // a preview becomes a paused job of the reader's
    if (!job) return { ok: false, message: get().error ?? get().notice ?? "Could not start a job." };
    let view;
    try {
      view = await api.editWeight(job.id, { ...target, value });
    } catch (err) {
      return { ok: false, message: /** @type {Error} */ (err).message ?? String(err) };
    }
    player.send("reset"); // no pass is shown half-way: the diagram draws the weights as they are
    dispatch({ type: "job", job: view });
    try {
      const w = await api.weights(job.id);
      if (get().job?.id === job.id) dispatch({ type: "weights", weights: w.layers });
    } catch {
      // the stream's fresh frame brings the new weights too
    }
    return { ok: true };
  }

  return { edit };
}
