// @ts-check
// A layer of the diagram of its own: for a network whose input is a plane (x1, x2), each
// neuron's output over that plane drawn inside its circle, as in TensorFlow Playground — the
// inputs' columns, every hidden neuron's y = f(z), the outputs. Computed here (planeMaps.js)
// from complete weights only: the frame's, or for a wide network, whose frames carry its first
// neurons, every weight (actions.completeWeights: GET /weights?format=f64) at most once a
// second. `update(s, layout)` keeps the canvases in step with the diagram; `paint(s)` draws
// them, only when the weights changed — main.js gives it its own slot in render.js, which
// says how often it may run while training runs (the page's one throttle). The canvases are
// made once per layout, then only painted.

import { decodeArrays, weightsOf } from "../binaryArrays.js";
import { isComplete, mapGridSize, mapPixels, mapWeights, planeInputs, planeOf }
  from "../planeMaps.js";
import { createPlaneCompute } from "../planeCompute.js";
import { html, setAttr, svg } from "./svg.js";

/** @import { DatasetSpec, JobView, Layout, LayoutNeuron, Matrix, Spec, State } from "../types.js" */
/** @typedef {import("../planeMaps.js").Plane} Plane */
/** @typedef {Plane & {layers: number[]}} SizedPlane  the input plane and the network's n_0 … n_L */
/**
 * What the maps ask for: turn them on or off, and a job's every weight (GET /weights?format=f64,
 * its bytes).
 * @typedef {{setNodeMaps?: (on: boolean) => unknown,
 *   completeWeights?: (id: string) => Promise<ArrayBuffer | null | undefined>}} NodeMapsActions
 */
/**
 * A neuron's map: its foreignObject and canvas's context, and the pixels painted in place.
 * @typedef {{node: LayoutNeuron, fo: SVGForeignObjectElement, ctx: CanvasRenderingContext2D,
 *   image: ImageData}} Cell
 */
/**
 * What the canvases were made for: the layout, the grid (n a side, its inputs), the layer
 * sizes and the plane's key.
 * @typedef {{layout: Layout, n: number, layers: number[], inputs: number[][], key: string}} Built
 */
/**
 * What a redraw was asked for: the canvases it is for, the activations, the iteration shown.
 * @typedef {{built: Built, network: import("../forward.js").Activations, iteration: number}} Request
 */
/**
 * A wide network's complete weights: the job's, fetched when its weights were `source`, of
 * iteration `iteration`.
 * @typedef {{id: string, source: Matrix[] | null, weights: Matrix[], iteration: number}} Fetched
 */

const XHTML = "http://www.w3.org/1999/xhtml";
const FETCH_MS = 1000;

/** @param {Pick<State, "job" | "spec">} s @returns {Spec | null} */
const specOf = (s) => s.job?.spec ?? s.spec;
/** The iteration whose weights the state shows. @param {State} s */
const iterationOf = (s) => s.frame?.iteration ?? s.counters?.iteration ?? 0;

/**
 * The plane of the state's network and data, with its layer sizes; null if not 2-D.
 * @param {State} s
 * @returns {SizedPlane | null}
 */
function planeFor(s) {
  const spec = specOf(s);
  const layers = spec?.network?.layers;
  const dataset = /** @type {DatasetSpec | undefined} */ (spec?.dataset);
  const info = s.options?.datasets?.find((d) => d.name === dataset?.name);
  const points = { features: dataset?.features ?? [], inputs: s.dataset?.inputs,
    test_inputs: s.dataset?.test_inputs };
  const plane = planeOf(layers, points, info);
  return plane && layers ? { ...plane, layers } : null;
}

/**
 * @param {SVGSVGElement} root  the diagram
 * @param {HTMLElement} wrap  the diagram's box, which holds the maps' toggle
 * @param {NodeMapsActions} actions
 */
