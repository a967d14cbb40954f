// @ts-check
// How to read the diagram: the colour scale, widths, dashes, rings and the two pulses.

import { divergingGradient } from "../palette.js";
import { BACKWARD_PULSE, FORWARD_PULSE } from "../color.js";

/** @import { View } from "../types.js" */

/**
 * The diagram's legend, drawn once into `el`.
 * @param {HTMLElement} el
 * @returns {View<unknown>}
 */
export function LegendView(el) {
  el.setAttribute("aria-label", "How to read the diagram");
  el.innerHTML = `
    <span class="lg-item"><span class="lg-scale" style="background:${divergingGradient()}"></span>
      <span class="lg-ends"><span>− low</span><span>high +</span></span></span>
    <span class="lg-item"><svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" stroke="#2166ac" stroke-width="4"/></svg>
      weight w: width |w|</span>
    <span class="lg-item"><svg width="34" height="12" aria-hidden="true"><line x1="1" y1="6" x2="33" y2="6" stroke="#e08214" stroke-width="2.5" stroke-dasharray="6 4"/></svg>
      dashed: w &lt; 0</span>
    <span class="lg-item"><svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="6" fill="#f7f7f7" stroke="#2166ac" stroke-width="2.5"/></svg>
      ring: bias b</span>
    <span class="lg-item"><svg width="18" height="18" aria-hidden="true"><circle cx="9" cy="9" r="7" fill="#92c5de" stroke="#5b636e"/></svg>
      neuron: y = f(z) on f's range; ∂ℓ/∂z going back</span>
    <span class="lg-item"><svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="5" fill="${FORWARD_PULSE}"/></svg>
      forward pass</span>
    <span class="lg-item"><svg width="14" height="14" aria-hidden="true"><circle cx="7" cy="7" r="5" fill="${BACKWARD_PULSE}"/></svg>
      backward pass: line width |∂ℓ/∂w|</span>`;
  return { update() {} };
}
