// @ts-check
// The network's output over the plane, for the 2-D data sets: the decision surface as a
// heatmap (the forward passes of eqs. (1)–(2) over a grid from the current weights, on a
// worker: planeCompute.js) with the data points on top. Redrawn only when the weights changed,
// as often as render.js lets it while training runs. Each hidden neuron's own map is drawn
// inside its circle in the diagram (views/nodeMaps.js).

import { withFeatures } from "../forward.js";
import { createPlaneCompute } from "../planeCompute.js";
import { watchedWidth } from "./boxSize.js";
import { fillRGBA, gridPoints, shownOutput, targetRange, toPixel, toUnit } from "../heatmap.js";
import { diverging, divergingGradient, rgb } from "../palette.js";

/** @import { DatasetSpec, DatasetSummary, Matrix, Num, Spec, State, View } from "../types.js" */
/** @typedef {import("../heatmap.js").Range} Range */
/** What update() reads of the page's state (store.js's State). */
/** @typedef {Pick<State, "job" | "spec" | "weights" | "frame" | "dataset" | "options">} OutputInput */
/** The plane's grid: n × n points, each the input row of its (x1, x2) and derived features. */
/** @typedef {{n: number, inputs: number[][]}} Grid */
/** What the surface was laid out for (any part changed: a new layout) and its colour range. */
/** @typedef {{key: unknown[], range: Range}} LayoutKey */
/** What a redraw was asked for: the layout and data it is for, and the iteration shown. */
/** @typedef {{layout: LayoutKey, ds: DatasetSummary, n: number, iteration: number}} Request */

const GRID = 60;
const MIN_GRID = 16;
const BUDGET = 2e7; // multiply-adds per redraw: keeps a redraw well under a frame's time
const LIGHTEN = 0.3; // the surface is paler than the points drawn on it
/** The shown job's spec, else the form's. @param {OutputInput} state @returns {Partial<Spec>} */
const specOf = (state) => (state.job && state.job.spec) || state.spec || {};

/**
 * The grid size a network of `params` weights can afford, or 0 if not even the smallest.
 * @param {number} params
 */
function gridFor(params) {
  const n = Math.min(GRID, Math.floor(Math.sqrt(BUDGET / Math.max(1, params))));
  return n >= MIN_GRID ? n : 0;
}

/**
 * @param {HTMLElement} el
 * @returns {View<OutputInput>}
 */
