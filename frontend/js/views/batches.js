// @ts-check
// Figure 2 live: the training rows coloured by the batch they fall in for the chosen mode
// (one colour for batch, one per row for stochastic, groups of batch_size for mini-batch),
// the current batch highlighted, and the epoch / batch / iteration counters. A table for
// small tabular sets, a scatter plot of (x1, x2) for the 2-D sets.

import { batchColour, UNKNOWN_COLOUR } from "../palette.js";
import { MODE_NAMES, counterText, effectiveBatchSize, iterationsPerEpoch, rowGroups } from "../partition.js";
import { toPixel } from "../heatmap.js";
import { figureFrame, figureTracker } from "../tracker.js";
import { watchedWidth } from "./boxSize.js";

/** @import { Matrix, Mode, State, TrainingSpec, View } from "../types.js" */

const MAX_TABLE_ROWS = 20;
/** The shown job's spec, else the form's. @param {State} state */
const specOf = (state) => state.job?.spec ?? state.spec;
/** A table cell: three significant digits, "–" for a missing number. @param {number | null} v */
const cell = (v) => (typeof v === "number" ? Number(v.toPrecision(3)).toString() : "–");

/**
 * "3 batches of 2 rows → 3 iterations per epoch", as Figure 2's caption counts them.
 * @param {Mode} mode
 * @param {number} n  training rows
 * @param {number} b  the spec's batch size
 */
function layoutText(mode, n, b) {
  const per = iterationsPerEpoch(mode, n, b);
  const rows = n === 1 ? "row" : "rows";
  if (mode === "batch") return `1 batch of all ${n} ${rows} → 1 iteration per epoch`;
  if (mode === "sgd") return `${n} batches of 1 row → ${n} iterations per epoch`;
  const size = effectiveBatchSize(mode, n, b);
  const short = n % size ? ` (the last of ${n % size})` : "";
  return `${per} batches of ${size} ${rows}${short} → ${per} iterations per epoch`;
}

/**
 * Swatches for the first batches, the current-batch marker and, when shuffled, "not yet".
 * @param {number} groups  batches per epoch
 * @param {boolean} shuffle
 */
function legend(groups, shuffle) {
  const shown = Math.min(groups, 7);
  const sw = (/** @type {string} */ c) => `<i class="bv-key" style="--batch-colour:${c}"></i>`;
  const items = Array.from({ length: shown }, (_, g) => `${sw(batchColour(g))}batch ${g + 1}`);
  if (groups > shown) items.push("… colours repeat every 7 batches");
  items.push(`<i class="bv-key bv-key-current"></i>current batch`);
  if (shuffle) items.push(`${sw(UNKNOWN_COLOUR)}not yet drawn this epoch (shuffled)`);
  return items.map((x) => `<span>${x}</span>`).join("");
}

/**
 * Figure 2 in `el`: it highlights the batch of the store's figure frame (tracker.js), which
 * summary frames move on too, and colours shuffled rows by what the store's tracker saw.
 * @param {HTMLElement} el
 * @returns {View<State>}
 */
