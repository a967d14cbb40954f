// Click a weight line of the diagram (or press Enter on a focused one), or double-click a
// neuron (or press B on it) for its bias, and type a new value: an inline editor over the
// diagram. Enter sends it (actions.editWeight → PATCH /weights); a refusal shows the server's
// message and keeps the editor open; Esc closes it. Offered only while editBlock says so.

import { editBlock, parseWeight, weightName, weightTarget, weightValue } from "../weightEdit.js";
import { nearestEdge } from "./networkKeys.js";
import { html, setAttr, setText } from "./svg.js";

const EDGE_PICK = 7; // user units, as networkKeys.js picks an edge to hover

export function WeightEditor(root, wrap, actions) {
  const form = html("form", { class: "weight-editor", "data-editor": "weight", hidden: "",
    "aria-label": "Edit a weight" }, wrap);
  const label = html("label", { class: "we-label", for: "weight-input" }, form);
  const input = html("input", { id: "weight-input", type: "text", inputmode: "decimal", autocomplete: "off",
    spellcheck: "false", "data-input": "weight", "aria-describedby": "weight-hint weight-error" }, form);
  const set = html("button", { type: "submit", class: "we-set" }, form, "Set");
  const cancel = html("button", { type: "button", class: "we-cancel", "aria-label": "Cancel" }, form, "×");
  const hint = html("p", { id: "weight-hint", class: "we-hint" }, form,
    "Enter sets it as the job's weight from this iteration on; Esc cancels.");
  const error = html("p", { id: "weight-error", class: "we-error", role: "alert", "data-editor-error": "" }, form);
  let state = null;
  let layout = null;
  let open = null; // {id, target, returnTo}
  let pending = false; // a change is being sent: the job is busy meanwhile, not closed

  const block = () => (state ? editBlock(state) : "no state");

  function show(id, x, y, returnTo = null) {
    const target = weightTarget(id);
    if (!target || block()) return false;
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

  const toUser = (x, y) => {
    const m = root.getScreenCTM?.();
    return m ? new DOMPoint(x, y).matrixTransform(m.inverse()) : null;
  };
  const edgeAt = (event) => {
    const p = layout && toUser(event.clientX, event.clientY);
    return p ? nearestEdge(layout.edges, p.x, p.y, EDGE_PICK) : null;
  };
  root.addEventListener("click", (event) => {
    if (event.target.closest?.("[data-neuron]")) return; // a neuron click picks it for the equations
    const edge = edgeAt(event);
    if (edge) show(edge.id, event.clientX, event.clientY);
    else close(false);
  });
  root.addEventListener("dblclick", (event) => {
    const neuron = event.target.closest?.("[data-neuron]");
    if (neuron) show(neuron.dataset.neuron, event.clientX, event.clientY, neuron);
  });
  root.addEventListener("pointermove", (event) => {
    root.classList.toggle("edge-editable", !block() && Boolean(edgeAt(event)));
  });
  root.addEventListener("keydown", (event) => {
    const t = event.target;
    let id = null;
    if (event.key === "Enter" && t.dataset?.edge) id = t.dataset.edge;
    else if ((event.key === "b" || event.key === "B") && t.dataset?.neuron) id = t.dataset.neuron;
    if (!id) return;
    const r = t.getBoundingClientRect();
    if (show(id, r.left + r.width / 2, r.top + r.height / 2, t)) event.preventDefault();
  });

  return {
    /** Follow the state: the editor closes when editing stops being possible. */
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