export function OutputView(el) {
  el.classList.add("output-view");
  el.innerHTML = `
    <p class="view-note ov-note" hidden></p>
    <div class="ov-main">
      <figure class="ov-figure">
        <div class="ov-plot">
          <canvas class="ov-surface" role="img" aria-label="Network output over the plane"></canvas>
          <span class="ov-tick ov-x0">−6</span><span class="ov-tick ov-x1">6</span>
          <span class="ov-tick ov-y0">−6</span><span class="ov-tick ov-y1">6</span>
          <span class="ov-axis ov-xlabel">x1</span><span class="ov-axis ov-ylabel">x2</span>
        </div>
      </figure>
      <div class="ov-side">
        <div class="ov-legend">
          <div class="ov-caption"></div>
          <div class="ov-bar" style="background:${divergingGradient("to right", LIGHTEN)}"></div>
          <div class="ov-scale"><span></span><span></span><span></span></div>
          <div class="ov-marks"><span><i class="ov-dot"></i>training point</span>
            <span><i class="ov-dot ov-hollow"></i>test point</span></div>
        </div>
        <p class="ov-maps-note">Each neuron's own output over the plane is drawn inside it in the network diagram.</p>
      </div>
    </div>
    <p class="view-empty ov-empty">The surface appears once the network has weights.</p>`;
  /** @param {string} s */
  const $ = (s) => /** @type {HTMLElement} */ (el.querySelector(s));
  const surface = /** @type {HTMLCanvasElement} */ ($(".ov-surface"));
  const offscreen = document.createElement("canvas");
  const surfaceWidth = watchedWidth(surface, 300); // no layout forced mid-frame to read it
  // the data points change far less often than the surface: drawn once onto a layer of their own
  const pointsLayer = document.createElement("canvas");
  /** @type {unknown[]} */
  let pointsKey = [];
  /** @type {ReturnType<typeof createPlaneCompute<Request>>} */
  const compute = createPlaneCompute(paint, (message) => console.error(`output surface: ${message}`));
  /** @type {LayoutKey | null} */
  let layoutKey = null;
  /** @type {Grid | null} */
  let grid = null;
  /** @type {Matrix[] | null | undefined} */
  let drawnWeights = null;

  /**
   * The grid and the legend for a network of `sizes` neurons per layer on data set `ds`.
   * @param {number[]} sizes
   * @param {string[]} features
   * @param {string} kind
   * @param {DatasetSummary} ds
   * @returns {Range}
   */
  function buildLayout(sizes, features, kind, ds) {
    const params = sizes.slice(1).reduce((s, n, i) => s + n * (1 + sizes[i]), 0);
    const n = gridFor(params);
    grid = n ? { n, inputs: withFeatures(gridPoints(n), features) } : null;
    offscreen.width = offscreen.height = n || 1;
    const range = targetRange(kind, [...(ds.targets || []), ...(ds.test_targets || [])]);
    const labels = kind === "classification" ? ["class 0", "0.5", "class 1"]
      : [range[0].toPrecision(2), "0", range[1].toPrecision(2)];
    el.querySelectorAll(".ov-scale span").forEach((s, i) => { s.textContent = labels[i]; });
    $(".ov-caption").textContent = kind === "classification"
      ? "network output y: probability of class 1" : "network output y";
    el.dataset.grid = String(n);
    el.dataset.hidden = String(sizes.slice(1, -1).reduce((a, b) => a + b, 0));
    $(".ov-note").hidden = !!n;
    if (!n) $(".ov-note").textContent = "This network is too large to redraw its surface live.";
    return range;
  }

  /**
   * The training points filled, the test points as rings, coloured by their target `out`.
   * @param {CanvasRenderingContext2D} ctx
   * @param {number} size  the plot's side in CSS pixels
   * @param {DatasetSummary} ds
   * @param {Range} range
   * @param {number} out  the output shown
   */
  function drawPoints(ctx, size, ds, range, out) {
    /** @param {Num[]} x */
    const at = (x) => [toPixel(x[0], size), toPixel(x[1], size, true)];
    /** @param {Num[]} t */
    const colour = (t) => rgb(diverging(toUnit(t[out], range)));
    const targets = ds.targets ?? [];
    const testTargets = ds.test_targets ?? [];
    ctx.lineWidth = 1;
    (ds.inputs || []).forEach((x, r) => {
      const [px, py] = at(x);
      ctx.beginPath();
      ctx.arc(px, py, 3.2, 0, 2 * Math.PI);
      ctx.fillStyle = colour(targets[r]);
      ctx.fill();
      ctx.strokeStyle = "rgba(255, 255, 255, 0.9)";
      ctx.stroke();
    });
    (ds.test_inputs || []).forEach((x, r) => {
      const [px, py] = at(x);
      ctx.beginPath();
      ctx.arc(px, py, 3.4, 0, 2 * Math.PI);
      ctx.lineWidth = 3.6;
      ctx.strokeStyle = "rgba(31, 35, 40, 0.75)";
      ctx.stroke();
      ctx.lineWidth = 2;
      ctx.strokeStyle = colour(testTargets[r]);
      ctx.stroke();
    });
  }

  /**
   * The surface of `network` at the weights shown, and the points on it.
   * @param {OutputInput} state
   * @param {DatasetSummary} ds
   * @param {Spec["network"]} network
   */
  function draw(state, ds, network) {
    const weights = state.weights || (state.frame && state.frame.weights);
    drawnWeights = weights;
    if (!layoutKey || !grid || !weights) return;
    // computed off the main thread (planeCompute.js); painted when the values are back
    const tag = { layout: layoutKey, ds, n: grid.n, iteration: state.frame ? state.frame.iteration : 0 };
    compute.submit({ weights, network, inputs: grid.inputs, tag });
  }

  /**
   * The surface from the output layer's values over the grid, and the points on it.
   * @param {Float64Array[][]} values  [layer][neuron] (n²)
   * @param {Request} request
   */
  function paint(values, { layout, ds, n, iteration }) {
    if (layout !== layoutKey) return; // laid out again since
    const outputs = values[values.length - 1];
    const out = shownOutput(outputs.length);
    const bytes = fillRGBA(outputs[out], layout.range, LIGHTEN);
    const pixels = /** @type {Uint8ClampedArray<ArrayBuffer>} */ (bytes); // a new array: ImageData takes it
    /** @type {CanvasRenderingContext2D} */ (offscreen.getContext("2d")).putImageData(new ImageData(pixels, n, n), 0, 0);
    const size = Math.max(120, surfaceWidth());
    const dpr = globalThis.devicePixelRatio || 1;
    if (surface.width !== Math.round(size * dpr)) surface.width = surface.height = Math.round(size * dpr);
    const ctx = /** @type {CanvasRenderingContext2D} */ (surface.getContext("2d"));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(offscreen, 0, 0, size, size);
    ctx.drawImage(pointsFor(size, dpr, ds, layout.range, out), 0, 0, size, size);
    el.dataset.iteration = String(iteration);
    el.dataset.draws = String(Number(el.dataset.draws || 0) + 1);
    el.dataset.computed = compute.where();
  }

  /**
   * The points' layer for a plot of `size` CSS px, drawn again only when something it shows changed.
   * @param {number} size
   * @param {number} dpr
   * @param {DatasetSummary} ds
   * @param {Range} range
   * @param {number} out
   * @returns {HTMLCanvasElement}
   */
  function pointsFor(size, dpr, ds, range, out) {
    const key = [size, dpr, ds, range, out];
    if (key.every((v, i) => v === pointsKey[i])) return pointsLayer;
    pointsKey = key;
    pointsLayer.width = pointsLayer.height = Math.round(size * dpr);
    const ctx = /** @type {CanvasRenderingContext2D} */ (pointsLayer.getContext("2d"));
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    drawPoints(ctx, size, ds, range, out);
    return pointsLayer;
  }

  /** @param {OutputInput} state */
  function update(state) {
    const spec = specOf(state);
    const ds = state.dataset;
    const info = ((state.options && state.options.datasets) || []).find((d) => d.name === (ds && ds.name));
    const weights = state.weights || (state.frame && state.frame.weights);
    const twoD = !!(info && info.two_d);
    const points = !!(ds && Array.isArray(ds.inputs));
    el.classList.toggle("is-flat", !!ds && !twoD);
    el.classList.toggle("is-empty", !weights || !twoD || !points || !spec.network);
    if (ds && !twoD) {
      const n = ds.feature_names ? ds.feature_names.length : 0;
      const text = "The decision surface is drawn for the 2-D data sets (x1, x2)" +
        (n ? `; “${ds.name}” has ${n} input${n === 1 ? "" : "s"}.` : ".");
      $(".ov-note").hidden = false;
      if ($(".ov-note").textContent !== text) $(".ov-note").textContent = text;
    }
    if (!ds || !weights || !twoD || !points || !spec.network) { layoutKey = null; return; }
    const sizes = [weights[0][0].length - 1, ...weights.map((w) => w.length)];
    const dataset = /** @type {DatasetSpec | undefined} */ (spec.dataset);
    const features = (dataset && dataset.features) || [];
    if (sizes[0] !== 2 + features.length) { layoutKey = null; el.classList.add("is-empty"); return; }
    const layers = spec.network.layers;
    if (Array.isArray(layers) && layers.some((n, i) => n > sizes[i])) {
      // a wide network's frames carry its first neurons only: too few for its outputs
      layoutKey = null;
      el.classList.add("is-empty");
      $(".ov-note").hidden = false;
      $(".ov-note").textContent = `The surface is drawn for networks of at most ${Math.max(...sizes)} ` +
        "neurons a layer: the frames of a wider one carry only the neurons the diagram shows.";
      return;
    }
    const key = [sizes.join("-"), features.join(","), ds, spec.network.activation, spec.network.output_activation];
    const kept = layoutKey;
    if (!kept || key.some((v, i) => v !== kept.key[i])) {
      layoutKey = { key, range: buildLayout(sizes, features, ds.kind, ds) };
      drawnWeights = null;
    }
    if (weights === drawnWeights) return;
    draw(state, ds, spec.network); // how often while training runs: render.js's `every` (main.js)
  }

  return { update };
}
