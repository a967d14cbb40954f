// @ts-check
// An element's width in CSS pixels, kept current by a ResizeObserver: a view that redraws a
// canvas many times a second reads it without forcing the browser to lay the page out again
// in the middle of a frame (reading clientWidth after other views changed the DOM does).

/**
 * A getter of `el`'s content width (CSS px), or `fallback` while it has none (not laid out,
 * hidden); read once now and again whenever the element is resized.
 * @param {Element} el
 * @param {number} fallback
 * @returns {() => number}
 */
export function watchedWidth(el, fallback) {
  let width = el.clientWidth;
  new ResizeObserver((entries) => {
    for (const entry of entries) width = entry.contentRect.width;
  }).observe(el);
  return () => width || fallback;
}
