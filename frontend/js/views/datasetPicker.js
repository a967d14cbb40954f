// @ts-check
// The built-in data sets as thumbnails, as TensorFlow Playground shows them: each drawn small
// from its own rows (GET /api/datasets/{name}, once), a click (or the arrow keys: it is a radio
// group) picks it for the next job through `pick(name)`. Beside the form's select, not instead.

import { thumbCells, thumbDots } from "../thumbnail.js";
import { html, setAttr } from "./svg.js";

/** @import { DatasetOption, DatasetSpec, Options, View } from "../types.js" */
/** @import { ThumbData } from "../thumbnail.js" */
/**
 * What the picker reads: the options and the spec's data set (the compare page gives a spec of
 * its data set's name alone).
 * @typedef {{options: Options | null, spec: {dataset: DatasetSpec | {name: string}} | null}} PickerState
 */
/**
 * What the picker asks for: a registry set's rows (GET /api/datasets/{name}?{query}).
 * @typedef {{datasetRows?: (name: string, query: string) => Promise<unknown>}} PickerActions
 */
/** @typedef {{name: string, button: HTMLButtonElement}} Item */

const SIZE = 64; // CSS pixels of a thumbnail

/**
 * The built-in sets' thumbnails in `parent`; a click picks one through `pick(name)`.
 * @param {HTMLElement} parent
 * @param {PickerActions} actions
 * @param {(name: string) => unknown} pick
 * @returns {View<PickerState>}
 */
export function DatasetPicker(parent, actions, pick) {
  const group = html("div", { class: "picker", role: "radiogroup", "aria-label": "Data set",
    "data-picker": "dataset" }, parent);
  /** @type {Item[]} */
  let items = [];
  /** @type {Options | null} */
  let built = null;

  /** @param {Options} options */
  function build(options) {
    group.replaceChildren();
    items = options.datasets.map((d) => {
      const b = html("button", { type: "button", class: "picker-item", role: "radio", "aria-checked": "false",
        "data-dataset": d.name, title: d.description ?? d.name, tabindex: "-1" }, group);
      const canvas = html("canvas", { width: String(SIZE * 2), height: String(SIZE * 2), "aria-hidden": "true" }, b);
      html("span", {}, b, label(d.name));
      b.addEventListener("click", () => pick(d.name));
      load(d, canvas);
      return { name: d.name, button: b };
    });
  }

  /** Draw set `info` from its rows once they come. @param {DatasetOption} info @param {HTMLCanvasElement} canvas */
  async function load(info, canvas) {
    try {
      const rows = await actions.datasetRows?.(info.name, info.fixed_rows === null ? "samples=160" : "");
      if (rows) draw(canvas, info, /** @type {ThumbData} */ (rows));
    } catch {
      canvas.dataset.drawn = "failed"; // the name below still picks it
    }
  }

  group.addEventListener("keydown", (event) => {
    /** @type {Record<string, number>} */
    const keys = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    const step = keys[event.key];
    const at = items.findIndex((it) => it.button === event.target);
    if (!step || at < 0) return;
    event.preventDefault();
    const next = items[(at + step + items.length) % items.length];
    next.button.focus();
    pick(next.name);
  });

  return {
    update(s) {
      if (!s.options) return;
      if (built !== s.options) {
        build(s.options);
        built = s.options;
      }
      const current = s.spec?.dataset?.name ?? null;
      const focusable = items.some((it) => it.name === current) ? current : items[0]?.name;
      for (const it of items) {
        setAttr(it.button, "aria-checked", String(it.name === current));
        setAttr(it.button, "tabindex", it.name === focusable ? "0" : "-1");
      }
    },
  };
}

/** A set's name as its thumbnail says it. @param {string} name @returns {string} */
function label(name) {
  return /** @type {Record<string, string>} */ ({ figure2: "Figure 2", multi_gauss: "multi gauss" })[name] ?? name;
}

/**
 * Set `info` drawn on `canvas` from its rows `ds`: a 2-D set as points, another as a table.
 * @param {HTMLCanvasElement} canvas
 * @param {DatasetOption} info
 * @param {ThumbData} ds
 */
function draw(canvas, info, ds) {
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d")); // a fresh canvas has one
  const px = canvas.width;
  ctx.clearRect(0, 0, px, px);
  if (info.two_d) {
    for (const p of thumbDots(ds, px)) {
      ctx.beginPath();
      ctx.arc(p.x, p.y, px / 40, 0, 2 * Math.PI);
      ctx.fillStyle = p.fill;
      ctx.fill();
    }
  } else {
    const t = thumbCells(ds);
    const gap = px / 32;
    const w = (px - gap * (t.columns + 2)) / t.columns;
    const h = Math.min(w, (px - gap * (t.rows + 1)) / t.rows);
    const top = (px - (h + gap) * t.rows + gap) / 2;
    for (const c of t.cells) {
      const x = gap + c.column * (w + gap) + (c.column >= t.split ? gap : 0); // a gap before the targets
      ctx.fillStyle = c.fill;
      ctx.fillRect(x, top + c.row * (h + gap), w, h);
    }
  }
  canvas.dataset.drawn = "true";
}
