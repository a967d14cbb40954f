// The loss chart: per bucket of iterations (history.js) the mean training loss as a line and
// the lowest to highest as a band, x at the bucket's centre, and the test loss where it was
// taken, drawn with uPlot. Dragging across the chart zooms in: to the exact loss of every
// iteration when the range is short enough (GET /history?from&to), else to the buckets in it.

import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { bucketSeries, bucketSpan, exactSeries, latest } from "../history.js";
import { fmt } from "../math.js";
import { html } from "./svg.js";

const TRAIN = "#2166ac";
const BAND = "rgba(33, 102, 172, 0.18)";
const TEST = "#d55e00";

/** A loss for the readout: 4 significant digits, plain text. */
function plain(v) {
  if (v === null || v === undefined) return "–";
  return fmt(v).replace("\\times10^{", "e").replace("}", "").replace("\\text{NaN}", "NaN");
}

export function LossChartView(el, actions = {}) {
  el.classList.add("loss-chart-view");
  el.innerHTML = `
    <header class="lc-head">
      <span class="lc-readout" aria-live="off"></span>
      <span class="lc-legend"><span><i class="lc-key lc-key-train"></i>training</span>
        <span class="lc-range"><i class="lc-key lc-key-band"></i>min–max</span>
        <span class="lc-test"><i class="lc-key lc-key-test"></i>test</span></span>
      <label class="lc-log"><input type="checkbox" class="lc-log-box"> log scale</label>
    </header>
    <div class="lc-plot" title="Drag across the chart to zoom in"></div>
    <p class="view-empty lc-empty">The loss appears here after the first iteration.</p>`;
  const plotEl = el.querySelector(".lc-plot");
  const readout = el.querySelector(".lc-readout");
  const logBox = el.querySelector(".lc-log-box");
  const unzoom = html("button", { type: "button", class: "small lc-unzoom", "data-action": "reset-zoom",
    hidden: "" }, el.querySelector(".lc-head"), "Reset zoom");
  unzoom.addEventListener("click", () => actions.unzoom?.());
  plotEl.addEventListener("dblclick", () => actions.unzoom?.());

  let shown = { history: null, zoom: null }; // what the data below was made from
  let data = { x: [], mean: [], min: [], max: [], test: [] };
  let plot = null;
  let frameRequest = 0;
  let log = false;
  let wanted = shown;

  el.dataset.points = "0";
  el.dataset.testPoints = "0";
  el.dataset.log = "false";
  el.dataset.zoom = "none";

  function size() {
    return { width: Math.max(120, plotEl.clientWidth), height: Math.max(80, plotEl.clientHeight || 200) };
  }

  function showReadout(i) {
    const h = shown.history;
    const n = data.x.length;
    if (!h || !n) { readout.textContent = ""; return; }
    const test = (v) => (el.classList.contains("has-test") ? ` · test ${plain(v)}` : "");
    if (i === null || i === undefined) {
      const last = latest(h);
      readout.textContent = `iteration ${last.iteration} · loss ${plain(last.loss)}${test(last.test)}`;
    } else if (!data.min) {
      readout.textContent = `iteration ${data.x[i]} · loss ${plain(data.mean[i])}${test(data.test[i])}`;
    } else {
      const [lo, hi] = bucketSpan(h, bucketOf(h, data.x[i]));
      const span = lo === hi ? `iteration ${lo}` : `iterations ${lo}–${hi}`;
      readout.textContent = `${span} · mean ${plain(data.mean[i])} · ${plain(data.min[i])} to ` +
        `${plain(data.max[i])}${test(data.test[i])}`;
    }
  }

  function create() {
    if (plot) plot.destroy();
    const opts = {
      ...size(),
      legend: { show: false },
      cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
      scales: { x: { time: false }, y: { distr: log ? 3 : 1 } },
      axes: [
        { label: "iteration", labelSize: 18, size: 32, stroke: "#57606a", grid: { stroke: "#eaeef2" } },
        { label: "loss ℓ", labelSize: 18, size: 56, stroke: "#57606a", grid: { stroke: "#eaeef2" } },
      ],
      series: [
        {},
        { label: "highest loss", stroke: "rgba(33, 102, 172, 0.35)", width: 0.5, points: { show: false } },
        { label: "lowest loss", stroke: "rgba(33, 102, 172, 0.35)", width: 0.5, points: { show: false } },
        { label: "training loss", stroke: TRAIN, width: 1.5, points: { size: 5, fill: TRAIN } },
        { label: "test loss", stroke: TEST, width: 1, spanGaps: true, dash: [4, 3],
          points: { show: true, size: 4, stroke: TEST, fill: "#fff" } },
      ],
      bands: [{ series: [1, 2], fill: BAND }], // the band from each bucket's highest to its lowest loss
      hooks: {
        setCursor: [(u) => showReadout(u.cursor.idx)],
        setSelect: [(u) => {
          const { left, width } = u.select;
          if (width < 2) return;
          u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
          actions.zoom?.(u.posToVal(left, "x"), u.posToVal(left + width, "x"));
        }],
      },
    };
    plot = new uPlot(opts, columns(), plotEl);
  }

  function columns() {
    const none = () => new Array(data.x.length).fill(null);
    return [data.x, data.max ?? none(), data.min ?? none(), data.mean, data.test];
  }

  function draw() {
    frameRequest = 0;
    shown = wanted;
    const h = shown.history;
    const zoom = shown.zoom;
    if (!h) return;
    if (zoom?.loss) data = exactSeries(zoom, h.test);
    else data = within(bucketSeries(h), zoom);
    const testCount = data.test.filter((v) => v !== null).length;
    el.classList.toggle("is-empty", data.x.length === 0);
    el.classList.toggle("has-test", h.test.length > 0);
    unzoom.hidden = !zoom;
    el.dataset.zoom = !zoom ? "none" : zoom.loss ? "exact" : "buckets";
    el.dataset.from = zoom ? String(zoom.from) : "";
    el.dataset.to = zoom ? String(zoom.to) : "";
    if (!plot) create();
    plot.setData(columns());
    el.dataset.points = String(data.x.length);
    el.dataset.testPoints = String(testCount);
    showReadout(plot.cursor.idx);
  }

  logBox.addEventListener("change", () => {
    log = logBox.checked;
    el.dataset.log = String(log);
    create();
  });

  new ResizeObserver(() => { if (plot) plot.setSize(size()); }).observe(plotEl);

  function update(state) {
    const next = { history: state.history, zoom: state.zoom };
    if (next.history === wanted.history && next.zoom === wanted.zoom) return;
    wanted = next;
    if (!frameRequest) frameRequest = requestAnimationFrame(draw); // at most one draw a frame
  }

  return { update };
}

/** The bucket holding iteration-centre x. */
function bucketOf(h, x) {
  return Math.max(0, Math.floor((Math.floor(x) - 1) / h.width));
}

/** Series `s` cut to the buckets whose centre lies in a zoom's range (all without a zoom). */
function within(s, zoom) {
  if (!zoom) return s;
  const keep = s.x.map((x, i) => (x >= zoom.from && x <= zoom.to ? i : -1)).filter((i) => i >= 0);
  const pick = (a) => keep.map((i) => a[i]);
  return { x: pick(s.x), mean: pick(s.mean), min: pick(s.min), max: pick(s.max), test: pick(s.test) };
}
