// Shared test data: /api/options as the server gives it, and a full frame of the 3-5-2 network.

export const OPTIONS = {
  activations: { hidden: ["sigmoid", "tanh", "relu", "linear"], output: ["sigmoid", "tanh", "relu", "linear", "softmax"] },
  losses: [
    { name: "half_sse", description: "½ Σ (y − t)²", outputs: null },
    { name: "mse", description: "mean (y − t)²", outputs: null },
    { name: "cross_entropy", description: "cross-entropy", outputs: ["sigmoid", "softmax"] },
  ],
  modes: [{ name: "batch", description: "" }, { name: "sgd", description: "" }, { name: "minibatch", description: "" }],
  datasets: [
    { name: "article", kind: "regression", description: "", n_inputs: 3, outputs: [2], two_d: false, fixed_rows: 6 },
    { name: "figure2", kind: "regression", description: "", n_inputs: 1, outputs: [1], two_d: false, fixed_rows: 6 },
    { name: "circle", kind: "classification", description: "", n_inputs: 2, outputs: [1, 2], two_d: true, fixed_rows: null },
    { name: "plane", kind: "regression", description: "", n_inputs: 2, outputs: [1], two_d: true, fixed_rows: null },
  ],
  features: [
    { name: "x1_squared", label: "x1²" }, { name: "x2_squared", label: "x2²" }, { name: "x1_x2", label: "x1·x2" },
    { name: "sin_x1", label: "sin x1" }, { name: "sin_x2", label: "sin x2" },
  ],
  limits: {
    max_layers: 12, max_neurons: 1024, max_parameters: 2000000, max_samples: 5000, max_epochs: 100000,
    max_iterations: 2000000, max_learning_rate: 1000000, max_batch_size: 10000, max_speed: 10000,
  },
  defaults: {
    network: { layers: [3, 5, 2], activation: "sigmoid", output_activation: "sigmoid", weights: null },
    training: { loss: "half_sse", mode: "minibatch", batch_size: 2, learning_rate: 0.5, epochs: 1000, tolerance: 0,
      shuffle: false, seed: 0 },
    dataset: { name: "article", samples: 200, noise: 0, test_fraction: 0, features: null },
    start: "running",
    speed: null,
  },
};

const fill = (rows, cols, f) => Array.from({ length: rows }, (_, j) => Array.from({ length: cols }, (_, i) => f(j, i)));

/** A full frame of a 3-5-2 network on a batch of 2, with made-up but consistent shapes. */
export function fullFrame(over = {}) {
  const sizes = [3, 5, 2];
  const layers = [];
  const weights = [];
  for (let l = 1; l < sizes.length; l++) {
    const n = sizes[l];
    weights.push(fill(n, sizes[l - 1] + 1, (j, i) => ((j + 1) * (i + 1) * (l % 2 ? 1 : -1)) / 10));
    layers.push({
      z: fill(n, 2, (j, k) => j - k),
      y: fill(n, 2, (j, k) => 1 / (1 + Math.exp(-(j - k)))),
      dy: fill(n, 2, (j, k) => (j + k) / 100),
      dz: fill(n, 2, (j, k) => (j - 2 + k) / 50),
      grad: fill(n, sizes[l - 1] + 1, (j, i) => (j - i) / 20),
    });
  }
  return {
    type: "frame", job: "job1", epoch: 0, batch: 0, iteration: 1, status: "running", loss: 0.25,
    test_loss: null, learning_rate: 0.5, max_delta: 0.1, rows: [0, 1], weights,
    inputs: fill(3, 2, (j, k) => (j + k) / 4), targets: fill(2, 2, (j, k) => (j + k) % 2), layers, ...over,
  };
}

export function jobView(over = {}) {
  return {
    id: "job1", status: "paused", epoch: 0, iteration: 0, loss: null, test_loss: null,
    spec: structuredClone(OPTIONS.defaults), created_at: "", updated_at: "", message: "", ...over,
  };
}
