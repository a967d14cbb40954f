import { test } from "node:test";
import assert from "node:assert/strict";
import {
  columnNote, csvDataset, csvProblem, csvRequest, dataKind, fileProblem, outputNote, sameData, withCsvData,
  withRole,
} from "../../frontend/js/userData.js";
import { canAddNeuron, canRemoveNeuron, cloneSpec, fitToDataset, sameRun, validate } from "../../frontend/js/spec.js";
import { formSpec } from "../../frontend/js/session.js";
import { OPTIONS } from "./fixtures.mjs";

const IRIS = "sepal,petal,species\n5.1,1.4,setosa\n7.0,4.7,versicolor\n6.3,6.0,virginica\n";
const column = (name, kind, role, extra = {}) => ({ name, kind, role, empty: 0, min: null, max: null,
  distinct: 0, classes: [], counts: [], first_text: null, ...extra });
const ANSWER = {
  columns: [column("sepal", "number", "input", { min: 4.9, max: 7 }), column("petal", "number", "input"),
    column("species", "text", "target", { distinct: 3, classes: ["setosa", "versicolor", "virginica"] })],
  input_columns: ["sepal", "petal"], target_columns: ["species"],
  classes: ["setosa", "versicolor", "virginica"], target_names: ["setosa", "versicolor", "virginica"],
  kind: "classification", output_activation: "softmax", loss: "cross_entropy", mean: [6.1, 4], std: [0.9, 1.9],
};
const base = () => fitToDataset(cloneSpec(OPTIONS.defaults), OPTIONS);
const onCsv = () => withCsvData(base(), csvDataset(IRIS, ANSWER, { testFraction: 0.2 }), ANSWER);

test("a data set is named, CSV or inline", () => {
  assert.equal(dataKind({ name: "xor" }), "named");
  assert.equal(dataKind({ csv: "a,b\n1,2\n" }), "csv");
  assert.equal(dataKind({ inputs: [[1]], targets: [[0]] }), "inline");
});

test("a CSV answer sizes the layers, keeps the hidden ones, sets softmax and cross-entropy", () => {
  const spec = onCsv();
  assert.deepEqual(spec.network.layers, [2, 5, 3]);
  assert.equal(spec.network.output_activation, "softmax");
  assert.equal(spec.training.loss, "cross_entropy");
  assert.deepEqual(spec.dataset, { csv: IRIS, input_columns: ["sepal", "petal"], target_columns: ["species"],
    standardize: true, test_fraction: 0.2 });
  assert.deepEqual(csvRequest(spec.dataset, 4), { ...spec.dataset, seed: 4 });
  assert.deepEqual(validate(spec, OPTIONS), {}); // no noise or sample checks on a CSV
  assert.deepEqual(fitToDataset(spec, OPTIONS).network.layers, [2, 5, 3]);
});

test("the input and output layers of user data cannot be resized by hand", () => {
  const spec = onCsv();
  for (const layer of [0, 2]) {
    assert.ok(!canAddNeuron(spec, OPTIONS, layer) && !canRemoveNeuron(spec, OPTIONS, layer), `layer ${layer}`);
  }
  assert.ok(canAddNeuron(spec, OPTIONS, 1));
});

test("roles: a text target is the only one; number targets add outputs; no target is refused", () => {
  assert.deepEqual(withRole(ANSWER, "petal", "target"), { input_columns: ["sepal"], target_columns: ["petal"] });
  assert.deepEqual(withRole(ANSWER, "sepal", "ignored"), { input_columns: ["petal"], target_columns: ["species"] });
  assert.equal(withRole(ANSWER, "species", "input"), null);
  const numbers = { ...ANSWER, target_columns: ["petal"], input_columns: ["sepal"] };
  assert.deepEqual(withRole(numbers, "sepal", "target"), { input_columns: [], target_columns: ["sepal", "petal"] });
  assert.equal(withRole(ANSWER, "nope", "input"), null);
});

test("the same run needs the same data: CSV text and roles, or inline rows by content", () => {
  const a = onCsv();
  const b = cloneSpec(a);
  assert.equal(b.dataset.csv, a.dataset.csv);
  assert.ok(sameRun(a, b));
  assert.ok(!sameRun(a, { ...b, dataset: { ...b.dataset, csv: IRIS + "4.9,1.5,setosa\n" } }));
  assert.ok(!sameRun(a, { ...b, dataset: { ...b.dataset, target_columns: ["petal"] } }));
  assert.ok(!sameRun(a, base()));
  const rows = { inputs: [[0], [1]], targets: [[0], [1]], test_inputs: null, test_targets: null };
  assert.ok(sameData(rows, JSON.parse(JSON.stringify(rows))));
  assert.ok(!sameData(rows, { ...rows, targets: [[1], [0]] }));
});

test("a watched job's form spec keeps its own data and network", () => {
  const job = { ...onCsv(), start: "paused", speed: null };
  const form = formSpec(job);
  assert.equal(form.dataset.csv, IRIS);
  assert.equal(form.dataset.features, undefined); // a CSV data set has no derived features
  assert.deepEqual(form.network.layers, [2, 5, 3]);
  assert.ok(sameRun(form, job));
  const inline = { network: { layers: [2, 3, 1], activation: "tanh", output_activation: "sigmoid", weights: null },
    training: base().training, dataset: { inputs: [[0, 1]], targets: [[1]], test_inputs: null, test_targets: null } };
  assert.deepEqual(formSpec(inline).network.layers, [2, 3, 1]);
  assert.deepEqual(validate(formSpec(inline), OPTIONS), {});
});

test("notes on columns, outputs, refusals and file sizes", () => {
  assert.equal(columnNote(ANSWER.columns[0]), "numbers 4.9 … 7");
  assert.equal(columnNote(ANSWER.columns[2]), "text, 3 values: setosa, versicolor, virginica");
  const mixed = column("b", "text", "ignored", { distinct: 3, classes: ["1", "2", "oops"], first_text: [7, "oops"] });
  assert.equal(columnNote(mixed), "text, 3 values (line 7: “oops” is not a number)");
  assert.match(outputNote(ANSWER), /^3 outputs, one per class: softmax/);
  assert.match(outputNote({ kind: "regression", target_names: ["z"] }), /^1 output: linear/);
  const err = { message: "x", detail: [{ msg: "CSV line 3 has 2 columns", ctx: { line: 3, column: null } }] };
  assert.deepEqual(csvProblem(err), { message: "CSV line 3 has 2 columns", line: 3, column: null });
  assert.match(fileProblem({ name: "big.csv", size: 20 }, 10), /big\.csv is 20 bytes, more than .* 10 bytes/);
  assert.equal(fileProblem({ name: "ok.csv", size: 5 }, 10), null);
});
