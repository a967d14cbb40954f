// @ts-check
// Text widths in CSS pixels, measured once per text and font with a canvas: the diagram fits its
// numbers and labels to the room they have (format.js fitNumber) with them.

const canvas = typeof document === "undefined" ? null : document.createElement("canvas");
const context = canvas?.getContext("2d") ?? null;
/** @type {Map<string, number>} */
const cache = new Map();
const MOST = 4000; // texts remembered before the cache starts over

/**
 * A function text → width in px, in `font` (a CSS font shorthand such as "600 11px sans-serif").
 * @param {string} font
 * @returns {(text: string) => number}
 */
export function textMeter(font) {
  return (text) => {
    const key = `${font}|${text}`;
    let width = cache.get(key);
    if (width === undefined) {
      if (cache.size > MOST) cache.clear();
      if (context) context.font = font;
      width = context ? context.measureText(text).width : text.length * 0.62 * parseFloat(font.replace(/^\D*/, ""));
      cache.set(key, width);
    }
    return width;
  };
}

/**
 * The CSS font shorthand an element is drawn in, at `size` px when given.
 * @param {Element} el
 * @param {number | null} [size]
 * @returns {string}
 */
export function fontOf(el, size = null) {
  const style = getComputedStyle(el);
  const px = size ?? parseFloat(style.fontSize);
  return `${style.fontStyle} ${style.fontWeight} ${px}px ${style.fontFamily}`;
}

/**
 * The first of `texts` whose width is at most `room` px, else the last (shortest) one.
 * @param {string[]} texts
 * @param {(text: string) => number} meter
 * @param {number} room
 * @returns {string}
 */
export function firstFitting(texts, meter, room) {
  return texts.find((t) => meter(t) <= room) ?? texts[texts.length - 1];
}

/**
 * `text` cut with an ellipsis to at most `room` px.
 * @param {string} text
 * @param {(text: string) => number} meter
 * @param {number} room
 * @returns {string}
 */
export function ellipsize(text, meter, room) {
  if (meter(text) <= room) return text;
  let n = text.length - 1;
  while (n > 1 && meter(`${text.slice(0, n)}…`) > room) n--;
  return `${text.slice(0, n)}…`;
}
