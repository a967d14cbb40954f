// @ts-check
// When the loss landscape is fetched again: at once when what it shows changes (the job, the
// two parameters, span, grid), and at most every `minGap` ms while only the job's iteration
// moves (a new version of the weights: the surface and the path grow as it trains), the newest
// request winning; a fetch in flight is aborted when a newer one starts. DOM-free: fetch, clock and timers are injected.

/**
 * @typedef {{job: string, a: string, b: string, span: number, grid: number, version: number}} LandscapeQuery
 * @typedef {{
 *   fetch: (q: LandscapeQuery, signal: AbortSignal) => Promise<unknown>,
 *   onResult: (data: unknown, q: LandscapeQuery) => void,
 *   onError: (err: unknown, q: LandscapeQuery) => void,
 *   now?: () => number,
 *   setTimer?: (fn: () => void, ms: number) => unknown,
 *   clearTimer?: (t: unknown) => void,
 *   minGap?: number,
 * }} LoaderOptions
 */

/**
 * What a query shows, apart from the version of the weights it was asked at.
 * @param {LandscapeQuery} q
 */
export function surfaceKey(q) {
  return `${q.job}|${q.a}|${q.b}|${q.span}|${q.grid}`;
}

/**
 * A loader: `want(q)` says what should be shown now; `cancel()` drops any pending work.
 * @param {LoaderOptions} options
 */
export function createLoader(options) {
  const now = options.now ?? (() => Date.now());
  const setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
  const clearTimer = options.clearTimer ?? ((t) => clearTimeout(/** @type {number} */ (t)));
  const minGap = options.minGap ?? 500;
  /** @type {LandscapeQuery | null} */
  let asked = null; // the newest query fetched (or being fetched)
  /** @type {LandscapeQuery | null} */
  let waiting = null; // a query held back until minGap has passed
  let started = -Infinity;
  /** @type {AbortController | null} */
  let inFlight = null;
  /** @type {unknown} */
  let timer = null;

  function start(/** @type {LandscapeQuery} */ q) {
    waiting = null;
    if (timer !== null) clearTimer(timer);
    timer = null;
    inFlight?.abort();
    const controller = new AbortController();
    inFlight = controller;
    asked = q;
    started = now();
    options.fetch(q, controller.signal).then(
      (data) => {
        if (inFlight !== controller) return; // a newer one started meanwhile
        inFlight = null;
        options.onResult(data, q);
      },
      (err) => {
        if (inFlight !== controller) return;
        inFlight = null;
        options.onError(err, q);
      },
    );
  }

  return {
    /** Ask for `q` (or nothing, with null): fetched now, later, or not at all if already asked. */
    want(/** @type {LandscapeQuery | null} */ q) {
      if (q === null) {
        this.cancel();
        asked = null;
        return;
      }
      if (!asked || surfaceKey(asked) !== surfaceKey(q)) return start(q);
      if (q.version === asked.version && !waiting) return;
      if (q.version === waiting?.version) return;
      const wait = started + minGap - now();
      if (wait <= 0) return start(q);
      waiting = q;
      if (timer === null) {
        timer = setTimer(() => {
          timer = null;
          if (waiting) start(waiting);
        }, wait);
      }
    },
    /** Fetch the newest query again now, whatever it was (after an error, or on demand). */
    retry() {
      const q = waiting ?? asked;
      if (q) start(q);
    },
    /** Abort the fetch in flight and drop the one waiting. */
    cancel() {
      inFlight?.abort();
      inFlight = null;
      waiting = null;
      if (timer !== null) clearTimer(timer);
      timer = null;
    },
    /** Whether a fetch is under way. */
    busy: () => inFlight !== null,
  };
}