export function NodeMaps(root, wrap, actions) {
  const toggle = html("button", { type: "button", class: "maps-toggle", "data-action": "node-maps",
    "aria-pressed": "true", title: "Each neuron's output over the input plane (x1 across, x2 up)" }, wrap,
  "Neuron maps");
  toggle.addEventListener("click", () =>
    actions.setNodeMaps?.(toggle.getAttribute("aria-pressed") !== "true"));
  /** @type {SVGGElement | null} */
  let group = null;
  /** @type {Built | null} */
  let built = null;
  /** @type {Cell[]} */
  let cells = [];
  /** @type {State | null} */
  let latest = null;
  /** @type {Matrix[] | null} */
  let drawn = null;
  /** @type {Fetched | null} */
  let full = null;
  let fetching = false;
  let lastFetch = -Infinity;
  /** @type {ReturnType<typeof setTimeout> | null} */
  let retry = null;
  /** @type {ReturnType<typeof createPlaneCompute<Request>>} */
  const compute = createPlaneCompute(drawValues, (message) => console.error(`neuron maps: ${message}`));

  /**
   * A canvas of n × n cells for every neuron of `layout`, in a group below the neurons.
   * @param {Layout} layout
   * @param {SizedPlane} plane
   * @param {number} n
   */
  function build(layout, plane, n) {
    group?.remove();
    const g = svg("g", { class: "node-maps", "aria-hidden": "true" });
    group = g;
    // below the neurons: their rings, numbers, focus and pointer events stay on top
    root.insertBefore(g, root.querySelector("g.neurons"));
    const r = layout.radius;
    cells = layout.neurons.map((node) => {
      const fo = svg("foreignObject", { x: node.x - r, y: node.y - r, width: 2 * r, height: 2 * r,
        "data-map": node.id }, g);
      const canvas = /** @type {HTMLCanvasElement} */ (document.createElementNS(XHTML, "canvas"));
      canvas.width = canvas.height = n;
      canvas.setAttribute("class", "node-map");
      fo.append(canvas);
      // a new canvas's first context: a 2-D one is always given
      const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
      return { node, fo, ctx, image: ctx.createImageData(n, n) }; // painted in place each redraw
    });
    built = { layout, n, layers: plane.layers, inputs: planeInputs(n, plane), key: planeKey(plane, n) };
    drawn = null;
    g.dataset.draws = "0";
  }

  /**
   * Paint every neuron's map for state `s`, unless its weights are drawn already.
   * @param {State} s
   */
  function paint(s) {
    if (!built || !group) return;
    const [weights, iteration] = weightsFor(s, built.layers);
    const network = specOf(s)?.network;
    if (!weights || weights === drawn || !network) return;
    drawn = weights;
    // computed off the main thread (planeCompute.js); drawn when the values are back
    compute.submit({ weights, network, inputs: built.inputs, tag: { built, network, iteration } });
  }

  /**
   * Put each neuron's values over the plane into its canvas, unless laid out again since.
   * @param {Float64Array[][]} values  [layer][neuron] (n²)
   * @param {Request} request
   */
  function drawValues(values, { built: asked, network, iteration }) {
    if (asked !== built || !group) return;
    const start = performance.now();
    for (const c of cells) {
      const v = values[c.node.layer]?.[c.node.index];
      if (!v) continue;
      mapPixels(v, c.node.layer, values.length, network, c.image.data);
      c.ctx.putImageData(c.image, 0, 0);
    }
    group.dataset.draws = String(Number(group.dataset.draws) + 1);
    group.dataset.iteration = String(iteration);
    group.dataset.computed = compute.where();
    performance.measure?.("node-maps", { start }); // bench: how long a redraw holds the page
  }

  /**
   * A wide network's frames carry its first neurons: fetch every weight, at most once a
   * second; a request in that second is made when it ends, for the newest state then.
   * @param {JobView} job  the job shown
   * @param {Matrix[] | null} source  the weights it shows, its first neurons'
   * @param {number} iteration  theirs
   */
  function fetchComplete(job, source, iteration) {
    if (full && full.id === job.id && full.source === source) return;
    const wait = fetching ? FETCH_MS : lastFetch + FETCH_MS - performance.now();
    if (wait > 0) return later(wait);
    fetching = true;
    lastFetch = performance.now();
    const id = job.id;
    Promise.resolve(actions.completeWeights?.(id))
      .then((body) => {
        if (!body) return;
        // rows of Float64Arrays, which forward() reads by index as it reads a Matrix's rows
        const weights = /** @type {Matrix[]} */ (/** @type {unknown} */ (weightsOf(decodeArrays(body))));
        full = { id, source, weights, iteration };
        if (latest) requestAnimationFrame(() => latest && paint(latest)); // the fetched weights are news
      })
      .catch(() => {}) // the next update tries again; the maps keep their last picture
      .finally(() => { fetching = false; });
  }

  /** Fetch for the newest state in `ms` (once), if it still needs complete weights. @param {number} ms */
  function later(ms) {
    if (retry) return;
    retry = setTimeout(() => {
      retry = null;
      const s = latest;
      if (s?.job && built && !isComplete(s.weights, built.layers)) fetchComplete(s.job, s.weights, iterationOf(s));
    }, ms);
  }

  /**
   * Complete W^1 … W^L of the network of `layers` to draw and their iteration, or null while
   * there are none: the state's own, or a wide network's last fetched.
   * @param {State} s
   * @param {number[]} layers
   * @returns {[Matrix[] | null, number]}
   */
  function weightsFor(s, layers) {
    if (isComplete(s.weights, layers)) return [mapWeights(s), iterationOf(s)];
    const fetched = full && full.id === s.job?.id ? full : null;
    return fetched && isComplete(fetched.weights, layers) ? [fetched.weights, fetched.iteration] : [null, 0];
  }

  /** Pending neurons (the forward pulse has not reached them) dim their maps too. */
  function mirrorStates() {
    for (const c of cells) {
      const state = root.querySelector(`[data-neuron="${c.node.id}"]`)?.getAttribute("data-state") ?? "";
      setAttr(c.fo, "data-state", state);
    }
  }

  return {
    /**
     * Draw for state `s` on the diagram's current `layout`.
     * @param {State} s
     * @param {Layout | null} layout
     */
    update(s, layout) {
      latest = s;
      const plane = layout ? planeFor(s) : null;
      const n = plane ? mapGridSize(plane.layers) : 0;
      const on = Boolean(plane && n && s.nodeMaps !== false);
      toggle.hidden = !plane || !n;
      setAttr(toggle, "aria-pressed", String(on));
      setAttr(root, "data-maps", !plane ? "none" : !n ? "too-large" : on ? "on" : "off");
      root.classList.toggle("has-maps", on);
      if (!on || !plane || !layout) {
        group?.remove();
        built = null;
        return;
      }
      if (!built || built.layout !== layout || built.key !== planeKey(plane, n) || !root.contains(group)) {
        build(layout, plane, n);
      }
      if (s.job && !isComplete(s.weights, plane.layers)) fetchComplete(s.job, s.weights, iterationOf(s));
      else full = null;
      mirrorStates();
    },
    /** @param {State} s */
    paint: (s) => (built ? paint(s) : undefined),
  };
}

/**
 * What the canvases depend on: the grid, the plane's box and columns, the layer sizes.
 * @param {SizedPlane} plane
 * @param {number} n
 * @returns {string}
 */
function planeKey(plane, n) {
  return `${n}|${plane.box.x}|${plane.box.y}|${plane.features.join(",")}|${plane.layers.join("-")}`;
}
