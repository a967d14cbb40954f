// @ts-check
// The loss chart: the whole-set training and test losses at each metric point (the loss of each
// row on its own averaged over the whole set, at epoch ends: comparable from point to point) over
// the batch losses — per bucket of iterations (history.js) their mean as a thin line and lowest
// to highest as a band, which a mini-batch run makes wide and which can be hidden. Drawn with
// uPlot. Dragging across the chart zooms in: to the exact loss of every iteration when the range
// is short enough (GET /history?from&to), else to the buckets in it. While explain mode plays an
// iteration's forward pass, that iteration's ℓ is not drawn yet.

import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { bucketSpan } from "../history.js";
import { latestWholeSet, lossSeries } from "../lossSeries.js";
import { fmt } from "../math.js";
import { lossRevealed } from "../metrics.js";
import { html } from "./svg.js";

/** @import { ExactLosses, History, Num, State, View } from "../types.js" */
/** @typedef {import("../lossSeries.js").LossColumns} LossColumns */
/** What update() reads of the page's state (store.js's State). */
/** @typedef {Pick<State, "history" | "zoom" | "mode" | "phase" | "replay" | "frame">} LossChartInput */
/** What the chart's data is made from: the history, the zoom kept, the last iteration shown. */
/** @typedef {{history: History | null, zoom: ExactLosses | null, upTo: number}} Shown */
/**
 * The reader's zoom, up to the page's controller: a range of iterations (from, to), or none.
 * @typedef {{zoom?: (from: number, to: number) => unknown, unzoom?: () => unknown}} LossChartActions
 */

const TRAIN = "#16437e";
const BATCH = "rgba(33, 102, 172, 0.55)";
const BAND = "rgba(33, 102, 172, 0.16)";
const TEST = "#d55e00";

/** A loss for the readout: 4 significant digits, plain text. @param {Num | undefined} v */
function plain(v) {
  if (v === null || v === undefined) return "–";
  return fmt(v).replace("\\times10^{", "e").replace("}", "").replace("\\text{NaN}", "NaN");
}

/**
 * The last iteration the chart may show: the one before a forward pass that is playing.
 * @param {LossChartInput} s
 * @returns {number}
 */
function shownUpTo(s) {
  if (lossRevealed(s) || s.replay !== null || !s.frame) return Infinity;
  return s.frame.iteration - 1;
}

/**
 * A whole-set series' markers only while they stand apart (≥ 12 px each on average): a long
 * run has thousands of epochs, and drawing each as a circle on every redraw costs frames.
 * @param {uPlot} u
 * @param {number} i  the series
 * @returns {boolean}
 */
function sparse(u, i) {
  const [i0 = 0, i1 = -1] = u.series[i].idxs ?? [];
  const values = u.data[i];
  const room = u.bbox.width / (12 * (globalThis.devicePixelRatio || 1));
  let n = 0;
  for (let k = i0; k <= i1; k++) if (values[k] != null && ++n > room) return false;
  return true;
}

/**
 * @param {HTMLElement} el
 * @param {LossChartActions} [actions]
 * @returns {View<LossChartInput>}
 */
