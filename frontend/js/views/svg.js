// Small helpers to build SVG and HTML elements and to set attributes only when they change.

const SVG_NS = "http://www.w3.org/2000/svg";

export function svg(tag, attrs = {}, parent = null) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  if (parent) parent.appendChild(el);
  return el;
}

export function html(tag, attrs = {}, parent = null, text = null) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") el.className = v;
    else el.setAttribute(k, v);
  }
  if (text !== null) el.textContent = text;
  if (parent) parent.appendChild(el);
  return el;
}

/** Set an attribute unless it already has this value (remembered on the element). */
export function setAttr(el, name, value) {
  const cache = el.__attrs ?? (el.__attrs = {});
  if (cache[name] === value) return;
  cache[name] = value;
  if (value === null || value === "") el.removeAttribute(name);
  else el.setAttribute(name, value);
}

/** Set an element's text, changing its text node's data in place (no node is replaced). */
export function setText(el, text) {
  if (el.__text === text) return;
  el.__text = text;
  const node = el.firstChild;
  if (node && node.nodeType === 3 && !node.nextSibling) node.data = text;
  else el.textContent = text;
}
