// @ts-check
// The replay timeline's actions: show a past iteration (GET /trace?iteration=N, latest wins
// while the range is dragged), step through past iterations, go back to the newest one.

import { createLatest } from "./latest.js";
import { iterationsPerEpoch } from "./spec.js";

/** @import { ExplainPlayer, FullFrame, State, Store } from "./types.js" */

/** Iterations in one epoch of the shown job (1 when unknown). */
/** @param {State} s */
export function epochLength(s) {
  const t = s.job?.spec?.training ?? s.spec?.training;
  const rows = s.dataset?.rows;
  if (!t || !Number.isInteger(rows)) return 1;
  return Math.max(1, iterationsPerEpoch(t.mode, rows, t.batch_size) ?? 1);
}

/**
 * `store`, `api`, the explain `player` and `onError(err)` → {seek, seekBy, live}.
 * @param {Store} store
 * @param {{trace: (id: string, iteration: number) => Promise<FullFrame>}} api
 * @param {ExplainPlayer} player
 * @param {(err: unknown) => void} onError
 */
export function createReplayer(store, api, player, onError) {
  const dispatch = store.dispatch;
  const fetcher = createLatest(
    (/** @type {{id: string, iteration: number}} */ { id, iteration }) => api.trace(id, iteration), {
    /** @param {FullFrame} frame @param {{id: string}} asked */
    onResult(frame, { id }) {
      if (store.get().job?.id !== id) return;
      player.send("reset"); // a seek interrupts a replay's animation
      dispatch({ type: "replay", frame });
    },
    onError: (/** @type {unknown} */ err) => onError(err),
  });

  /** Back to the job's newest iteration. */
  function live() {
    fetcher.cancel();
    if (store.get().replay === null) return;
    player.send("reset");
    dispatch({ type: "live" });
  }

  /** Show iteration `n` (1 … the job's iteration; its newest is live). */
  /** @param {number} n */
  function seek(n) {
    const s = store.get();
    if (!s.job || !Number.isFinite(n)) return;
    const iteration = Math.max(1, Math.round(n));
    if (iteration >= s.counters.iteration) return live();
    fetcher.request({ id: s.job.id, iteration });
  }

  /** Step a replay on by {iterations} or {epochs}, without animating (train mode). */
  /** @param {{iterations?: number, epochs?: number} | null} amount */
  function seekBy(amount) {
    const s = store.get();
    if (s.replay === null) return;
    const by = amount?.epochs ? amount.epochs * epochLength(s) : amount?.iterations ?? 1;
    seek(s.replay + by);
  }

  return { seek, seekBy, live, cancel: () => fetcher.cancel() };
}
