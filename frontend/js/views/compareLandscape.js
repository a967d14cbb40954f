// @ts-check
// The three runs' descent on one loss landscape: the batch run's surface over two parameters
// (views/landscape.js: GET /api/jobs/{id}/landscape, every other parameter at its current value)
// and, drawn over it, each run's path of the same two parameters so far (the same route asked
// of the other two jobs, on the smallest grid, for its path only). The three start at one
// point: the same initial weights.

import { RUNS, RUN_NAMES } from "../compareState.js";

/** @import { CompareState } from "../compareSession.js" */
/** @import { Mode, View } from "../types.js" */

const PATH_GRID = 3; // the smallest grid the route answers: only the path is wanted

/**
 * GET a job's landscape (no key needed: it changes nothing).
 * @param {string} job @param {string} a @param {string} b @param {number} span @param {number} grid
 * @param {AbortSignal} [signal]
 */
async function landscape(job, a, b, span, grid, signal) {
  const q = new URLSearchParams({ a, b, span: String(span), grid: String(grid) });
  const response = await fetch(`/api/jobs/${encodeURIComponent(job)}/landscape?${q}`, { signal });
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(typeof body?.detail === "string" ? body.detail : `the server answered ${response.status}`);
  return body;
}

/**
 * The landscape panel in `el`, or null (the panel hidden) when views/landscape.js is not there.
 * @param {HTMLElement} el
 * @param {Record<Mode, string>} colours
 * @returns {Promise<View<CompareState> | null>}
 */
export async function CompareLandscapeView(el, colours) {
  let module;
  try {
    module = await import("./landscape.js");
  } catch {
    el.closest(".panel")?.setAttribute("hidden", "");
    return null;
  }
  /** @type {CompareState | null} */
  let state = null;
  const view = module.LandscapeView(el, {
    diagram: () => null, // no clickable diagram here: the two parameters are picked in the lists
    async fetch(job, a, b, span, grid, signal) {
      const others = RUNS.map((run) => (run === "batch" ? null : state?.runs[run].job?.id ?? null));
      const [surface, ...more] = await Promise.all([
        landscape(job, a, b, span, grid, signal),
        ...others.map((id) => (id ? landscape(id, a, b, span, PATH_GRID, signal).catch(() => null) : null)),
      ]);
      const paths = RUNS.map((run, i) => (run === "batch" ? surface : more[i])?.path ?? null);
      // the batch run's own path is the surface's, drawn by the view itself (white)
      view.overlay(RUNS.flatMap((run, i) => (paths[i] && run !== "batch"
        ? [{ path: paths[i], colour: colours[run], label: RUN_NAMES[run] }] : [])));
      el.dataset.paths = String(paths.filter(Boolean).length);
      return surface;
    },
  });
  const legend = document.createElement("p");
  legend.className = "cmp-legend";
  for (const run of RUNS) {
    const key = document.createElement("span");
    key.className = "cmp-key";
    key.style.setProperty("--run-colour", run === "batch" ? "#ffffff" : colours[run]);
    key.textContent = `${RUN_NAMES[run]}'s path${run === "batch" ? " (white, on its own surface)" : ""}`;
    legend.append(key);
  }
  el.append(legend);
  /** @type {unknown[]} */
  let seen = [];
  /** @type {import("../types.js").Matrix[] | null} */
  let shown = null;
  return {
    update(s) {
      state = s;
      const first = s.runs.batch;
      // the view fetches again when its weights change: so it does when any run's weights move,
      // or the other two runs' paths would stop wherever they were when the batch run ended
      const now = RUNS.map((run) => s.runs[run].latestFrame?.weights ?? s.runs[run].weights);
      if (now.some((w, i) => w !== seen[i])) {
        seen = now;
        const batch = first.latestFrame?.weights ?? first.weights;
        // the batch run's weights, as a new array; a state without them (a frame that carries
        // none) keeps the last surface instead of emptying the panel
        if (batch?.length) shown = [...batch];
        else if (!first.job) shown = null;
      }
      view.update({ job: first.job, weights: shown });
    },
  };
}
