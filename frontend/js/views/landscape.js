// @ts-check
// The loss landscape: the whole training set's loss over a grid of two parameters around their
// current values (every other one held), as a heatmap on a log colour scale with iso-lines, and
// the descent path the two took so far, its last point (now) marked. Pick the two in the lists,
// or with "from diagram" and a click on a weight line (or a neuron, for its bias). Fetched again
// at most twice a second while the job trains (landscapeLoader.js).

import { api } from "../api.js";
import { isoLines, logLevels } from "../contours.js";
import { createLoader } from "../landscapeLoader.js";
import { defaultPair, inNetwork, paramKey, paramName, parameters, parseParam } from "../landscapeParams.js";
import { lossPixels, lossScale, nearestPoint, plotFrame, sequential } from "../landscapeScale.js";
import { fmt } from "../format.js";
import { weightTarget } from "../weightEdit.js";
import { html, setAttr, setText } from "./svg.js";

/** @typedef {import("../landscapeScale.js").Landscape} Landscape */
/** @typedef {import("../landscapeParams.js").Param} Param */
/** @typedef {import("../landscapeLoader.js").LandscapeQuery} LandscapeQuery */
/** One more descent path drawn over the surface (the compare view's runs): [a, b] points. */
/** @typedef {{path: [number, number][], colour: string, label: string}} ExtraPath */
/**
 * What update() reads of the page's state (store.js's State): the attached job, if any, and
 * the weights shown (their shapes list the parameters; a new array is a new version to fetch).
 * @typedef {{job: {id: string, status?: string} | null, weights: (number | null)[][][] | null}} LandscapeInput
 */

const SPANS = [0.25, 0.5, 1, 2, 4];
const GRIDS = [21, 41, 61, 101];
const LEVELS = 10;
const PICK_PX = 8;
const PATH_COLOUR = "#ffffff";
const NOW_COLOUR = "#d55e00"; // vermilion (palette.js's BATCH_COLOURS): the current values

/**
 * @param {HTMLElement} el
 * @param {{fetch?: (job: string, a: string, b: string, span: number, grid: number, signal: AbortSignal) => Promise<unknown>,
 *   diagram?: () => Element | null}} [deps]
 */
