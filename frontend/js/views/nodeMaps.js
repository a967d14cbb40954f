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
import { isComplete, mapGridSize, mapPixels, mapWeights, planeInputs, planeOf, planeValues }
  from "../planeMaps.js";
import { html, setAttr, svg } from "./svg.js";

const XHTML = "http://www.w3.org/1999/xhtml";
const FETCH_MS = 1000;

const specOf = (s) => s.job?.spec ?? s.spec;

/** The plane of the state's network and data, with its layer sizes; null if not 2-D. */
function planeFor(s) {
  const spec = specOf(s);
  const layers = spec?.network?.layers;
  const info = s.options?.datasets?.find((d) => d.name === spec?.dataset?.name);
  const points = { features: spec?.dataset?.features ?? [], inputs: s.dataset?.inputs,
    test_inputs: s.dataset?.test_inputs };
  const plane = planeOf(layers, points, info);
  return plane && { ...plane, layers };
}

export function NodeMaps(root, wrap, actions) {
  const toggle = html("button", { type: "button", class: "maps-toggle", "data-action": "node-maps",
    "aria-pressed": "true", title: "Each neuron's output over the input plane (x1 across, x2 up)" }, wrap,
  "Neuron maps");
  toggle.addEventListener("click", () =>
    actions.setNodeMaps?.(toggle.getAttribute("aria-pressed") !== "true"));
  let group = null;
  let built = null; // the layout and grid the canvases were made for
  let cells = [];
  let latest = null;
  let drawn = null;
  let full = null; // {id, source, weights}: a wide network's complete weights
  let fetching = false;
  let lastFetch = -Infinity;

  function build(layout, plane, n) {
    group?.remove();
    group = svg("g", { class: "node-maps", "aria-hidden": "true" });
    // below the neurons: their rings, numbers, focus and pointer events stay on top
    root.insertBefore(group, root.querySelector("g.neurons"));
    const r = layout.radius;
    cells = layout.neurons.map((node) => {
      const fo = svg("foreignObject", { x: node.x - r, y: node.y - r, width: 2 * r, height: 2 * r,
        "data-map": node.id }, group);
      const canvas = document.createElementNS(XHTML, "canvas");
      canvas.width = canvas.height = n;
      canvas.setAttribute("class", "node-map");
      fo.append(canvas);
      const ctx = canvas.getContext("2d");
      return { node, fo, ctx, image: ctx.createImageData(n, n) }; // painted in place each redraw
    });
    built = { layout, n, layers: plane.layers, inputs: planeInputs(n, plane), key: planeKey(plane, n) };
    drawn = null;
    group.dataset.draws = "0";
  }

  /** Paint every neuron's map for state `s`, unless its weights are drawn already. */
  function paint(s) {
    const weights = built && weightsFor(s, built.layers);
    if (!weights || weights === drawn) return;
    const start = performance.now();
    drawn = weights;
    const network = specOf(s).network;
    const values = planeValues(weights, network, built.inputs);
    for (const c of cells) {
      const v = values[c.node.layer]?.[c.node.index];
      if (!v) continue;
      mapPixels(v, c.node.layer, values.length, network, c.image.data);
      c.ctx.putImageData(c.image, 0, 0);
    }
    group.dataset.draws = String(Number(group.dataset.draws) + 1);
    group.dataset.iteration = String(s.frame?.iteration ?? s.counters?.iteration ?? 0);
    performance.measure?.("node-maps", { start }); // bench: how long a redraw holds the page
  }

  /** A wide network's frames carry its first neurons: fetch every weight, now and then. */
  function fetchComplete(s) {
    if (fetching || performance.now() - lastFetch < FETCH_MS) return;
    if (full && full.id === s.job.id && full.source === s.weights) return;
    fetching = true;
    lastFetch = performance.now();
    const id = s.job.id;
    const source = s.weights;
    Promise.resolve(actions.completeWeights?.(id))
      .then((body) => {
        if (!body) return;
        full = { id, source, weights: weightsOf(decodeArrays(body)) };
        if (latest) requestAnimationFrame(() => paint(latest)); // the fetched weights are news
      })
      .catch(() => {}) // the next update tries again; the maps keep their last picture
      .finally(() => { fetching = false; });
  }

  /** Complete W^1 … W^L of the network of `layers` to draw, or null while there are none. */
  function weightsFor(s, layers) {
    if (isComplete(s.weights, layers)) return mapWeights(s);
    const fetched = full && full.id === s.job?.id ? full.weights : null;
    return isComplete(fetched, layers) ? fetched : null;
  }

  /** Pending neurons (the forward pulse has not reached them) dim their maps too. */
  function mirrorStates() {
    for (const c of cells) {
      const state = root.querySelector(`[data-neuron="${c.node.id}"]`)?.getAttribute("data-state") ?? "";
      setAttr(c.fo, "data-state", state);
    }
  }

  return {
    /** Draw for state `s` on the diagram's current `layout`. */
    update(s, layout) {
      latest = s;
      const plane = layout ? planeFor(s) : null;
      const n = plane ? mapGridSize(plane.layers) : 0;
      const on = Boolean(plane && n && s.nodeMaps !== false);
      toggle.hidden = !plane || !n;
      setAttr(toggle, "aria-pressed", String(on));
      setAttr(root, "data-maps", !plane ? "none" : !n ? "too-large" : on ? "on" : "off");
      root.classList.toggle("has-maps", on);
      if (!on) {
        group?.remove();
        built = null;
        return;
      }
      if (!built || built.layout !== layout || built.key !== planeKey(plane, n) || !root.contains(group)) {
        build(layout, plane, n);
      }
      if (s.job && !isComplete(s.weights, plane.layers)) fetchComplete(s);
      else full = null;
      mirrorStates();
    },
    paint: (s) => (built ? paint(s) : undefined),
  };
}

function planeKey(plane, n) {
  return `${n}|${plane.box.x}|${plane.box.y}|${plane.features.join(",")}|${plane.layers.join("-")}`;
}
