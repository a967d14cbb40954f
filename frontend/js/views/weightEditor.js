// @ts-check
// Click a weight line of the diagram (or press Enter on a focused one), or double-click a
// neuron (or press B on it) for its bias, and type a new value: an inline editor over the
// diagram. Enter sends it (actions.editWeight → PATCH /weights); a refusal shows the server's
// message and keeps the editor open; Esc closes it. Offered only while editBlock says so.

import { editBlock, parseWeight, weightName, weightTarget, weightValue } from "../weightEdit.js";
import { nearestEdge } from "./networkKeys.js";
import { html, setAttr, setText } from "./svg.js";

/** @import { Layout, State } from "../types.js" */
/** @typedef {import("../weightEdit.js").WeightTarget} WeightTarget */
/**
 * What the editor asks for: set one element of W to `value`; the answer says whether it was
 * set, else why not.
 * @typedef {{editWeight?: (target: WeightTarget, value: number) =>
 *   Promise<{ok: boolean, message?: string}>}} WeightEditorActions
 */
/**
 * The element being edited: its diagram id, which element of W it is, and where the focus
 * returns when the editor closes.
 * @typedef {{id: string, target: WeightTarget, returnTo: HTMLElement | SVGElement | null}} OpenEdit
 */

const EDGE_PICK = 7; // user units, as networkKeys.js picks an edge to hover

/**
 * The element of the diagram an event is on, when it is an HTML or SVG element.
 * @param {EventTarget | null} target
 * @returns {HTMLElement | SVGElement | null}
 */
const elementOf = (target) =>
  target instanceof HTMLElement || target instanceof SVGElement ? target : null;

/**
 * @param {SVGSVGElement} root  the diagram
 * @param {HTMLElement} wrap  the diagram's box, which the editor is placed in
 * @param {WeightEditorActions} actions
 */
export function WeightEditor(root, wrap, actions) {
  const form = html("form", { class: "weight-editor", "data-editor": "weight", hidden: "",
    "aria-label": "Edit a weight" }, wrap);
  const label = html("label", { class: "we-label", for: "weight-input" }, form);
  const input = html("input", { id: "weight-input", type: "text", inputmode: "decimal", autocomplete: "off",
    spellcheck: "false", "data-input": "weight", "aria-describedby": "weight-hint weight-error" }, form);
  const set = html("button", { type: "submit", class: "we-set" }, form, "Set");
  const cancel = html("button", { type: "button", class: "we-cancel", "aria-label": "Cancel" }, form, "×");
  html("p", { id: "weight-hint", class: "we-hint" }, form,
    "Enter sets it as the job's weight from this iteration on; Esc cancels.");
  const error = html("p", { id: "weight-error", class: "we-error", role: "alert", "data-editor-error": "" }, form);
  /** @type {State | null} */
  let state = null;
  /** @type {Layout | null} */
  let layout = null;
  /** @type {OpenEdit | null} */
  let open = null;
  let pending = false; // a change is being sent: the job is busy meanwhile, not closed

  const block = () => (state ? editBlock(state) : "no state");

  /**
   * Open the editor for diagram id `id` near client point (x, y); false if it cannot be edited.
   * @param {string} id
   * @param {number} x
   * @param {number} y
   * @param {HTMLElement | SVGElement | null} [returnTo]
   * @returns {boolean}
   */
  function show(id, x, y, returnTo = null) {
    const target = weightTarget(id);
    if (!target || !state || block()) return false;
    open = { id, target, returnTo };
    setText(label, `${weightName(target)} =`);
    const now = weightValue(state.weights, target);
    input.value = now === null ? "" : String(now);
    setText(error, "");
    form.dataset.target = id;
    form.hidden = false;
    const box = wrap.getBoundingClientRect();
    const left = Math.min(Math.max(4, x - box.left - 20), Math.max(4, box.width - form.offsetWidth - 4));
    form.style.left = `${left}px`;
    form.style.top = `${Math.max(4, y - box.top + 12)}px`;
    input.focus();
    input.select();
    return true;
  }

  /** @param {boolean} [refocus]  focus the element the editor was opened from */
  function close(refocus = true) {
    if (!open) return;
    const back = open.returnTo;
    open = null;
    form.hidden = true;
    form.removeAttribute("data-target");
    if (refocus && back?.isConnected) back.focus();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (!open) return;
    const value = parseWeight(input.value);
    if (value === null) {
      setText(error, "Type one number, e.g. 0.5, −1.2 or 3e−2.");
      return;
    }
    const mine = open;
    set.disabled = true;
    pending = true;
    const answer = await actions.editWeight?.(mine.target, value);
    pending = false;
    set.disabled = false;
    if (open !== mine) return;
    if (answer?.ok) close();
    else setText(error, answer?.message ?? "The weight was not changed.");
  });
  cancel.addEventListener("click", () => close());
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.stopPropagation(); // the editor's own: not the tour's or the diagram's
      close();
    }
  });

  /** @param {number} x @param {number} y  a client point, in the diagram's user units */
  const toUser = (x, y) => {
    const m = root.getScreenCTM?.();
    return m ? new DOMPoint(x, y).matrixTransform(m.inverse()) : null;
  };
  /** @param {MouseEvent} event */
  const edgeAt = (event) => {
    const p = layout ? toUser(event.clientX, event.clientY) : null;
    return layout && p ? nearestEdge(layout.edges, p.x, p.y, EDGE_PICK) : null;
  };
  root.addEventListener("click", (event) => {
    if (elementOf(event.target)?.closest("[data-neuron]")) return; // a neuron click picks it for the equations
    const edge = edgeAt(event);
    if (edge) show(edge.id, event.clientX, event.clientY);
    else close(false);
  });
  root.addEventListener("dblclick", (event) => {
    const neuron = elementOf(elementOf(event.target)?.closest("[data-neuron]") ?? null);
    if (neuron?.dataset.neuron) show(neuron.dataset.neuron, event.clientX, event.clientY, neuron);
  });
  root.addEventListener("pointermove", (event) => {
    root.classList.toggle("edge-editable", !block() && Boolean(edgeAt(event)));
  });
  root.addEventListener("keydown", (event) => {
    const t = elementOf(event.target);
    if (!t) return;
    let id = null;
    if (event.key === "Enter" && t.dataset.edge) id = t.dataset.edge;
    else if ((event.key === "b" || event.key === "B") && t.dataset.neuron) id = t.dataset.neuron;
    if (!id) return;
    const r = t.getBoundingClientRect();
    if (show(id, r.left + r.width / 2, r.top + r.height / 2, t)) event.preventDefault();
  });

  return {
    /**
     * Follow the state: the editor closes when editing stops being possible.
     * @param {State} s
     * @param {Layout | null} lay
     */
    update(s, lay) {
      state = s;
      layout = lay;
      const why = block();
      setAttr(root, "data-editable", why ? "false" : "true");
      if (open && why && !pending) close(false);
    },
    /** Why editing is not possible now ("" when it is), for the diagram's read-outs. */
    blocked: block,
  };
}
