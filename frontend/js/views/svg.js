// @ts-check
// Small helpers to build SVG and HTML elements and to set attributes only when they change.

const SVG_NS = "http://www.w3.org/2000/svg";

/** @typedef {Record<string, string | number>} Attrs  attribute name → value (numbers as text) */
/** @typedef {{__attrs?: Record<string, string | null>, __text?: string}} Remembered  what setAttr and setText keep on an element */

/**
 * A new SVG element `tag` with `attrs`, appended to `parent` when given.
 * @template {keyof SVGElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {Element | null} [parent]
 * @returns {SVGElementTagNameMap[K]}
 */
export function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (parent) parent.appendChild(el);
  return el;
}

/**
 * A new HTML element `tag` with `attrs` (`class` sets className) and text, appended to
 * `parent` when given.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Attrs} [attrs]
 * @param {Element | null} [parent]
 * @param {string | null} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function html(tag, attrs = {}, parent = null, text = null) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = String(v);
    else el.setAttribute(k, String(v));
  }
  if (text !== null) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

/**
 * Set an attribute unless it already has this value (remembered on the element); null or ""
 * removes it.
 * @param {Element & Remembered} el
 * @param {string} name
 * @param {string | null} value
 */
export function setAttr(el, name, value) {
  const cache = el.__attrs ?? (el.__attrs = {});
  if (cache[name] === value) return;
  cache[name] = value;
  if (value === null || value === "") el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/**
 * Set an element's text, changing its text node's data in place (no node is replaced).
 * @param {Element & Remembered} el
 * @param {string} text
 */
export function setText(el, text) {
  if (el.__text === text) return;
  el.__text = text;
  const node = el.firstChild;
  if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) /** @type {Text} */ (node).data = text;
  else el.textContent = text;
}