export function BatchesView(el) {
  el.classList.add("batches-view");
  el.innerHTML = `
    <header class="bv-head">
      <strong class="bv-mode"></strong>
      <span class="bv-layout"></span>
      <span class="bv-counter"></span>
    </header>
    <div class="bv-body"></div>
    <p class="view-note bv-note"></p>
    <p class="bv-legend"></p>
    <p class="view-empty bv-empty">No data set loaded yet.</p>`;
  const $ = (/** @type {string} */ s) => /** @type {HTMLElement} */ (el.querySelector(s));
  const body = $(".bv-body");
  /** @type {unknown[] | null} */
  let layoutKey = null; // what the table or scatter was built for
  /** @type {unknown[] | null} */
  let paintKey = null; // the frame and tracker last painted
  /** @type {"table" | "scatter"} */
  let kind = "table";
  /** @type {HTMLTableRowElement[]} */
  let tableRows = []; // <tr> per shown row
  /** @type {HTMLCanvasElement | null} */
  let canvas = null;
  let canvasWidth = () => 300;

  /** @param {{feature_names: string[], target_names: string[]}} names @param {Matrix} inputs @param {Matrix} targets */
  function buildTable(names, inputs, targets) {
    const columns = [...names.feature_names, ...names.target_names];
    const nx = names.feature_names.length;
    const shown = Math.min(inputs.length, MAX_TABLE_ROWS);
    const head = columns.map((n, i) => `<th scope="col" class="${i < nx ? "bv-x" : "bv-y"}">${n}</th>`).join("");
    const rows = [];
    for (let r = 0; r < shown; r++) {
      const vals = [...inputs[r], ...(targets[r] ?? [])].map((v, i) =>
        `<td class="${i < nx ? "bv-x" : "bv-y"}">${cell(v)}</td>`).join("");
      rows.push(`<tr data-row="${r}"><td class="bv-swatch"><i></i></td><th scope="row">${r + 1}</th>${vals}</tr>`);
    }
    body.innerHTML = `<table class="bv-table"><thead><tr><th class="bv-swatch" title="batch"></th>
      <th scope="col">row</th>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
    tableRows = [...body.querySelectorAll("tbody tr")].map((tr) => /** @type {HTMLTableRowElement} */ (tr));
    canvas = null;
  }

  function buildScatter() {
    body.innerHTML = `<canvas class="bv-scatter" role="img" aria-label="Training points coloured by batch"></canvas>`;
    canvas = body.querySelector("canvas");
    if (canvas) canvasWidth = watchedWidth(canvas, 300);
    tableRows = [];
  }

  /**
   * @param {Int32Array} groups  each row's batch (−1: not yet known)
   * @param {Set<number>} current  the rows of the highlighted batch
   * @param {number} n  training rows
   */
  function paintTable(groups, current, n) {
    const more = n - tableRows.length;
    const hidden = [...current].filter((r) => r >= tableRows.length).map((r) => r + 1);
    const list = hidden.slice(0, 8).join(", ") + (hidden.length > 8 ? ", …" : "");
    const where = !hidden.length ? "" : hidden.length === current.size
      ? `; the current batch is row${hidden.length > 1 ? "s" : ""} ${list}`
      : `; the current batch also holds row${hidden.length > 1 ? "s" : ""} ${list}`;
    $(".bv-note").textContent = more <= 0 ? "" : `… and ${more} more rows, not shown${where}`;
    for (const tr of tableRows) {
      const r = Number(tr.dataset.row);
      const g = groups[r];
      tr.dataset.group = String(g);
      tr.style.setProperty("--batch-colour", batchColour(g));
      tr.classList.toggle("is-current", current.has(r));
      tr.classList.toggle("is-unknown", g < 0);
    }
  }

  /**
   * @param {HTMLCanvasElement} canvas
   * @param {Matrix} points  the training rows' (x1, x2)
   * @param {Int32Array} groups
   * @param {Set<number>} current
   */
  function paintScatter(canvas, points, groups, current) {
    const size = Math.max(120, canvasWidth()); // no clientWidth read: no layout mid-frame
    const dpr = globalThis.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size * dpr)) {
      canvas.width = canvas.height = Math.round(size * dpr);
    }
    const ctx = canvas.getContext("2d");
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    ctx.strokeStyle = "#d0d7de";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(size / 2, 0); ctx.lineTo(size / 2, size);
    ctx.moveTo(0, size / 2); ctx.lineTo(size, size / 2);
    ctx.stroke();
    const dot = (/** @type {number} */ r, /** @type {number} */ radius) => {
      const [x1, x2] = points[r];
      ctx.beginPath();
      ctx.arc(toPixel(x1, size), toPixel(x2, size, true), radius, 0, 2 * Math.PI);
    };
    for (let r = 0; r < points.length; r++) {
      if (current.has(r)) continue;
      dot(r, 3);
      ctx.fillStyle = groups[r] < 0 ? UNKNOWN_COLOUR : batchColour(groups[r]);
      ctx.globalAlpha = current.size ? 0.55 : 0.9;
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    for (const r of current) { // the current batch on top: larger, with a dark ring
      if (r >= points.length) continue;
      dot(r, 5.5);
      ctx.fillStyle = batchColour(groups[r]);
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#1f2328";
      ctx.stroke();
    }
  }

  /**
   * Colour the rows by batch and highlight the figure frame's batch.
   * @param {State} state
   * @param {Matrix} points  the training inputs, one row per sample
   * @param {TrainingSpec} t
   */
  function paint(state, points, t) {
    const n = points.length;
    const frame = figureFrame(state);
    const groups = rowGroups({ mode: t.mode, batchSize: t.batch_size, shuffle: Boolean(t.shuffle), nRows: n,
      tracker: figureTracker(state) });
    const current = new Set(frame ? frame.rows.filter((r) => r < n) : []);
    if (kind === "table") paintTable(groups, current, n);
    else if (canvas) paintScatter(canvas, points, groups, current);
    const per = iterationsPerEpoch(t.mode, n, t.batch_size);
    $(".bv-counter").textContent = counterText(frame, per);
    Object.assign(el.dataset, {
      groups: String(per), epoch: String(frame ? frame.epoch + 1 : 0), batch: String(frame ? frame.batch + 1 : 0),
      iteration: String(frame ? frame.iteration : 0), current: [...current].join(","),
    });
  }

  /** @param {State} state */
  function update(state) {
    const ds = state.dataset;
    const t = specOf(state)?.training;
    const points = ds?.inputs?.length ? ds.inputs : null;
    el.classList.toggle("is-empty", !(ds && points && t?.mode));
    if (!ds || !points || !t?.mode) {
      const text = ds?.points === false ? `This data set (${ds.rows} rows) is too large to show here.`
        : "No data set loaded yet.";
      if ($(".bv-empty").textContent !== text) $(".bv-empty").textContent = text;
      if (layoutKey) {
        layoutKey = null;
        body.textContent = "";
        $(".bv-note").textContent = "";
      }
      return;
    }
    const info = (state.options?.datasets ?? []).find((d) => d.name === ds.name);
    const twoD = info ? info.two_d : false;
    const key = [ds, t.mode, t.batch_size, t.shuffle, twoD];
    if (!layoutKey || key.some((v, i) => v !== layoutKey?.[i])) {
      layoutKey = key;
      paintKey = null;
      kind = twoD ? "scatter" : "table";
      if (twoD) buildScatter(); else buildTable(ds, points, ds.targets ?? []);
      $(".bv-note").textContent = twoD ? `${points.length} training points (x1, x2).` : "";
      $(".bv-mode").textContent = MODE_NAMES[t.mode] || t.mode;
      $(".bv-layout").textContent = layoutText(t.mode, points.length, t.batch_size);
      $(".bv-legend").innerHTML = legend(iterationsPerEpoch(t.mode, points.length, t.batch_size), t.shuffle);
      el.dataset.mode = t.mode;
      el.dataset.view = kind;
    }
    // render.js decides how often this runs (at most 4 times a second while training at
    // speed): paint at once, with no second throttle or animation-frame loop of its own
    const shown = [figureFrame(state), figureTracker(state)];
    if (paintKey && shown.every((v, i) => v === paintKey?.[i])) return;
    paintKey = shown;
    paint(state, points, t);
  }

  return { update };
}
