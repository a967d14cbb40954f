// @ts-check
// Whether an element is within (or near) the viewport, kept by an IntersectionObserver: the
// renderer holds views that are out of sight while training runs flat out (render.js), so the
// equations' typesetting or a chart's redraw below the fold costs the frame nothing.

const MARGIN = "200px"; // a view just outside the viewport counts as seen: it is ready when scrolled to

/**
 * A getter: true while `el` is within MARGIN of the viewport (true until first measured).
 * @param {Element} el
 * @returns {() => boolean}
 */
export function onScreen(el) {
  let seen = true;
  new IntersectionObserver((entries) => {
    for (const entry of entries) seen = entry.isIntersecting;
  }, { rootMargin: MARGIN }).observe(el);
  return () => seen;
}
