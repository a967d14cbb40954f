// The shapes the page reads from the server (docs/protocol.md; backend/api/schemas define each
// once) and the page's own state (store.js). Types only, for the checker: the browser never
// loads this file and the server does not serve it. A module names them with
//   /** @import { Frame, State } from "./types.js" */

/** A number of the wire: null stands for NaN or ±∞ (a diverged run). */
export type Num = number | null;
/** Rows of numbers: W^i is (n_i, 1 + n_{i−1}) with the bias in column 0; z, y … are (n_i, batch). */
export type Matrix = Num[][];

export type Status = "running" | "paused" | "finished" | "converged" | "diverged" | "stopped" | "failed";
export type Mode = "batch" | "sgd" | "minibatch";
export type Detail = "full" | "summary";

// ---------------------------------------------------------------- the job spec

export interface NetworkSpec {
  /** neurons per layer, input layer first: n_0 … n_L */
  layers: number[];
  activation: string;
  output_activation: string;
  /** W^1 … W^L to start from, or null for seeded initial weights */
  weights: Matrix[] | null;
}

export interface TrainingSpec {
  loss: string;
  mode: Mode;
  batch_size: number;
  /** α */
  learning_rate: number;
  epochs: number;
  /** τ: converged once every |ΔW| < τ; 0 turns it off */
  tolerance: number;
  shuffle: boolean;
  seed: number;
  /** the penalty R on the weights (not the biases): "none", "l1" (Σ |w|) or "l2" (½ Σ w²) */
  regularization?: "none" | "l1" | "l2";
  /** λ of the objective ℓ + λR */
  regularization_rate?: number;
}

/** A registry set (GET /api/options lists them). */
export interface NamedDatasetSpec {
  name: string;
  samples: number;
  noise: number;
  test_fraction: number;
  features: string[] | null;
}

/** Rows given in the spec, one row per sample. */
export interface InlineDatasetSpec {
  inputs: Matrix;
  targets: Matrix;
  test_inputs?: Matrix | null;
  test_targets?: Matrix | null;
  test_fraction?: number;
}

/** The reader's CSV text and its columns' roles (the server parses it: engine/tabular.py). */
export interface CsvDatasetSpec {
  csv: string;
  /** null: every number column but the targets */
  input_columns: string[] | null;
  /** null: the last column */
  target_columns: string[] | null;
  standardize: boolean;
  test_fraction: number;
}

/** The keys of `T` as absent: a data set of one kind has none of the other kinds' fields. */
type Absent<T> = { [K in keyof T]?: undefined };

/**
 * A spec's data set as code reads it before it knows its kind (userData.js dataKind tells
 * which): each kind lists the others' fields as absent, so e.g. `dataset.name` reads as
 * undefined unless it is a named set. Spec.dataset is the plain union (spreads of one kind with
 * another's fields stay assignable); a module reads it through a JSDoc cast to DatasetSpec.
 */
export type DatasetSpec =
  | (NamedDatasetSpec & Absent<Omit<InlineDatasetSpec & CsvDatasetSpec, keyof NamedDatasetSpec>>)
  | (InlineDatasetSpec & Absent<Omit<NamedDatasetSpec & CsvDatasetSpec, keyof InlineDatasetSpec>>)
  | (CsvDatasetSpec & Absent<Omit<NamedDatasetSpec & InlineDatasetSpec, keyof CsvDatasetSpec>>);

export interface Spec {
  network: NetworkSpec;
  training: TrainingSpec;
  dataset: NamedDatasetSpec | InlineDatasetSpec | CsvDatasetSpec;
  start: "running" | "paused";
  /** iterations per second; null is as fast as possible */
  speed: number | null;
}

// ---------------------------------------------------------------- REST answers

/** Whole-set numbers at the weights after `iteration`; null where they do not apply. */
export interface Metrics {
  iteration: number;
  epoch: number;
  train_loss: Num;
  test_loss: Num;
  /** classification only, in [0, 1] */
  train_accuracy: Num;
  test_accuracy: Num;
  /** λR at these weights (0 without regularisation); the losses above exclude it */
  penalty?: Num;
}