export function LossChartView(el, actions = {}) {
  el.classList.add("loss-chart-view");
  el.innerHTML = `
    <header class="lc-head">
      <span class="lc-readout" aria-live="off"></span>
      <span class="lc-legend"><span class="lc-whole"><i class="lc-key lc-key-train"></i>train (whole set)</span>
        <span class="lc-test"><i class="lc-key lc-key-test"></i>test (whole set)</span>
        <label class="lc-batch" title="Each iteration's batch loss ℓ: the mean per bucket of iterations and, as a band, its lowest to highest">
          <input type="checkbox" class="lc-batch-box" checked data-control="batch-band"><i class="lc-key lc-key-band"></i>batch ℓ</label></span>
      <label class="lc-log"><input type="checkbox" class="lc-log-box"> log scale</label>
    </header>
    <div class="lc-plot" title="Drag across the chart to zoom in"></div>
    <p class="view-empty lc-empty">The loss appears here after the first iteration.</p>`;
  const plotEl = /** @type {HTMLElement} */ (el.querySelector(".lc-plot"));
  const readout = /** @type {HTMLElement} */ (el.querySelector(".lc-readout"));
  const logBox = /** @type {HTMLInputElement} */ (el.querySelector(".lc-log-box"));
  const batchBox = /** @type {HTMLInputElement} */ (el.querySelector(".lc-batch-box"));
  const unzoom = html("button", { type: "button", class: "small lc-unzoom", "data-action": "reset-zoom",
    hidden: "" }, el.querySelector(".lc-head"), "Reset zoom");
  unzoom.addEventListener("click", () => actions.unzoom?.());
  plotEl.addEventListener("dblclick", () => actions.unzoom?.());

  /** @type {Shown} */
  let shown = { history: null, zoom: null, upTo: Infinity }; // what the data below was made from
  /** @type {LossColumns} */
  let data = { x: [], mean: [], min: [], max: [], train: [], test: [] };
  /** @type {uPlot | null} */
  let plot = null;
  let frameRequest = 0;
  let log = false;
  let batch = true;
  let wanted = shown;

  Object.assign(el.dataset, { points: "0", testPoints: "0", wholePoints: "0", log: "false", zoom: "none", batch: "true" });

  function size() {
    return { width: Math.max(120, plotEl.clientWidth), height: Math.max(80, plotEl.clientHeight || 200) };
  }

  /** The readout at point `i` of the series, or of the newest points. @param {number | null | undefined} i */
  function showReadout(i) {
    const h = shown.history;
    if (!h || !data.x.length) { readout.textContent = ""; return; }
    /** @param {Num} train @param {Num} test */
    const whole = (train, test) => [train !== null ? `train ${plain(train)}` : "", test !== null ? `test ${plain(test)}` : ""]
      .filter(Boolean).join(" · ");
    if (i === null || i === undefined) {
      const w = latestWholeSet(h, shown.upTo);
      const j = data.mean.findLastIndex((v) => v !== null);
      const last = j >= 0 ? `batch ℓ ${plain(data.mean[j])}` : "";
      const set = w ? `whole set at it. ${w.iteration.toLocaleString("en-US")}: ${whole(w.train, w.test)}` : "";
      readout.textContent = [last, set].filter(Boolean).join(" · ");
      return;
    }
    const x = data.x[i];
    if (x === undefined) { showReadout(null); return; } // a cursor left over from a longer series
    const parts = [];
    if (data.mean[i] !== null) {
      if (!data.min || !data.max) parts.push(`iteration ${x} · batch ℓ ${plain(data.mean[i])}`);
      else {
        const [lo, hi] = bucketSpan(h, Math.max(0, Math.floor((Math.floor(x) - 1) / h.width)));
        const span = lo === hi ? `iteration ${lo}` : `iterations ${lo}–${hi}`;
        parts.push(`${span} · batch ℓ mean ${plain(data.mean[i])}, ${plain(data.min[i])} to ${plain(data.max[i])}`);
      }
    }
    if (data.train[i] !== null || data.test[i] !== null) {
      parts.push(`whole set at it. ${x.toLocaleString("en-US")}: ${whole(data.train[i], data.test[i])}`);
    }
    readout.textContent = parts.join(" · ");
  }

  /** A new chart with the current options (log scale, batch band) and data. */
  function create() {
    if (plot) plot.destroy();
    /** @type {uPlot.Options} */
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
        { label: "highest batch loss", stroke: "rgba(33, 102, 172, 0.25)", width: 0.5, spanGaps: true, show: batch, points: { show: false } },
        { label: "lowest batch loss", stroke: "rgba(33, 102, 172, 0.25)", width: 0.5, spanGaps: true, show: batch, points: { show: false } },
        { label: "batch loss", stroke: BATCH, width: 1, spanGaps: true, show: batch, points: { size: 4, fill: BATCH } },
        { label: "training loss, whole set", stroke: TRAIN, width: 2, spanGaps: true, points: { show: sparse, size: 5, fill: TRAIN } },
        { label: "test loss, whole set", stroke: TEST, width: 1.5, spanGaps: true, dash: [5, 3],
          points: { show: sparse, size: 5, stroke: TEST, fill: "#fff" } },
      ],
      bands: batch ? [{ series: [1, 2], fill: BAND }] : [], // each bucket's highest to lowest batch loss
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
    return plot;
  }

  /** The chart's data: x, then its series' values (a missing band as nulls). @returns {uPlot.AlignedData} */
  function columns() {
    /** @returns {null[]} */
    const none = () => new Array(data.x.length).fill(null);
    return [data.x, data.max ?? none(), data.min ?? none(), data.mean, data.train, data.test];
  }

  function draw() {
    frameRequest = 0;
    shown = wanted;
    const { history: h, zoom, upTo } = shown;
    if (!h) return;
    data = lossSeries(h, zoom, upTo);
    /** @param {Num[]} a */
    const counted = (a) => a.filter((v) => v !== null).length;
    el.classList.toggle("is-empty", data.x.length === 0);
    el.classList.toggle("has-test", counted(data.test) > 0);
    el.classList.toggle("has-whole", counted(data.train) > 0);
    unzoom.hidden = !zoom;
    el.dataset.zoom = !zoom ? "none" : zoom.loss ? "exact" : "buckets";
    el.dataset.from = zoom ? String(zoom.from) : "";
    el.dataset.to = zoom ? String(zoom.to) : "";
    const chart = plot ?? create();
    chart.setData(columns());
    el.dataset.points = String(counted(data.mean));
    el.dataset.testPoints = String(counted(data.test));
    el.dataset.wholePoints = String(counted(data.train));
    showReadout(chart.cursor.idx);
  }

  logBox.addEventListener("change", () => {
    log = logBox.checked;
    el.dataset.log = String(log);
    create();
  });
  batchBox.addEventListener("change", () => {
    batch = batchBox.checked;
    el.dataset.batch = String(batch);
    create();
  });

  new ResizeObserver(() => { if (plot) plot.setSize(size()); }).observe(plotEl);

  /** @param {LossChartInput} state */
  function update(state) {
    const next = { history: state.history, zoom: state.zoom, upTo: shownUpTo(state) };
    if (next.history === wanted.history && next.zoom === wanted.zoom && next.upTo === wanted.upTo) return;
    wanted = next;
    if (!frameRequest) frameRequest = requestAnimationFrame(draw); // at most one draw a frame
  }

  return { update };
}