export function LandscapeView(el, deps = {}) {
  const fetchLandscape = deps.fetch ?? api.landscape;
  const diagram = deps.diagram ?? (() => document.querySelector("#network svg"));
  el.classList.add("landscape-view");
  setAttr(el, "data-state", "empty");
  const bar = html("div", { class: "ls-controls" }, el);
  const pickers = /** @type {("a" | "b")[]} */ (["a", "b"]).map((which) => {
    const label = html("label", { class: "ls-param" }, bar, which === "a" ? "→ " : "↑ ");
    const select = /** @type {HTMLSelectElement} */ (html("select", { "data-param": which,
      "aria-label": `the ${which === "a" ? "first (across)" : "second (up)"} parameter` }, label));
    const pick = html("button", { type: "button", class: "ls-pick", "data-pick": which,
      title: "then click a weight line (or a neuron, for its bias) in the diagram" }, bar, "from diagram");
    pick.hidden = true; // picking from the diagram is not verified yet: the selects name every parameter
    return { which, select, pick };
  });
  const span = /** @type {HTMLSelectElement} */ (html("select", { "data-control": "span", "aria-label": "span ±" },
    html("label", {}, bar, "± ")));
  for (const v of SPANS) html("option", { value: String(v) }, span, String(v));
  span.value = "1";
  const grid = /** @type {HTMLSelectElement} */ (html("select", { "data-control": "grid", "aria-label": "grid points" },
    html("label", {}, bar, "grid ")));
  for (const v of GRIDS) html("option", { value: String(v) }, grid, `${v}×${v}`);
  grid.value = "41";
  const plot = html("div", { class: "ls-plot" }, el);
  const yLabel = html("div", { class: "ls-ylabel", "data-axis": "b" }, plot);
  const canvas = /** @type {HTMLCanvasElement} */ (html("canvas", { class: "ls-canvas", role: "img",
    "aria-label": "loss landscape" }, plot));
  const xLabel = html("div", { class: "ls-xlabel", "data-axis": "a" }, plot);
  const legend = html("div", { class: "ls-legend" }, el);
  const readout = html("p", { class: "ls-readout", "data-readout": "landscape", "aria-live": "polite" }, el);
  const message = html("p", { class: "ls-message", role: "status" }, el);

  /** @type {LandscapeInput | null} */
  let state = null;
  /** @type {[Param, Param] | null} */
  let pair = null;
  let listed = ""; // the shapes the lists were built for
  /** @type {"a" | "b" | null} */
  let picking = null;
  /** @type {Landscape | null} */
  let data = null;
  let version = 0;
  /** @type {unknown} */
  let weightsSeen = null;
  /** @type {ExtraPath[]} */
  let extra = [];
  /** @type {LandscapeQuery | null} */
  let shownFor = null; // the query `data` answers

  const loader = createLoader({
    fetch: (q, signal) => fetchLandscape(q.job, q.a, q.b, q.span, q.grid, signal),
    onResult: (answer, q) => {
      data = /** @type {Landscape} */ (answer);
      shownFor = q;
      setText(message, "");
      draw();
    },
    onError: (err) => {
      setAttr(el, "data-state", "error");
      setText(message, `The landscape could not be computed: ${/** @type {Error} */ (err)?.message ?? err}`);
    },
  });

  function fillLists(/** @type {LandscapeInput["weights"]} */ weights) {
    const shapes = (weights ?? []).map((w) => `${w.length}x${w[0]?.length ?? 0}`).join(",");
    if (shapes === listed) return;
    listed = shapes;
    const all = parameters(weights);
    for (const { select } of pickers) {
      select.replaceChildren();
      for (const p of all) html("option", { value: paramKey(p) }, select, paramName(p));
    }
    if (!pair || !inNetwork(weights, pair[0]) || !inNetwork(weights, pair[1])) pair = defaultPair(weights);
    showPair();
  }

  function showPair() {
    pickers.forEach(({ select }, k) => {
      if (pair) select.value = paramKey(pair[k]);
    });
    setText(xLabel, pair ? `${paramName(pair[0])} →` : "");
    setText(yLabel, pair ? `${paramName(pair[1])} →` : "");
  }

  function ask() {
    const job = state?.job;
    if (!job || !pair || !state?.weights) {
      loader.want(null);
      data = null;
      setAttr(el, "data-state", "empty");
      setAttr(el, "data-points", "0");
      setText(message, job ? "This network has too few parameters." : "Create or train a job to see its loss landscape.");
      clear();
      return;
    }
    if (state.weights !== weightsSeen) {
      weightsSeen = state.weights;
      version++;
    }
    /** @type {LandscapeQuery} */
    const q = { job: job.id, a: paramKey(pair[0]), b: paramKey(pair[1]), span: Number(span.value),
      grid: Number(grid.value), version };
    if (el.dataset.state === "empty") setAttr(el, "data-state", "loading");
    loader.want(q);
  }

  function clear() {
    canvas.getContext("2d")?.clearRect(0, 0, canvas.width, canvas.height);
    setText(readout, "");
    legend.replaceChildren();
  }

  function size() {
    const css = Math.max(160, Math.min(440, Math.floor(plot.clientWidth - 28) || 320));
    const dpr = globalThis.devicePixelRatio || 1;
    if (canvas.width !== Math.round(css * dpr)) {
      canvas.width = Math.round(css * dpr);
      canvas.height = Math.round(css * dpr);
      canvas.style.width = `${css}px`;
      canvas.style.height = `${css}px`;
    }
    return { w: canvas.width, h: canvas.height, dpr };
  }

  /** The descent path in pixels of a w × h canvas. */
  const pathPixels = (/** @type {[number, number][]} */ path, /** @type {ReturnType<typeof plotFrame>} */ f) =>
    path.map(([va, vb]) => f.valueToPixel(va, vb));

  function draw() {
    const ctx = canvas.getContext("2d");
    if (!data || !ctx) return;
    const n = data.a.length;
    const { w, h, dpr } = size();
    const scale = lossScale(data.loss);
    const image = new ImageData(lossPixels(data.loss, scale.unit), n, n);
    const small = new OffscreenCanvas(n, n);
    small.getContext("2d")?.putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = false;
    ctx.drawImage(small, 0, 0, w, h);
    const f = plotFrame(data.a, data.b, w, h);
    ctx.lineWidth = dpr;
    ctx.strokeStyle = "rgba(255, 255, 255, 0.55)";
    for (const iso of isoLines(data.loss, logLevels(data.loss, LEVELS))) {
      for (const line of iso.lines) {
        ctx.beginPath();
        line.forEach(([x, y], k) => (k ? ctx.lineTo(...f.indexToPixel(x, y)) : ctx.moveTo(...f.indexToPixel(x, y))));
        ctx.stroke();
      }
    }
    for (const p of extra) strokePath(ctx, pathPixels(p.path, f), p.colour, dpr, false);
    strokePath(ctx, pathPixels(data.path, f), PATH_COLOUR, dpr, true);
    drawLegend(scale);
    setAttr(el, "data-state", "ready");
    setAttr(el, "data-points", String(data.path.length));
    setAttr(el, "data-grid", String(n));
    setAttr(el, "data-a", shownFor?.a ?? "");
    setAttr(el, "data-b", shownFor?.b ?? "");
  }

  function strokePath(/** @type {CanvasRenderingContext2D} */ ctx, /** @type {[number, number][]} */ pts,
    /** @type {string} */ colour, /** @type {number} */ dpr, /** @type {boolean} */ markLast) {
    if (pts.length === 0) return;
    ctx.lineWidth = 2 * dpr;
    ctx.strokeStyle = colour;
    ctx.beginPath();
    pts.forEach(([x, y], k) => (k ? ctx.lineTo(x, y) : ctx.moveTo(x, y)));
    ctx.stroke();
    const [x, y] = pts[pts.length - 1];
    ctx.fillStyle = markLast ? NOW_COLOUR : colour;
    ctx.strokeStyle = "#000000";
    ctx.lineWidth = dpr;
    ctx.beginPath();
    ctx.arc(x, y, (markLast ? 5 : 3.5) * dpr, 0, 2 * Math.PI);
    ctx.fill();
    ctx.stroke();
  }

  function drawLegend(/** @type {ReturnType<typeof lossScale>} */ scale) {
    const stops = [0, 0.2, 0.4, 0.6, 0.8, 1].map((u) => `rgb(${sequential(u).join(", ")}) ${u * 100}%`);
    legend.replaceChildren();
    html("span", {}, legend, `ℓ ${fmt(scale.lo, 3)}`);
    html("span", { class: "ls-bar" }, legend).style.background = `linear-gradient(to right, ${stops.join(", ")})`;
    html("span", {}, legend, `${fmt(scale.hi, 3)}${scale.log ? " (log scale)" : ""}`);
  }

  canvas.addEventListener("pointermove", (event) => {
    if (!data || !pair) return;
    const box = canvas.getBoundingClientRect();
    const [px, py] = [event.clientX - box.left, event.clientY - box.top];
    const f = plotFrame(data.a, data.b, box.width, box.height);
    const cell = f.cellAt(px, py);
    if (!cell) return setText(readout, "");
    const [i, j] = cell;
    const k = nearestPoint(pathPixels(data.path, f), px, py, PICK_PX);
    const where = k < 0 ? "" : ` · path point ${k + 1} of ${data.path.length}${k === data.path.length - 1 ? " (now)" : ""}`;
    const loss = data.loss[i][j];
    setText(readout, `${paramName(pair[0])} = ${fmt(data.a[i], 4)}, ${paramName(pair[1])} = ${fmt(data.b[j], 4)}: ` +
      `ℓ = ${loss === null ? "not finite" : fmt(loss, 4)}${where}`);
  });
  canvas.addEventListener("pointerleave", () => setText(readout, ""));

  for (const { which, select, pick } of pickers) {
    select.addEventListener("change", () => {
      const p = parseParam(select.value);
      if (!p || !pair) return;
      pair = which === "a" ? [p, pair[1]] : [pair[0], p];
      showPair();
      ask();
    });
    pick.addEventListener("click", () => {
      picking = picking === which ? null : which;
      for (const q of pickers) q.pick.setAttribute("aria-pressed", String(picking === q.which));
    });
  }
  for (const control of [span, grid]) control.addEventListener("change", ask);

  // "from diagram": the next click on a weight line (or neuron) of the diagram names the
  // parameter, caught before the weight editor sees it
  document.addEventListener("click", (event) => {
    const root = diagram();
    const target = /** @type {Element | null} */ (event.target);
    if (!picking || !root || !target || !root.contains(target) || !pair) return;
    const hit = target.closest("[data-edge], [data-neuron]") ?? root.querySelector(".edge.hover");
    const id = hit?.getAttribute("data-edge") ?? hit?.getAttribute("data-neuron");
    const p = id ? weightTarget(id) : null;
    if (!p || !inNetwork(state?.weights, p)) return;
    event.stopPropagation();
    pair = picking === "a" ? [p, pair[1]] : [pair[0], p];
    picking = null;
    for (const q of pickers) q.pick.setAttribute("aria-pressed", "false");
    showPair();
    ask();
  }, true);

  return {
    /** Follow the page's state: safe with no job and no weights yet. */
    update(/** @type {LandscapeInput} */ s) {
      state = s;
      fillLists(s.weights);
      ask();
    },
    /** More descent paths to draw over the surface (the compare view's runs); [] for none. */
    overlay(/** @type {ExtraPath[]} */ paths) {
      extra = paths;
      draw();
    },
  };
}
