// Mounts the four views with state from fixture.json and re-renders on their actions.
import { EquationsView } from "../js/views/equations.js";
import { LossChartView } from "../js/views/lossChart.js";
import { BatchesView } from "../js/views/batches.js";
import { OutputView } from "../js/views/output.js";
import { withTracker } from "../js/tracker.js";

const q = new URLSearchParams(location.search);

/** The fixture's losses as the server's loss buckets: one iteration per bucket. */
const buckets = ({ loss, test }, version = 0) => ({ iterations: loss.length, width: 1, first: loss, last: loss,
  min: loss, max: loss, mean: loss, test, version });
const fixture = await (await fetch("fixture.json")).json();
const s = fixture.scenarios[q.get("scenario") || "article"];
const L = s.frame.layers.length;

// ?table=1 draws a 2-D set as a table, as the batches view does for other sets
const options = q.get("table")
  ? { ...fixture.options, datasets: fixture.options.datasets.map((d) => ({ ...d, two_d: false })) }
  : fixture.options;

let state = {
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
};

if (q.get("only")) { // one view alone, e.g. ?only=output
  for (const sec of document.querySelectorAll("main > section")) {
    if (!sec.querySelector(`#${q.get("only")}`)) sec.remove();
  }
  document.querySelector("main").style.gridTemplateColumns = "minmax(0, 1fr)";
}

// the views' actions, as the page's controller has them for what the harness can show
const actions = {
  select: (selected) => { state = { ...state, selected }; render(); },
  setSample: (sample) => { state = { ...state, sample }; render(); },
};
const mounts = { equations: EquationsView, "loss-chart": LossChartView, batches: BatchesView, output: OutputView };
const views = Object.entries(mounts)
  .filter(([id]) => document.getElementById(id))
  .map(([id, mount]) => mount(document.getElementById(id), actions));
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
const full = state.frame;
const shown = (latestFrame) => { state = withTracker(state, { ...state, latestFrame }); render(); };
for (const f of s.epochFrames || []) shown({ ...f, status: "running" });
shown(full);
if (q.get("log")) document.querySelector(".lc-log-box").click();
if (q.get("click")) document.querySelector(q.get("click")).click();
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
