// @ts-check
// Pointer and keyboard access to the diagram: hover or focus shows a neuron's or a weight's
// numbers; arrow keys walk neurons (up/down) and their weights (left/right).

/** @import { Layout, LayoutEdge } from "../types.js" */
/** @typedef {{kind: "neuron" | "edge", id: string}} DiagramTarget  a neuron "L-i" or a weight line "L-j-i" */
/**
 * What the diagram does with the pointer and the keys: its current layout, show a target's
 * read-out beside an element or at a client point, hide it, select neuron (layer, index).
 * @typedef {{layout: () => Layout | null, hover: (target: DiagramTarget, el: Element) => void,
 *   leave: () => void, select: (layer: number, index: number) => unknown,
 *   hoverAt: (target: DiagramTarget, x: number, y: number) => void}} DiagramHandlers
 */

const EDGE_PICK = 7; // user units: how near a weight line the pointer must be

/**
 * The element an event is on, when it is an element.
 * @param {EventTarget | null} target
 * @returns {Element | null}
 */
const elementOf = (target) => (target instanceof Element ? target : null);

/**
 * The id of the neuron an event is on (its circle, number or ring), or null.
 * @param {EventTarget | null} target
 * @returns {string | null}
 */
const neuronAround = (target) => elementOf(target)?.closest("[data-neuron]")?.getAttribute("data-neuron") ?? null;

/**
 * @param {SVGSVGElement} root  the diagram
 * @param {DiagramHandlers} handlers
 */
export function bindDiagramKeys(root, { layout, hover, leave, select, hoverAt }) {
  /** @param {string} sel */
  const q = (sel) => /** @type {SVGElement | null} */ (root.querySelector(sel));

  root.addEventListener("pointermove", (event) => {
    const lay = layout();
    if (!lay) return;
    const neuron = neuronAround(event.target);
    if (neuron) return hoverAt({ kind: "neuron", id: neuron }, event.clientX, event.clientY);
    const p = toUser(root, event.clientX, event.clientY);
    const edge = p && nearestEdge(lay.edges, p.x, p.y, EDGE_PICK);
    if (edge) hoverAt({ kind: "edge", id: edge.id }, event.clientX, event.clientY);
    else leave();
  });
  root.addEventListener("pointerleave", leave);
  root.addEventListener("click", (event) => {
    const neuron = neuronAround(event.target);
    if (neuron) {
      const [l, i] = neuron.split("-").map(Number);
      select(l, i);
    }
  });
  root.addEventListener("focusin", (event) => {
    const t = elementOf(event.target);
    const neuron = t?.getAttribute("data-neuron");
    const edge = t?.getAttribute("data-edge");
    if (t && neuron) hover({ kind: "neuron", id: neuron }, t);
    else if (t && edge) hover({ kind: "edge", id: edge }, t);
  });
  root.addEventListener("focusout", (event) => {
    if (!root.contains(event.relatedTarget instanceof Node ? event.relatedTarget : null)) leave();
  });
  root.addEventListener("keydown", (event) => {
    const lay = layout();
    const t = elementOf(event.target);
    const neuron = t?.getAttribute("data-neuron");
    const edge = t?.getAttribute("data-edge");
    if (!lay || !(neuron || edge)) return;
    if ((event.key === "Enter" || event.key === " ") && neuron) {
      const [l, i] = neuron.split("-").map(Number);
      select(l, i);
      event.preventDefault();
      return;
    }
    const next = neuron ? fromNeuron(lay, neuron, event.key) : edge ? fromEdge(lay, edge, event.key) : null;
    if (next) {
      const el = q(next);
      if (el) {
        el.focus();
        event.preventDefault();
      }
    } else if (event.key === "Escape") {
      leave();
    }
  });
}

/**
 * Selector of what an arrow key moves to from neuron "L-i".
 * @param {Pick<Layout, "byLayer">} lay
 * @param {string} id
 * @param {string} key  the event's key
 * @returns {string | null}
 */
export function fromNeuron(lay, id, key) {
  const [l, i] = id.split("-").map(Number);
  const sizes = lay.byLayer.map((r) => r.length);
  if (key === "ArrowUp" && i > 0) return `[data-neuron="${l}-${i - 1}"]`;
  if (key === "ArrowDown" && i < sizes[l] - 1) return `[data-neuron="${l}-${i + 1}"]`;
  if (key === "ArrowLeft" && l > 0) return `[data-edge="${l}-${i}-0"]`;
  if (key === "ArrowRight" && l < sizes.length - 1) return `[data-edge="${l + 1}-0-${i}"]`;
  return null;
}

/**
 * Selector of what an arrow key moves to from edge "L-j-i": along the line or across lines.
 * @param {Pick<Layout, "byLayer">} lay
 * @param {string} id
 * @param {string} key  the event's key
 * @returns {string | null}
 */
export function fromEdge(lay, id, key) {
  const [l, j, i] = id.split("-").map(Number);
  const sizes = lay.byLayer.map((r) => r.length);
  if (key === "ArrowLeft") return `[data-neuron="${l - 1}-${i}"]`;
  if (key === "ArrowRight") return `[data-neuron="${l}-${j}"]`;
  if (key === "ArrowUp" && i > 0) return `[data-edge="${l}-${j}-${i - 1}"]`;
  if (key === "ArrowDown" && i < sizes[l - 1] - 1) return `[data-edge="${l}-${j}-${i + 1}"]`;
  return null;
}

/**
 * Client point (x, y) in the diagram's user units, or null when it has no screen matrix.
 * @param {SVGSVGElement} root
 * @param {number} x
 * @param {number} y
 * @returns {{x: number, y: number} | null}
 */
function toUser(root, x, y) {
  const m = root.getScreenCTM?.();
  if (!m) return null;
  const p = new DOMPoint(x, y).matrixTransform(m.inverse());
  return { x: p.x, y: p.y };
}

/**
 * The edge whose segment is nearest (x, y), within `limit`; null if none.
 * @param {LayoutEdge[]} edges
 * @param {number} x
 * @param {number} y
 * @param {number} limit
 * @returns {LayoutEdge | null}
 */
export function nearestEdge(edges, x, y, limit) {
  /** @type {LayoutEdge | null} */
  let best = null;
  let bestD = limit * limit;
  for (const e of edges) {
    const dx = e.x2 - e.x1;
    const dy = e.y2 - e.y1;
    const len = dx * dx + dy * dy || 1;
    const t = Math.max(0.08, Math.min(0.92, ((x - e.x1) * dx + (y - e.y1) * dy) / len));
    const px = e.x1 + t * dx - x;
    const py = e.y1 + t * dy - y;
    const d = px * px + py * py;
    if (d < bestD) {
      bestD = d;
      best = e;
    }
  }
  return best;
}