/** GET /api/jobs/{id}, and every control route's answer. */
export interface JobView {
  id: string;
  status: Status;
  /** completed epochs */
  epoch: number;
  /** weight updates so far */
  iteration: number;
  /** the last iteration's batch loss, before its update */
  loss: Num;
  test_loss: Num;
  spec: Spec;
  engine?: "compiled" | "numpy";
  created_at?: string;
  updated_at?: string;
  /** why the run ended or was paused; "" before */
  message?: string;
  saved?: boolean;
  /** null before the first measurement */
  metrics?: Metrics | null;
}

/** POST /api/jobs and fork: the view and the key that controls the job. */
export interface JobCreated extends JobView {
  key: string;
}

/** The job's data; the points (one row per sample) only when `points` is true. */
export interface DatasetSummary {
  name: string;
  kind: "classification" | "regression";
  feature_names: string[];
  target_names: string[];
  rows: number;
  test_rows: number;
  points: boolean;
  inputs?: Matrix | null;
  targets?: Matrix | null;
  test_inputs?: Matrix | null;
  test_targets?: Matrix | null;
}

/** POST /api/preview: what a spec would start from, nothing stored. */
export interface Preview {
  spec: Spec;
  weights: Matrix[];
  dataset: DatasetSummary;
}

/** [iteration, train_loss, test_loss, train_accuracy, test_accuracy] at one metric point. */
export type MetricPoint = [number, Num, Num, Num, Num];

/**
 * The loss history in at most 1024 buckets of `width` iterations (bucket k holds iterations
 * k·width + 1 … (k + 1)·width), from bucket `start` on, and test points from `test_start` on.
 */
export interface LossHistory {
  iterations: number;
  width: number;
  start: number;
  first: Num[];
  last: Num[];
  min: Num[];
  max: Num[];
  mean: Num[];
  test_start: number;
  /** [iteration, loss on the held-out rows] */
  test: [number, Num][];
  metrics?: MetricPoint[];
}

/** GET /history?from=A&to=B: the exact batch loss of each of those iterations (the loss
 * chart's zoom: null when the range is too long for exact losses and the buckets are drawn). */
export interface ExactLosses {
  from: number;
  to: number;
  loss: Num[] | null;
}

export interface DatasetOption {
  name: string;
  kind: string;
  description: string;
  n_inputs: number;
  outputs: number[];
  two_d: boolean;
  fixed_rows: number | null;
}

/** GET /api/options. */
export interface Options {
  activations: { hidden: string[]; output: string[] };
  losses: { name: string; description: string; outputs: string[] | null }[];
  modes: { name: string; description: string }[];
  datasets: DatasetOption[];
  features: { name: string; label: string }[];
  regularizations?: { name: string; description: string }[];
  limits: Record<string, number>;
  defaults: Spec;
}

// ---------------------------------------------------------------- the stream

/** Layer i's part of one iteration: (n_i, batch) arrays and ∂ℓ/∂W^i, (n_i, 1 + n_{i−1}). */
export interface LayerTrace {
  z: Matrix;
  y: Matrix;
  /** ∂ℓ/∂y */
  dy: Matrix;
  /** ∂ℓ/∂z */
  dz: Matrix;
  /** ∂ℓ/∂W */
  grad: Matrix;
}

/**
 * One iteration: the stream's `frame` and GET /trace. `inputs`, `targets` and `layers` only
 * in `full` detail; `neurons`, `sizes` and `samples` only when a wide network is cut.
 */
export interface Frame {
  type: "frame";
  job: string;
  /** 0-based epoch this iteration belongs to */
  epoch: number;
  /** 0-based batch within the epoch */
  batch: number;
  /** 1-based: the weight update this frame shows */
  iteration: number;
  /** the trainer's status after this iteration */
  status: string;
  loss: Num;
  test_loss: Num;
  learning_rate: number;
  /** the largest |ΔW| of this update */
  max_delta: Num;
  /** the training rows of this batch */
  rows: number[];
  /** W^1 … W^L after the update */
  weights: Matrix[];
  inputs?: Matrix | null;
  targets?: Matrix | null;
  layers?: LayerTrace[] | null;
  neurons?: number[][] | null;
  sizes?: number[] | null;
  samples?: number[] | null;
  /** null before the first measurement */
  metrics?: Metrics | null;
}

