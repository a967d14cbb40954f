// @ts-check
// The guided "Learn" tour, as data: one step per idea, in the order the article builds them up
// — the network (Figure 1), the forward pass (eqs. (1)–(2) with the matrices (3)–(4)), the loss
// (5), the backward pass (the sigmoid (6) and its slope (7)), the update, then iterations,
// batches and epochs (Figure 2). Written in our own words. Pure: the tour view highlights each
// step's `targets` (panels of index.html, by id) and `parts` (elements inside them that exist
// once drawn; a part not on the page is skipped), and typesets its `tex` with KaTeX.

/** @import { PassPhase } from "./animation.js" */
/**
 * @typedef {{id: string, title: string, cite: string, tex: string, text: string, targets: string[],
 *   parts: string[], phase?: PassPhase}} TourStep  one idea: `phase` the explain-mode phase it shows
 */

/** @type {TourStep[]} */
export const TOUR_STEPS = [
  {
    id: "network",
    title: "A network of layers",
    cite: "Figure 1 · eqs. (3)–(4)",
    tex: String.raw`\mathbf{w}^i:\ n_i \times (1 + n_{i-1}),\ \text{column 0} = \text{biases}`,
    text: "Circles are neurons, stacked in layers: the input layer (i = 0) holds one number per " +
      "feature of a row, the hidden layers rework them, and the output layer gives the prediction. " +
      "Each line carries a weight and each ring is a neuron's bias. All the weights into layer i fit " +
      "in one matrix W^i: a row per neuron of layer i, a column per neuron of layer i − 1, and one " +
      "more column in front for the biases.",
    targets: ["#network"],
    parts: [".band", ".neuron .bias"],
  },
  {
    id: "forward",
    title: "Forward pass: weigh, add, squash",
    cite: "eqs. (1)–(2)",
    tex: String.raw`z^i_j = b^i_j + \vec{w}^{\,i}_j \cdot \vec{y}^{\,i-1}, \qquad y^i_j = f(z^i_j)`,
    text: "Every neuron of layer i multiplies each output of layer i − 1 by the weight of its line, " +
      "adds them up with its bias (1), and feeds the sum z through its activation f to get its own " +
      "output y (2). Layer after layer this runs from the inputs to the outputs. Putting a 1 in front " +
      "of the inputs lets the bias column join the product: z^i = W^i [1; y^(i−1)]. Phase ① of " +
      "explain mode plays it as a green pulse; hover a neuron to read its z and y.",
    targets: ["#network", "#equations"],
    parts: [".neuron.layer-hidden", ".edge", '#equations [data-eq="z"]', '#equations [data-eq="y"]',
      '[data-phase-step="forward"]'],
    phase: "forward",
  },
  {
    id: "loss",
    title: "Loss: how far off the prediction is",
    cite: "eq. (5)",
    tex: String.raw`\ell = \tfrac{1}{2} \sum_k \left(y^{\,pred}_k - y^{\,true}_k\right)^2`,
    text: "The output layer's values are set against the targets of the batch's rows. The article's " +
      "loss squares each miss, halves it and sums over the samples k of the batch (5): one number " +
      "that is zero only for perfect predictions. Learning means finding weights that make it " +
      "small. Mean squared error averages instead of summing; cross-entropy suits classes.",
    targets: ["#network", "#equations"],
    parts: [".neuron.layer-output", ".loss-box", '#equations [data-eq="loss"]',
      '[data-phase-step="loss"]', '[data-readout="loss"]'],
    phase: "loss",
  },
  {
    id: "backward",
    title: "Backward pass: who is to blame",
    cite: "eqs. (6)–(7)",
    tex: String.raw`\begin{gathered}
      \frac{\partial \ell}{\partial \vec{z}^{\,i}} = \frac{\partial \ell}{\partial \vec{y}^{\,i}}
      \odot \vec{y}^{\,i} \odot (1 - \vec{y}^{\,i}) \\
      \frac{\partial \ell}{\partial \mathbf{w}^i} = \frac{\partial \ell}{\partial \vec{z}^{\,i}}\,
      [1;\ \vec{y}^{\,i-1}]^T \end{gathered}`,
    text: "Backpropagation walks the network the other way. At the outputs the loss's slope is the " +
      "miss, y − t. Multiplying by the activation's slope gives ∂ℓ/∂z: for the sigmoid " +
      "f(z) = 1 / (1 + e^(−z)) (6) that slope is y (1 − y) (7). Each layer hands its ∂ℓ/∂z back " +
      "through the same weights, transposed and without the bias column, to the layer before. " +
      "A weight's gradient is the ∂ℓ/∂z at its end times the y at its start: the magenta line " +
      "widths of phase ③.",
    targets: ["#network", "#equations"],
    parts: [".edge", ".neuron.layer-hidden", '#equations [data-eq="dy"]', '#equations [data-eq="dz"]',
      '#equations [data-eq="grad"]', '[data-phase-step="backward"]'],
    phase: "backward",
  },
  {
    id: "update",
    title: "Update: a small step downhill",
    cite: "the weights update, with learning rate α",
    tex: String.raw`\mathbf{w}^i := \mathbf{w}^i - \alpha\, \frac{\partial \ell}{\partial \mathbf{w}^i}`,
    text: "Every weight and bias of every layer moves a little against its gradient, all at once. " +
      "The learning rate α sets the size of the step: too small and learning crawls, too large and " +
      "it overshoots, or blows up (diverges). Watch the lines ease to their new widths in phase ④; " +
      "when the job is paused you can also click a line and type a weight yourself.",
    targets: ["#network", "#equations", "#controls"],
    parts: [".edge", '#equations [data-eq="update"]', '[data-phase-step="update"]',
      '[data-field="training.learning_rate"]'],
    phase: "update",
  },
  {
    id: "iteration",
    title: "One iteration",
    cite: "the article's terms",
    tex: String.raw`\text{iteration} = \text{forward} \to \ell \to \text{backward} \to \text{update}`,
    text: "Those four phases together change the weights once: that is one iteration. " +
      "“Iteration” steps exactly one, “Phase” one quarter of one; the Iteration read-out " +
      "counts them, and the loss chart gets one more point each time.",
    targets: ["#toolbar", "#loss-chart"],
    parts: ['[data-action="step-iteration"]', '[data-action="step-phase"]', '[data-readout="iteration"]',
      ".phase-step"],
  },
  {
    id: "batches",
    title: "Batches: rows per iteration",
    cite: "Figure 2",
    tex: String.raw`\text{iterations per epoch} = \lceil \text{rows} / \text{batch size} \rceil`,
    text: "The rows an iteration learns from are its batch. All rows at once is batch gradient " +
      "descent (one iteration an epoch); one row at a time is stochastic gradient descent (as many " +
      "iterations as rows); groups of a few rows is mini-batch. The Figure 2 panel colours each row " +
      "by its batch and marks the one in use.",
    targets: ["#batches", "#controls"],
    parts: ['[data-field="training.mode"]', '[data-field="training.batch_size"]', "#batches .bv-body"],
  },
  {
    id: "epochs",
    title: "Epochs: passes over the data",
    cite: "the training loop",
    tex: String.raw`\begin{gathered} \textbf{for } e = 1..\text{epochs}:\ \textbf{for } b = 1..\text{batches}: \\
      \text{forward, backward, update} \end{gathered}`,
    text: "An epoch is one pass through every training row, so it holds as many iterations as there " +
      "are batches. Training repeats epochs until their number is reached — or stops early once no " +
      "weight moves by more than the tolerance τ. Switch to Train and press ▶ to watch the loss " +
      "fall, epoch after epoch.",
    targets: ["#loss-chart", "#toolbar", "#controls"],
    parts: ['[data-readout="epoch"]', '[data-field="training.epochs"]', '[data-field="training.tolerance"]',
      '[data-mode="train"]'],
  },
];

/**
 * The step index `delta` steps from `index`, kept within the tour; null past the last (done).
 * @param {number} index
 * @param {number} delta
 * @param {TourStep[]} [steps]
 * @returns {number | null}
 */
export function stepFrom(index, delta, steps = TOUR_STEPS) {
  const next = index + delta;
  if (next >= steps.length) return null;
  return Math.max(0, next);
}

/**
 * The ids (#id) a step's targets name, for checking them against the page.
 * @param {TourStep[]} [steps]
 * @returns {string[]}
 */
export function targetIds(steps = TOUR_STEPS) {
  return [...new Set(steps.flatMap((s) => s.targets.map((t) => t.replace(/^#/, ""))))];
}
