// The regularisation settings on the page: the form's two fields, validation of λ against the
// published bound, a change of either being a new run, and the link keeping them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { cloneSpec, fitToDataset, sameRun, validate } from "../../frontend/js/spec.js";
import { specFromParams, specToParams } from "../../frontend/js/url.js";
import { fieldDefs } from "../../frontend/js/views/controlFields.js";
import { OPTIONS } from "./fixtures.mjs";
import { penaltyOf } from "../../frontend/js/penalty.js";

const REG_OPTIONS = {
  ...OPTIONS,
  regularizations: [
    { name: "none", description: "" }, { name: "l1", description: "" }, { name: "l2", description: "" },
  ],
  limits: { ...OPTIONS.limits, max_regularization_rate: 10 },
  defaults: {
    ...OPTIONS.defaults,
    training: { ...OPTIONS.defaults.training, regularization: "none", regularization_rate: 0 },
  },
};
const base = () => fitToDataset(cloneSpec(REG_OPTIONS.defaults), REG_OPTIONS);
const withReg = (regularization, regularization_rate) => {
  const spec = base();
  spec.training = { ...spec.training, regularization, regularization_rate };
  return spec;
};

test("λ is checked against the published bound", () => {
  assert.deepEqual(validate(withReg("l2", 0.3), REG_OPTIONS), {});
  assert.deepEqual(validate(withReg("l1", 10), REG_OPTIONS), {});
  for (const bad of [-0.1, 10.5, NaN]) {
    const errors = validate(withReg("l2", bad), REG_OPTIONS);
    assert.match(errors["training.regularization_rate"], /λ must be a number from 0 to 10/);
  }
});

test("a spec without the fields (an older link or job) is valid and the same run as none, 0", () => {
  const old = base();
  delete old.training.regularization;
  delete old.training.regularization_rate;
  assert.deepEqual(validate(old, REG_OPTIONS), {});
  assert.ok(sameRun(old, withReg("none", 0)));
});

test("another kind or another λ is another run", () => {
  assert.ok(sameRun(withReg("l2", 0.3), withReg("l2", 0.3)));
  assert.ok(!sameRun(withReg("l2", 0.3), withReg("l1", 0.3)));
  assert.ok(!sameRun(withReg("l2", 0.3), withReg("l2", 0.01)));
});

test("the link keeps the kind and λ", () => {
  const back = specFromParams(specToParams(withReg("l1", 0.05)), REG_OPTIONS.defaults);
  assert.equal(back.training.regularization, "l1");
  assert.equal(back.training.regularization_rate, 0.05);
});

test("the form has a kind select and a λ field shown only with a penalty", () => {
  const defs = fieldDefs(REG_OPTIONS);
  const kind = defs.find((d) => d.path === "training.regularization");
  const rate = defs.find((d) => d.path === "training.regularization_rate");
  assert.ok(kind && rate);
  assert.equal(kind.kind, "select");
  assert.deepEqual(kind.choices.map((c) => c.name), ["none", "l1", "l2"]);
  assert.equal(rate.attrs.max, 10);
  assert.equal(rate.visible(withReg("none", 0)), false);
  assert.equal(rate.visible(withReg("l2", 0.3)), true);
  const written = rate.write(withReg("l2", 0.3), 0.7);
  assert.equal(written.training.regularization_rate, 0.7);
  assert.equal(kind.write(base(), "l1").training.regularization, "l1");
  assert.equal(kind.read(withReg("l1", 0)), "l1");
});

test("the equations read the run's penalty from its training settings; an older spec has none", () => {
  assert.deepEqual(penaltyOf(withReg("l2", 0.3).training), { kind: "l2", rate: 0.3 });
  assert.deepEqual(penaltyOf(withReg("l1", 0.05).training), { kind: "l1", rate: 0.05 });
  assert.equal(penaltyOf(withReg("none", 0.3).training).kind, "none");
  assert.equal(penaltyOf(base().training).kind, "none");
  assert.equal(penaltyOf(null).kind, "none");
  // The link's reg and lambda arrive as the spec's fields
  const spec = specFromParams(new URLSearchParams("reg=l2&lambda=0.1"), REG_OPTIONS.defaults);
  assert.deepEqual(penaltyOf(spec.training), { kind: "l2", rate: 0.1 });
});