/** A frame of `full` detail, as the diagram and the equations need it. */
export interface FullFrame extends Frame {
  inputs: Matrix;
  targets: Matrix;
  layers: LayerTrace[];
}

export interface SnapshotMessage {
  type: "snapshot";
  job: JobView;
  weights: Matrix[];
  neurons?: number[][] | null;
  sizes?: number[] | null;
  dataset: DatasetSummary;
  history: LossHistory;
  trace: Frame | null;
}

export interface HistoryMessage extends LossHistory {
  type: "history";
  reset: boolean;
}

export interface StatusMessage {
  type: "status";
  job: JobView;
}

export interface ErrorMessage {
  type: "error";
  message: string;
}

export type ServerMessage =
  | SnapshotMessage
  | HistoryMessage
  | Frame
  | StatusMessage
  | ErrorMessage
  | { type: "pong" };

/** The stream's socket: open, (re)connecting, closed for now (a retry follows), or gone for good. */
export type Connection = "connecting" | "open" | "closed" | "gone";

/** What a viewer asks of the stream (`configure`). */
export interface StreamSettings {
  fps?: number;
  detail?: Detail;
}

// ---------------------------------------------------------------- the page's state

/** The page's copy of the loss buckets (history.js), `version` moved on at each change. */
export interface History {
  iterations: number;
  width: number;
  first: Num[];
  last: Num[];
  min: Num[];
  max: Num[];
  mean: Num[];
  /** [iteration, loss on the held-out rows] */
  test: [number, Num][];
  /** the whole-set metric points, oldest first */
  metrics: MetricPoint[];
  version: number;
}

/** The read-outs' counters: 1-based epoch and batch, as the toolbar shows them. */
export interface Counters {
  epoch: number;
  batch: number;
  iteration: number;
  loss: Num;
  test_loss: Num;
  /** the last update's largest |ΔW|, beside τ (null before any) */
  max_delta?: Num;
}

/** A neuron: layer i (0 is the input layer) and its 0-based index j. */
export interface NeuronRef {
  layer: number;
  index: number;
}

/** While replaying: the newest iteration, kept for "back to live". */
export interface LiveKept {
  frame: FullFrame | null;
  weights: Matrix[] | null;
  prevWeights: Matrix[] | null;
}

/** Which rows a shuffled epoch has drawn into which batch so far (−1: not yet). */
export interface BatchTracker {
  epoch: number;
  groups: Int32Array;
}

export type Phase = "idle" | "forward" | "loss" | "backward" | "update";

/** store.js: everything the views draw. */
export interface State {
  options: Options | null;
  /** the form's spec, same shape as a job spec */
  spec: Spec | null;
  /** field path → message, from client-side validation */
  specErrors: Record<string, string>;
  /** the attached job's view; null while the page previews the form's setup */
  job: JobView | null;
  /** the spec whose preview is shown when no job is attached */
  preview: Spec | null;
  /** ids of the jobs whose keys this browser holds */
  ownIds: string[];
  jobs: JobView[];
  dataset: DatasetSummary | null;
  /** the full frame shown: the latest, or a past one while replaying */
  frame: FullFrame | null;
  /** the job's newest frame of any detail, live (summary frames carry counters and rows) */
  latestFrame: Frame | null;
  /** shuffled rows: the batch each row was drawn into so far in the newest frame's epoch */
  batchTracker: BatchTracker | null;
  /** the same for the past frame shown while replaying, else null */
  replayTracker: BatchTracker | null;
  prevWeights: Matrix[] | null;
  weights: Matrix[] | null;
  counters: Counters;
  /** the iteration shown when it is a past one, else null */
  replay: number | null;
  live: LiveKept | null;
  history: History;
  zoom: ExactLosses | null;
  phase: Phase;
  phaseProgress: number;
  playing: boolean;
  busy: boolean;
  mode: "explain" | "train";
  animSpeed: number;
  trainSpeed: number | null;
  sample: number;
  selected: NeuronRef | null;
  selectedByUser: boolean;
  error: string | null;
  notice: string | null;
  connection: Connection;
  /** each neuron's output over the input plane drawn inside it (2-D inputs only) */
  nodeMaps: boolean;
  /** the guided tour's step index (tourSteps.js) while it is open, else null */
  tour: number | null;
  /** the reader's CSV being loaded or trained on (csvLoader.js), else null */
  csv: CsvState | null;
}

