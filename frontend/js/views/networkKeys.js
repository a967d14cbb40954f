// Pointer and keyboard access to the diagram: hover or focus shows a neuron's or a weight's
// numbers; arrow keys walk neurons (up/down) and their weights (left/right).

const EDGE_PICK = 7; // user units: how near a weight line the pointer must be

export function bindDiagramKeys(root, { layout, hover, leave, select, hoverAt }) {
  const q = (sel) => root.querySelector(sel);

  root.addEventListener("pointermove", (event) => {
    const lay = layout();
    if (!lay) return;
    const neuron = event.target.closest?.("[data-neuron]");
    if (neuron) return hoverAt({ kind: "neuron", id: neuron.dataset.neuron }, event.clientX, event.clientY);
    const p = toUser(root, event.clientX, event.clientY);
    const edge = p && nearestEdge(lay.edges, p.x, p.y, EDGE_PICK);
    if (edge) hoverAt({ kind: "edge", id: edge.id }, event.clientX, event.clientY);
    else leave();
  });
  root.addEventListener("pointerleave", leave);
  root.addEventListener("click", (event) => {
    const neuron = event.target.closest?.("[data-neuron]");
    if (neuron) {
      const [l, i] = neuron.dataset.neuron.split("-").map(Number);
      select(l, i);
    }
  });
  root.addEventListener("focusin", (event) => {
    const t = event.target;
    if (t.dataset?.neuron) hover({ kind: "neuron", id: t.dataset.neuron }, t);
    else if (t.dataset?.edge) hover({ kind: "edge", id: t.dataset.edge }, t);
  });
  root.addEventListener("focusout", (event) => {
    if (!root.contains(event.relatedTarget)) leave();
  });
  root.addEventListener("keydown", (event) => {
    const lay = layout();
    const t = event.target;
    if (!lay || !(t.dataset?.neuron || t.dataset?.edge)) return;
    if ((event.key === "Enter" || event.key === " ") && t.dataset.neuron) {
      const [l, i] = t.dataset.neuron.split("-").map(Number);
      select(l, i);
      event.preventDefault();
      return;
    }
    const next = t.dataset.neuron ? fromNeuron(lay, t.dataset.neuron, event.key) : fromEdge(lay, t.dataset.edge, event.key);
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

/** Selector of what an arrow key moves to from neuron "L-i". */
export function fromNeuron(lay, id, key) {
  const [l, i] = id.split("-").map(Number);
  const sizes = lay.byLayer.map((r) => r.length);
  if (key === "ArrowUp" && i > 0) return `[data-neuron="${l}-${i - 1}"]`;
  if (key === "ArrowDown" && i < sizes[l] - 1) return `[data-neuron="${l}-${i + 1}"]`;
  if (key === "ArrowLeft" && l > 0) return `[data-edge="${l}-${i}-0"]`;
  if (key === "ArrowRight" && l < sizes.length - 1) return `[data-edge="${l + 1}-0-${i}"]`;
  return null;
}

/** Selector of what an arrow key moves to from edge "L-j-i": along the line or across lines. */
export function fromEdge(lay, id, key) {
  const [l, j, i] = id.split("-").map(Number);
  const sizes = lay.byLayer.map((r) => r.length);
  if (key === "ArrowLeft") return `[data-neuron="${l - 1}-${i}"]`;
  if (key === "ArrowRight") return `[data-neuron="${l}-${j}"]`;
  if (key === "ArrowUp" && i > 0) return `[data-edge="${l}-${j}-${i - 1}"]`;
  if (key === "ArrowDown" && i < sizes[l - 1] - 1) return `[data-edge="${l}-${j}-${i + 1}"]`;
  return null;
}

function toUser(root, x, y) {
  const m = root.getScreenCTM?.();
  if (!m) return null;
  const p = new DOMPoint(x, y).matrixTransform(m.inverse());
  return { x: p.x, y: p.y };
}

/** The edge whose segment is nearest (x, y), within `limit`; null if none. */
export function nearestEdge(edges, x, y, limit) {
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
