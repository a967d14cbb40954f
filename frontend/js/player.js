// @ts-check
// Explain mode at run time: drives the pure player of animation.js with the page's clock,
// steps the paused job one iteration (or epoch) at a time and waits for the frame it made, or,
// while the timeline shows a past iteration, reads the next ones (GET /trace?iteration=N)
// until the newest.

import { createPlayer, durations, playerStep } from "./animation.js";
import { epochLength } from "./replayer.js";
import { owns } from "./selectors.js";

const FRAME_WAIT_MS = 700; // then the frame is read with GET /trace instead

/** @import { FullFrame, State, Store } from "./types.js" */
/** @import { Command, PlayerEvent } from "./animation.js" */
/**
 * The requests explain mode makes.
 * @typedef {{step: (id: string, amount: {iterations?: number, epochs?: number}) => Promise<unknown>,
 *   trace: (id: string, iteration?: number) => Promise<FullFrame>}} PlayerApi
 */

/**
 * `store`, `api`, and `onError(err)`; returns {send(event), tick(now), running()}.
 * @param {Store} store
 * @param {PlayerApi} api
 * @param {(err: unknown) => void} onError
 */
export function createExplainPlayer(store, api, onError) {
  let player = createPlayer();
  /** @type {number | null} */
  let lastTick = null;

  function publish() {
    const s = store.get();
    store.dispatch({ type: "phase", phase: player.phase, progress: player.progress });
    if (s.mode === "explain") store.dispatch({ type: "playing", playing: player.goal === "continuous" });
  }

  /** @param {PlayerEvent} event */
  function send(event) {
    const { player: next, commands } = playerStep(player, event);
    player = next;
    publish();
    for (const c of commands) run(c);
  }

  /** @param {Command} command */
  async function run(command) {
    const s = store.get();
    if (!s.job) return send("failed");
    if (s.replay !== null) return replayOn(/** @type {State & {replay: number}} */ (s), command);
    if (!owns(s)) return send("failed"); // never a step of someone else's job
    const id = s.job.id;
    const before = s.frame?.iteration ?? s.counters.iteration ?? 0;
    store.dispatch({ type: "busy", busy: true });
    try {
      await api.step(id, command === "fetch-epoch" ? { epochs: 1 } : { iterations: 1 });
      await frameAfter(id, before);
      if (store.get().job?.id !== id) return send("failed");
      lastTick = null;
      send("frame");
    } catch (err) {
      send("failed");
      onError(err);
    } finally {
      store.dispatch({ type: "busy", busy: false });
    }
  }

  /** The past iteration after the one shown (or an epoch on), animated as a trained one. */
  /** @param {State & {replay: number}} s @param {Command} command */
  async function replayOn(s, command) {
    const id = /** @type {NonNullable<State["job"]>} */ (s.job).id;
    const by = command === "fetch-epoch" ? epochLength(s) : 1;
    const iteration = Math.min(s.counters.iteration, s.replay + by);
    store.dispatch({ type: "busy", busy: true });
    try {
      const frame = await api.trace(id, iteration);
      const now = store.get();
      if (now.job?.id !== id || now.replay === null) return send("failed"); // gone live meanwhile
      store.dispatch({ type: "replay", frame });
      lastTick = null;
      send("frame");
      if (store.get().replay === null) send("last"); // the newest iteration: play it, then stop
    } catch (err) {
      send("failed");
      onError(err);
    } finally {
      store.dispatch({ type: "busy", busy: false });
    }
  }

  /** Resolves once the store holds a full frame newer than iteration `before`. */
  /** @param {string} id @param {number} before @returns {Promise<void>} */
  function frameAfter(id, before) {
    const fresh = (/** @type {State} */ st) => st.frame && Array.isArray(st.frame.layers) && st.frame.iteration > before;
    if (fresh(store.get())) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = store.subscribe((st) => {
        if (fresh(st)) {
          off();
          clearTimeout(timer);
          resolve();
        }
      });
      const timer = setTimeout(async () => {
        off();
        try {
          const trace = await api.trace(id);
          if (trace && store.get().job?.id === id) store.dispatch({ type: "frame", frame: trace });
          resolve();
        } catch (err) {
          reject(err);
        }
      }, FRAME_WAIT_MS);
    });
  }

  return {
    send,
    /** Advance the animation to time `now` (ms). @param {number} now */
    tick(now) {
      if (!player.running) {
        lastTick = null;
        return;
      }
      const dt = lastTick === null ? 0 : Math.min(100, now - lastTick);
      lastTick = now;
      send({ type: "tick", dt, durations: durations(store.get().animSpeed) });
    },
    running: () => player.running || player.awaiting,
    state: () => player,
  };
}