/** One column of a CSV file: its kind, role, and range (numbers) or classes (text). */
export interface CsvColumn {
  name: string;
  kind: "number" | "text";
  role: "input" | "target" | "ignored";
  /** cells with nothing in them */
  empty: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** distinct values of a text column */
  distinct: number;
  /** a text column's values, sorted, and how often each occurs */
  classes: string[];
  counts: number[];
  /** a text column's first cell that is not a number: [line, text] */
  first_text: [number, string] | null;
}

/** POST /api/csv: what a CSV data set gives (backend/api/schemas/dataset.py CsvPreview). */
export interface CsvPreview {
  /** rows of data, the header not counted */
  rows: number;
  header: boolean;
  delimiter: string;
  columns: CsvColumn[];
  /** the file's line number of each first row, and those rows' cells as written */
  first_lines: number[];
  first_rows: string[][];
  input_columns: string[];
  target_columns: string[];
  /** why the default roles cannot train */
  problem?: { field: string; message: string; line: number | null; column: number | null } | null;
  kind?: "classification" | "regression" | null;
  /** a text target's classes */
  classes?: string[] | null;
  /** one per output neuron */
  target_names: string[];
  standardize: boolean;
  /** μ and σ per input over the training rows */
  mean: number[];
  std: number[];
  train_rows: number;
  test_rows: number;
  output_activation?: string | null;
  loss?: string | null;
}

/** The reader's CSV: its text, the answer of POST /api/csv (columns, rows, roles, μ, σ, classes). */
export interface CsvState {
  name?: string | null;
  text?: string;
  answer?: Record<string, any> | null;
  /** why it cannot train, and where: the line and column of a refused cell when there is one */
  problem?: { message: string; line: number | null; column: string | number | null } | null;
  busy?: boolean;
  standardize?: boolean;
}

// ---------------------------------------------------------------- the store's actions

/** store.js's `createStore()`: the state, the one channel that changes it, and its listeners. */
export interface Store {
  get(): State;
  dispatch(action: Action): State;
  subscribe(fn: (state: State, action: Action) => void): () => void;
}

/** player.js's explain-mode player, as the other parts of the page use it. */
export interface ExplainPlayer {
  send(event: import("./animation.js").PlayerEvent): void;
}

/** What may be dispatched: the one channel through which the state changes (store.js). */
export type Action =
  | { type: "options"; options: Options }
  | { type: "spec"; spec: Spec }
  | { type: "message"; message: ServerMessage }
  /** a control route's answer (pause, resume, PATCH, a weight edit): the job as it is now */
  | { type: "job"; job: JobView }
  /** POST /reset's answer: the job back at iteration 0, its loss history empty */
  | { type: "job-reset"; job: JobView }
  | { type: "attach"; job: JobView | null }
  | { type: "preview"; spec: Spec; answer?: Partial<Preview> }
  | { type: "keys"; ids: string[] }
  | { type: "replay"; frame: FullFrame }
  | { type: "live" }
  | { type: "zoom"; zoom: ExactLosses | null }
  | { type: "jobs"; jobs: JobView[] }
  | { type: "weights"; weights: Matrix[] }
  | { type: "frame"; frame: Frame }
  | { type: "phase"; phase: Phase; progress: number }
  | { type: "mode"; mode: string }
  | { type: "playing"; playing: boolean }
  | { type: "busy"; busy: boolean }
  | { type: "anim-speed"; speed: number }
  | { type: "train-speed"; speed: number | null }
  | { type: "sample"; sample: number }
  | { type: "select"; selected: NeuronRef | null }
  | { type: "error"; error: string | null }
  | { type: "notice"; notice: string | null }
  | { type: "csv"; csv: CsvState | null }
  | { type: "connection"; connection: Connection }
  | { type: "node-maps"; on: boolean }
  | { type: "tour"; step: number | null };

