// Figure 2 live: the training rows coloured by the batch they fall in for the chosen mode
// (one colour for batch, one per row for stochastic, groups of batch_size for mini-batch),
// the current batch highlighted, and the epoch / batch / iteration counters. A table for
// small tabular sets, a scatter plot of (x1, x2) for the 2-D sets.

import { batchColour, UNKNOWN_COLOUR } from "../palette.js";
import { MODE_NAMES, counterText, effectiveBatchSize, iterationsPerEpoch, rowGroups, trackBatches }
  from "../partition.js";
import { toPixel } from "../heatmap.js";

const MAX_TABLE_ROWS = 20;
const specOf = (state) => (state.job && state.job.spec) || state.spec || {};
// The latest frame of any detail ({epoch, batch, iteration, rows} suffice) when the page keeps
// one, else the latest full frame.
const frameOf = (state) => state.latestFrame || state.frame;
const cell = (v) => (typeof v === "number" ? Number(v.toPrecision(3)).toString() : "–");

function layoutText(mode, n, b) {
  const per = iterationsPerEpoch(mode, n, b);
  const rows = n === 1 ? "row" : "rows";
  if (mode === "batch") return `1 batch of all ${n} ${rows} → 1 iteration per epoch`;
  if (mode === "sgd") return `${n} batches of 1 row → ${n} iterations per epoch`;
  const size = effectiveBatchSize(mode, n, b);
  const short = n % size ? ` (the last of ${n % size})` : "";
  return `${per} batches of ${size} ${rows}${short} → ${per} iterations per epoch`;
}

