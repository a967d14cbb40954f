// @ts-check
// Which panels are out of sight: one IntersectionObserver for the page. render.js lets a view
// whose panel is away wait while training runs at full speed, so the page spends its frames
// on what the reader sees; the view draws the newest state as soon as it scrolls back in.

/**
 * A function that watches an element and answers whether it is out of sight, for render.js's
 * `away`. Until the observer's first report an element counts as in sight; `margin` (CSS
 * lengths) widens the viewport so a panel is drawn a little before it scrolls in.
 * @param {string} [margin]
 * @returns {(el: Element) => () => boolean}
 */
export function createVisibility(margin = "200px") {
  /** @type {WeakMap<Element, boolean>} */
  const away = new WeakMap();
  if (typeof IntersectionObserver !== "function") return () => () => false;
  const observer = new IntersectionObserver((entries) => {
    for (const e of entries) away.set(e.target, !e.isIntersecting);
  }, { rootMargin: margin });
  return (el) => {
    observer.observe(el);
    return () => away.get(el) === true;
  };
}