// ---------------------------------------------------------------- the diagram's layout

/** A box in CSS pixels: the diagram's own size. */
export interface Size {
  width: number;
  height: number;
}

/** Room around the columns for the names, numbers and Figure 1's arrows. */
export interface Margins {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** A drawn neuron: `id` is "layer-index" (layout.js's neuronId). */
export interface LayoutNeuron {
  id: string;
  layer: number;
  index: number;
  x: number;
  y: number;
}

/** A drawn weight line into neuron `to` of `layer` from neuron `from` of layer − 1. */
export interface LayoutEdge {
  id: string;
  layer: number;
  to: number;
  from: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/** A layer's column; `more` marks a layer drawn in part (its first `shown` of `total`). */
export interface LayoutColumn {
  layer: number;
  x: number;
  top: number;
  bottom: number;
  name: string;
  more: { x: number; y: number; shown: number; total: number } | null;
}

/** layout.js's computeLayout: where every drawn neuron and edge is. */
export interface Layout extends Size {
  radius: number;
  rowGap: number;
  colGap: number;
  margin: Margins;
  /** the network's neurons per layer (the drawn ones may be fewer) */
  totals: number[];
  columns: LayoutColumn[];
  neurons: LayoutNeuron[];
  edges: LayoutEdge[];
  /** the drawn neurons of each layer */
  byLayer: LayoutNeuron[][];
}

// ---------------------------------------------------------------- the equation panel

/** Neuron j of layer i for sample k of a full frame (neuron.js): what eqs. (1)–(7) show. */
export interface NeuronTrace {
  layer: number;
  index: number;
  sample: number;
  /** samples in the batch, B */
  batch: number;
  /** L */
  layers: number;
  isOutput: boolean;
  activation: string;
  alpha: number;
  /** the batch's ℓ */
  loss: number;
  /** b and w before the update */
  b: number;
  w: number[];
  /** y^{i−1} (x for the first layer) */
  yPrev: number[];
  z: number;
  y: number;
  dy: number;
  dz: number;
  /** the layer's z, y and ∂ℓ/∂y for this sample (softmax needs them all) */
  zLayer: number[];
  yLayer: number[];
  dyLayer: number[];
  /** the target of an output neuron, else null */
  target: number | null;
  /** hidden neurons: column j of W^{i+1} and the next layer's ∂ℓ/∂z */
  next: { w: number[]; dz: number[] } | null;
  /** ∂ℓ/∂(b, w) over the batch */
  grad: number[];
  /** this sample's term of it */
  share: number[];
  old: number[];
  new: number[];
}

/** One row of the equation panel: `eq` the article's equation number ("" when it has none). */
export interface EquationRow {
  id: string;
  eq: string;
  phase: "forward" | "loss" | "backward" | "update";
  tex: string;
}

// ---------------------------------------------------------------- views

/** A view: `View(el, actions)` returns it; `update(state)` is safe to call at any time. */
export interface View<S = State> {
  update(state: S): void;
}

/** GET /api/jobs/{id}/landscape: the whole-set loss over two parameters around their values. */
export interface Landscape {
  /** grid values of the first parameter, w_a − span … w_a + span */
  a: number[];
  b: number[];
  /** loss[i][j]: the first parameter at a[i], the second at b[j] */
  loss: Num[][];
  /** the two parameters' values over the run, ending at the current ones */
  path: [number, number][];
  includes_penalty?: boolean;
}
