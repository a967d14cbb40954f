// @ts-check
// Mounts the four views with state from fixture.json and re-renders on their actions.
import { EquationsView } from "../js/views/equations.js";
import { LossChartView } from "../js/views/lossChart.js";
import { BatchesView } from "../js/views/batches.js";
import { OutputView } from "../js/views/output.js";
import { withTracker } from "../js/tracker.js";

/** @import { BatchFrame } from "../js/partition.js" */
/** @import { DatasetSummary, Frame, FullFrame, History, Matrix, NeuronRef, Num, Options, Spec, State } from "../js/types.js" */
/**
 * A scenario of fixture.json (make_fixture.py): a job's spec (no start, speed or initial
 * weights), its data set with the points, a full frame and the weights before it, each
 * iteration's loss with the test points, and the earlier iterations of its last epoch as
 * summary frames (what Figure 2 reads of them).
 * @typedef {{name: string, spec: Spec, dataset: DatasetSummary, frame: FullFrame, prevWeights: Matrix[],
 *   history: {loss: Num[], test: [number, Num][]}, epochFrames?: BatchFrame[]}} Scenario
 */
/** The fixture: GET /api/options's modes, data sets and features, and the scenarios by name. */
/** @typedef {{options: Options, scenarios: Record<string, Scenario>}} Fixture */

const q = new URLSearchParams(location.search);

/**
 * The fixture's losses as the server's loss buckets: one iteration per bucket, no metric points.
 * @param {Scenario["history"]} losses
 * @param {number} [version]
 * @returns {History}
 */
const buckets = ({ loss, test }, version = 0) => ({ iterations: loss.length, width: 1, first: loss, last: loss,
  min: loss, max: loss, mean: loss, test, metrics: [], version });
const fixture = /** @type {Fixture} */ (await (await fetch("fixture.json")).json());
const s = fixture.scenarios[q.get("scenario") || "article"];
const L = s.frame.layers.length;

// ?table=1 draws a 2-D set as a table, as the batches view does for other sets
const options = q.get("table")
  ? { ...fixture.options, datasets: fixture.options.datasets.map((d) => ({ ...d, two_d: false })) }
  : fixture.options;

// the parts of the page's state (store.js) the four views read: the rest is left out
let state = /** @type {State} */ ({
  options,
  spec: s.spec,
  job: { id: "fixture", status: "paused", spec: s.spec, epoch: s.frame.epoch, iteration: s.frame.iteration },
  dataset: s.dataset,
  frame: s.frame,
  latestFrame: null,
  batchTracker: null,
  replay: null,
  prevWeights: s.prevWeights,
  weights: s.frame.weights,
  history: buckets(s.history),
  zoom: null,
  phase: q.get("phase") || "idle",
  phaseProgress: 0,
  mode: "explain",
  sample: Number(q.get("sample") || 0),
  selected: { layer: Number(q.get("layer") || L), index: Number(q.get("index") || 0) },
});

const only = q.get("only");
if (only) { // one view alone, e.g. ?only=output
  for (const sec of document.querySelectorAll("main > section")) {
    if (!sec.querySelector(`#${only}`)) sec.remove();
  }
  /** @type {HTMLElement} */ (document.querySelector("main")).style.gridTemplateColumns = "minmax(0, 1fr)";
}

// the views' actions, as the page's controller has them for what the harness can show
const actions = {
  select: (/** @type {NeuronRef} */ selected) => { state = { ...state, selected }; render(); },
  setSample: (/** @type {number} */ sample) => { state = { ...state, sample }; render(); },
};
const mounts = { equations: EquationsView, "loss-chart": LossChartView, batches: BatchesView, output: OutputView };
const views = Object.entries(mounts)
  .filter(([id]) => document.getElementById(id))
  .map(([id, mount]) => mount(/** @type {HTMLElement} */ (document.getElementById(id)), actions));
const render = () => views.forEach((v) => v.update(state));
if (q.get("empty")) { // before any job: no data set, frame or history yet
  state = { ...state, job: null, dataset: null, frame: null, prevWeights: null, weights: null,
    history: buckets({ loss: [], test: [] }) };
  render();
  throw new Error("harness: empty state shown"); // stop here on purpose
}

// Replay the earlier iterations of the last epoch as summary frames (counters and rows), as a
// running job streams them, so a shuffled run's batches are known; then the full frame.
// The store keeps the newest frame of any detail and Figure 2's tracker (tracker.js).
const full = s.frame;
/**
 * `latestFrame` as the store sets it from a stream frame; the fixture's summary frames carry
 * only what Figure 2 reads of them.
 * @param {BatchFrame & {status: string}} latestFrame
 */
const shown = (latestFrame) => {
  state = withTracker(state, { ...state, latestFrame: /** @type {Frame} */ (latestFrame) });
  render();
};
for (const f of s.epochFrames || []) shown({ ...f, status: "running" });
shown(full);
if (q.get("log")) /** @type {HTMLElement} */ (document.querySelector(".lc-log-box")).click();
const click = q.get("click");
if (click) /** @type {HTMLElement} */ (document.querySelector(click)).click();
if (q.get("stream")) { // the loss history arriving in chunks, as the stream's history messages do
  const { loss, test } = s.history;
  for (let i = 1; i <= 20; i++) {
    await new Promise((r) => setTimeout(r, 30));
    const seen = loss.slice(0, Math.round((loss.length * i) / 20));
    state = { ...state, history: buckets({ loss: seen, test: test.filter(([it]) => it <= seen.length) }, i) };
    render();
  }
}
document.body.dataset.ready = "true";
