// @ts-check
// The three runs' loss curves on one chart (uPlot): each run's whole-training-set loss — each
// row's loss (eq. 5) averaged over every training row, measured at epoch ends — so that runs
// whose batches hold 1, b or all rows are compared on one scale (a batch's own ℓ sums over its
// rows and would not be). The x-axis is switchable between iterations, epochs and samples seen
// (compareAxis.js): on iterations SGD's curve is six times as long as batch's on six rows, on
// epochs they end together.

import uPlot from "../../vendor/uplot/uPlot.esm.js";
import { AXES, AXIS_LABELS, alignSeries, placePoints } from "../compareAxis.js";
import { RUNS, RUN_NAMES } from "../compareState.js";
import { wholeSetPoints } from "../lossSeries.js";
import { html, setAttr } from "./svg.js";

/** @import { Axis } from "../compareAxis.js" */
/** @import { CompareState } from "../compareSession.js" */
/** @import { History, Mode, View } from "../types.js" */

/**
 * @param {HTMLElement} el
 * @param {Record<Mode, string>} colours
 * @param {{setAxis: (axis: Axis) => void}} actions
 * @returns {View<CompareState>}
 */
export function CompareChartView(el, colours, actions) {
  el.classList.add("cmp-chart");
  const head = html("header", { class: "cmp-chart-head" }, el);
  const axes = html("div", { class: "mode cmp-axis", role: "radiogroup", "aria-label": "x-axis" }, head);
  /** @type {Map<Axis, HTMLInputElement>} */
  const radios = new Map();
  for (const axis of AXES) {
    const label = html("label", { class: "seg" }, axes);
    const input = /** @type {HTMLInputElement} */ (html("input", { type: "radio", name: "cmp-axis", value: axis,
      "data-axis": axis }, label));
    html("span", {}, label, axis === "samples" ? "samples seen" : axis);
    input.addEventListener("change", () => input.checked && actions.setAxis(axis));
    radios.set(axis, input);
  }
  const log = /** @type {HTMLInputElement} */ (html("input", { type: "checkbox", "data-control": "log" },
    html("label", { class: "check" }, head)));
  log.insertAdjacentText("afterend", " log scale");
  const legend = html("p", { class: "cmp-legend" }, el);
  /** @type {Map<Mode, HTMLElement>} */
  const keys = new Map(RUNS.map((run) => {
    const item = html("span", { class: "cmp-key", "data-series": run }, legend);
    item.style.setProperty("--run-colour", colours[run]);
    return [run, item];
  }));
  const plotEl = html("div", { class: "cmp-plot" }, el);
  html("p", { class: "view-empty cmp-empty" }, el, "The curves appear after each run's first epoch.");
  html("p", { class: "view-note" }, el,
    "Each curve is the whole training set's loss (every row's ℓ averaged) at the end of an epoch.");

  /** @type {uPlot | null} */
  let plot = null;
  /** @type {unknown[]} */
  let drawnFor = [];
  /** @type {Axis} */
  let axisMade = "iterations";
  let logMade = false;

  const size = () => ({ width: Math.max(200, plotEl.clientWidth), height: 300 });

  /** @param {Axis} axis */
  function create(axis) {
    plot?.destroy();
    axisMade = axis;
    logMade = log.checked;
    plot = new uPlot({
      ...size(),
      legend: { show: false },
      scales: { x: { time: false }, y: { distr: logMade ? 3 : 1 } },
      axes: [
        { label: AXIS_LABELS[axis], labelSize: 18, size: 36, stroke: "#57606a", grid: { stroke: "#eaeef2" } },
        { label: "loss (whole training set)", labelSize: 18, size: 60, stroke: "#57606a", grid: { stroke: "#eaeef2" } },
      ],
      series: [{}, ...RUNS.map((run) => ({ label: RUN_NAMES[run], stroke: colours[run], width: 2, spanGaps: true,
        points: { size: 4, fill: colours[run] } }))],
    }, [[], [], [], []], plotEl);
  }

  new ResizeObserver(() => plot?.setSize(size())).observe(plotEl);
  log.addEventListener("change", () => { drawnFor = []; });

  return {
    update(s) {
      const axis = s.settings.axis;
      const histories = RUNS.map((run) => s.runs[run].history);
      const key = [axis, log.checked, ...histories, ...RUNS.map((run) => s.runs[run].dataset)];
      if (key.length === drawnFor.length && key.every((v, i) => v === drawnFor[i])) return;
      drawnFor = key;
      for (const [a, input] of radios) input.checked = a === axis;
      if (!plot || axis !== axisMade || log.checked !== logMade) create(axis);
      const series = RUNS.map((run) => {
        const r = s.runs[run];
        const t = (r.job?.spec ?? r.spec)?.training;
        const shape = { mode: run, rows: r.dataset?.rows ?? 0, batchSize: t?.batch_size ?? 1 };
        const points = wholeSetPoints(/** @type {History} */ (r.history)).map(([it, train]) =>
          /** @type {[number, number | null]} */ ([it, train]));
        return placePoints(points, axis, shape);
      });
      const { x, ys } = alignSeries(series);
      /** @type {uPlot.AlignedData} */
      const data = [x, ...ys];
      plot?.setData(data);
      el.classList.toggle("is-empty", x.length === 0);
      const ends = RUNS.map((run, i) => {
        const end = series[i].x.at(-1) ?? null;
        const item = /** @type {HTMLElement} */ (keys.get(run));
        const last = series[i].y.at(-1);
        item.textContent = `${RUN_NAMES[run]}${last === undefined || last === null ? "" : ` ${last.toPrecision(4)}`}`;
        setAttr(item, "data-x-end", end === null ? "" : String(end));
        setAttr(item, "data-points", String(series[i].x.length));
        return end;
      });
      setAttr(el, "data-axis", axis);
      setAttr(el, "data-series-count", String(series.filter((p) => p.x.length > 0).length));
      setAttr(el, "data-x-max", x.length ? String(x[x.length - 1]) : "");
      setAttr(el, "data-ends", JSON.stringify(Object.fromEntries(RUNS.map((run, i) => [run, ends[i]]))));
    },
  };
}