/** Swatches for the first batches, the current-batch marker and, when shuffled, "not yet". */
function legend(groups, shuffle) {
  const shown = Math.min(groups, 7);
  const sw = (c) => `<i class="bv-key" style="--batch-colour:${c}"></i>`;
  const items = Array.from({ length: shown }, (_, g) => `${sw(batchColour(g))}batch ${g + 1}`);
  if (groups > shown) items.push("… colours repeat every 7 batches");
  items.push(`<i class="bv-key bv-key-current"></i>current batch`);
  if (shuffle) items.push(`${sw(UNKNOWN_COLOUR)}not yet drawn this epoch (shuffled)`);
  return items.map((x) => `<span>${x}</span>`).join("");
}

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
  const $ = (s) => el.querySelector(s);
  const body = $(".bv-body");
  let layoutKey = null;
  let frameKey = null;
  let tracker = null;
  let kind = null; // "table" | "scatter"
  let tableRows = []; // <tr> per shown row
  let canvas = null;
  let pending = 0;
  let latest = null;

  function buildTable(ds) {
    const names = [...ds.feature_names, ...ds.target_names];
    const shown = Math.min(ds.inputs.length, MAX_TABLE_ROWS);
    const head = names.map((n, i) =>
      `<th scope="col" class="${i < ds.feature_names.length ? "bv-x" : "bv-y"}">${n}</th>`).join("");
    const rows = [];
    for (let r = 0; r < shown; r++) {
      const vals = [...ds.inputs[r], ...ds.targets[r]].map((v, i) =>
        `<td class="${i < ds.feature_names.length ? "bv-x" : "bv-y"}">${cell(v)}</td>`).join("");
      rows.push(`<tr data-row="${r}"><td class="bv-swatch"><i></i></td><th scope="row">${r + 1}</th>${vals}</tr>`);
    }
    body.innerHTML = `<table class="bv-table"><thead><tr><th class="bv-swatch" title="batch"></th>
      <th scope="col">row</th>${head}</tr></thead><tbody>${rows.join("")}</tbody></table>`;
    tableRows = [...body.querySelectorAll("tbody tr")];
    canvas = null;
  }

  function buildScatter() {
    body.innerHTML = `<canvas class="bv-scatter" role="img" aria-label="Training points coloured by batch"></canvas>`;
    canvas = body.querySelector("canvas");
    tableRows = [];
  }

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

  function paintScatter(ds, groups, current) {
    const size = Math.max(120, canvas.clientWidth || 300);
    const dpr = globalThis.devicePixelRatio || 1;
    if (canvas.width !== Math.round(size * dpr)) {
      canvas.width = canvas.height = Math.round(size * dpr);
    }
    const ctx = canvas.getContext("2d");
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, size, size);
    ctx.strokeStyle = "#d0d7de";
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(size / 2, 0); ctx.lineTo(size / 2, size);
    ctx.moveTo(0, size / 2); ctx.lineTo(size, size / 2);
    ctx.stroke();
    const dot = (r, radius) => {
      const [x1, x2] = ds.inputs[r];
      ctx.beginPath();
      ctx.arc(toPixel(x1, size), toPixel(x2, size, true), radius, 0, 2 * Math.PI);
    };
    for (let r = 0; r < ds.inputs.length; r++) {
      if (current.has(r)) continue;
      dot(r, 3);
      ctx.fillStyle = groups[r] < 0 ? UNKNOWN_COLOUR : batchColour(groups[r]);
      ctx.globalAlpha = current.size ? 0.55 : 0.9;
      ctx.fill();
    }
    ctx.globalAlpha = 1;
    for (const r of current) { // the current batch on top: larger, with a dark ring
      if (r >= ds.inputs.length) continue;
      dot(r, 5.5);
      ctx.fillStyle = batchColour(groups[r]);
      ctx.fill();
      ctx.lineWidth = 2;
      ctx.strokeStyle = "#1f2328";
      ctx.stroke();
    }
  }

  function paint() {
    pending = 0;
    const state = latest;
    const ds = state.dataset;
    const frame = frameOf(state);
    const t = specOf(state).training || {};
    const n = ds.inputs.length;
    const groups = rowGroups({ mode: t.mode, batchSize: t.batch_size, shuffle: !!t.shuffle, nRows: n, tracker });
    const current = new Set(frame && frame.rows ? frame.rows.filter((r) => r < n) : []);
    if (kind === "table") paintTable(groups, current, n);
    else paintScatter(ds, groups, current);
    const per = iterationsPerEpoch(t.mode, n, t.batch_size);
    $(".bv-counter").textContent = counterText(frame, per);
    Object.assign(el.dataset, {
      groups: String(per), epoch: frame ? frame.epoch + 1 : 0, batch: frame ? frame.batch + 1 : 0,
      iteration: frame ? frame.iteration : 0, current: [...current].join(","),
    });
  }

  function update(state) {
    latest = state;
    const ds = state.dataset;
    const spec = specOf(state);
    const t = spec.training || {};
    const info = ((state.options && state.options.datasets) || []).find((d) => d.name === (ds && ds.name));
    const ready = !!(ds && Array.isArray(ds.inputs) && ds.inputs.length && t.mode);
    el.classList.toggle("is-empty", !ready);
    if (!ready) {
      const omitted = ds && (ds.points === false || ds.points_included === false);
      const text = omitted ? `This data set (${ds.rows} rows) is too large to show here.`
        : "No data set loaded yet.";
      if ($(".bv-empty").textContent !== text) $(".bv-empty").textContent = text;
      if (layoutKey) {
        layoutKey = null;
        body.textContent = "";
        $(".bv-note").textContent = "";
      }
      return;
    }
    const twoD = info ? !!info.two_d : false;
    const key = [ds, t.mode, t.batch_size, t.shuffle, twoD];
    let dirty = false;
    if (!layoutKey || key.some((v, i) => v !== layoutKey[i])) {
      layoutKey = key;
      dirty = true;
      tracker = null;
      frameKey = undefined; // the tracker starts over from the current frame
      kind = twoD ? "scatter" : "table";
      if (twoD) buildScatter(); else buildTable(ds);
      if (twoD) $(".bv-note").textContent = `${ds.inputs.length} training points (x1, x2).`;
      $(".bv-mode").textContent = MODE_NAMES[t.mode] || t.mode;
      $(".bv-layout").textContent = layoutText(t.mode, ds.inputs.length, t.batch_size);
      $(".bv-legend").innerHTML = legend(iterationsPerEpoch(t.mode, ds.inputs.length, t.batch_size), t.shuffle);
      el.dataset.mode = t.mode;
      el.dataset.view = kind;
    }
    const frame = frameOf(state);
    if (frame !== frameKey) {
      frameKey = frame;
      dirty = true;
      if (t.shuffle) tracker = trackBatches(tracker, frame, ds.inputs.length);
    }
    if (!dirty) return;
    if (kind === "table") paint(); // a few class changes: immediate
    else if (!pending) pending = requestAnimationFrame(paint);
  }

  return { update };
}
