import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import katex from "../../frontend/vendor/katex/katex.mjs";
import { col, equationRows, fmt, symbols, term, updateNumbers, vec } from "../../frontend/js/math.js";
import { neuronTrace } from "../../frontend/js/neuron.js";
import { penalisedFrame, slope } from "./penalised.mjs";

const close = (a, b, eps) => assert.ok(Math.abs(a - b) <= eps * Math.max(1, Math.abs(b)), `${a} ≠ ${b}`);
const fixture = JSON.parse(readFileSync(new URL("../../frontend/dev/fixture.json", import.meta.url)));

test("numbers get 4 significant digits, exponents outside [1e−3, 1e4)", () => {
  assert.equal(fmt(0.123456), "0.1235");
  assert.equal(fmt(-12.3456), "-12.35");
  assert.equal(fmt(0.5), "0.5");
  assert.equal(fmt(2), "2");
  assert.equal(fmt(0), "0");
  assert.equal(fmt(0.000123456), "1.235\\times10^{-4}");
  assert.equal(fmt(123456), "1.235\\times10^{5}");
  assert.equal(fmt(1e-5), "1\\times10^{-5}");
  assert.equal(fmt(0.001), "0.001");
  assert.equal(fmt(null), "\\text{NaN}");
  assert.equal(fmt(Infinity), "\\infty");
  assert.equal(fmt(0.123456, 3), "0.123");
  assert.equal(term(-0.25), "(-0.25)");
  assert.equal(term(0.25), "0.25");
});

test("long vectors keep their first entries and the last", () => {
  assert.equal(vec([1, 2, 3]), "\\left(1,\\ 2,\\ 3\\right)");
  assert.equal(vec([1, 2, 3, 4, 5, 6, 7]), "\\left(1,\\ 2,\\ 3,\\ \\ldots,\\ 7\\right)");
  assert.equal(vec([1, 2, 3, 4, 5]), "\\left(1,\\ 2,\\ 3,\\ 4,\\ 5\\right)");
  assert.equal(col([1, -2]), "\\begin{bmatrix}1\\\\-2\\end{bmatrix}");
  assert.equal(col([1, 2, 3, 4, 5, 6]), "\\begin{bmatrix}1\\\\2\\\\3\\\\\\vdots\\\\6\\end{bmatrix}");
});

test("symbols are 1-based as in the article; layer 1 reads the inputs x", () => {
  assert.equal(symbols(2, 0).z, "z^{2}_{1}");
  assert.equal(symbols(1, 4).prev, "\\vec{x}");
  assert.equal(symbols(2, 4).prev, "\\vec{y}^{1}");
});

test("an output neuron with sigmoid and ½ SSE cites eqs. (1), (2), (6), (5), (7)", () => {
  const { frame, prevWeights, spec } = fixture.scenarios.article;
  const t = neuronTrace(frame, prevWeights, { layer: 2, index: 0 }, 0, spec.network);
  const rows = equationRows(t, { loss: "half_sse", outputs: 2 });
  assert.deepEqual(rows.map((r) => r.id), ["z", "y", "loss", "dy", "dz", "grad", "update"]);
  assert.deepEqual(rows.map((r) => r.eq), ["(1)", "(2), (6)", "(5)", "", "(7)", "", ""]);
  assert.deepEqual(rows.map((r) => r.phase),
    ["forward", "forward", "loss", "loss", "backward", "backward", "update"]);
  const z = rows[0].tex;
  assert.ok(z.endsWith(`= ${fmt(t.z)}`), "eq. (1) ends in the actual z");
  assert.ok(z.includes(fmt(t.b)) && z.includes("\\vec{w}^{2}_{1}\\cdot \\vec{y}^{1}"));
  assert.ok(rows[1].tex.includes(`\\frac{1}{1+e^{-${term(t.z)}}} = ${fmt(t.y)}`));
  assert.ok(rows[3].tex.includes(`${fmt(t.y)} - ${term(t.target)} = ${fmt(t.dy)}`));
  assert.ok(z.includes(`${col(t.w)}\\cdot ${col(t.yPrev)}`), "w and y side by side");
  assert.ok(rows[6].tex.includes(`${col(t.old)} - ${term(t.alpha)}\\,${col(t.grad)}`));
  assert.ok(rows[6].tex.endsWith(`= ${col(t.new)}\\end{aligned}`));
});

test("a hidden neuron's ∂ℓ/∂y is (W^{i+1})^T ∂ℓ/∂z^{i+1}", () => {
  const { frame, prevWeights, spec } = fixture.scenarios.article;
  const t = neuronTrace(frame, prevWeights, { layer: 1, index: 2 }, 1, spec.network);
  const rows = equationRows(t, { loss: "half_sse", outputs: 2 });
  assert.deepEqual(rows.map((r) => r.id), ["z", "y", "dy", "dz", "grad", "update"]);
  assert.ok(rows[2].tex.includes("(\\mathbf{w}^{2})^{T}"));
  assert.ok(rows[2].tex.includes(`${col(t.next.w)}\\cdot ${col(t.next.dz)} = ${fmt(t.dy)}`));
  assert.ok(rows[4].tex.includes("\\text{sample 2's term: }"));
});

test("every activation and loss pairing renders with KaTeX without error", () => {
  const pairs = [];
  for (const hidden of ["sigmoid", "tanh", "relu", "linear"]) {
    for (const out of ["sigmoid", "tanh", "relu", "linear", "softmax"]) {
      for (const loss of ["half_sse", "mse", "cross_entropy"]) pairs.push([hidden, out, loss]);
    }
  }
  for (const s of Object.values(fixture.scenarios)) {
    const L = s.frame.layers.length;
    for (const [activation, output_activation, loss] of pairs) {
      for (let i = 1; i <= L; i++) {
        for (const k of [0, 99]) {
          const t = neuronTrace(s.frame, s.prevWeights, { layer: i, index: 0 }, k,
            { activation, output_activation });
          for (const row of equationRows(t, { loss, outputs: s.frame.layers[L - 1].z.length })) {
            assert.doesNotThrow(() => katex.renderToString(row.tex, { throwOnError: true }),
              `${activation}/${output_activation}/${loss} ${row.id}: ${row.tex}`);
          }
        }
      }
    }
  }
});

test("non-finite numbers (null on the wire) still render", () => {
  const { frame, prevWeights, spec } = fixture.scenarios.article;
  const broken = structuredClone(frame);
  broken.layers[1].z[0][0] = null;
  broken.weights[1][0][0] = null;
  broken.loss = null;
  const t = neuronTrace(broken, prevWeights, null, 0, spec.network);
  for (const row of equationRows(t, { loss: "half_sse", outputs: 2 })) {
    katex.renderToString(row.tex, { throwOnError: true });
  }
});

test("a regularised run's update row shows λ ∂R/∂w for the weights and no penalty for the bias", () => {
  const s = fixture.scenarios.article;
  for (const [kind, rate, slopeTex] of [["l2", 0.1, "\\vec{w}^{2}_{1}"], ["l1", 0.1, "\\operatorname{sign}(\\vec{w}^{2}_{1})"]]) {
    const penalty = { kind, rate };
    const frame = penalisedFrame(s.frame, s.prevWeights, kind, rate);
    // L2 is undone from the frame alone; this neuron has L1 weights near 0, where the page
    // takes the previous frame's weights that update to W_new
    const kept = kind === "l1" ? s.prevWeights : null;
    const t = neuronTrace(frame, kept, { layer: 2, index: 0 }, 0, s.spec.network, penalty);
    const row = equationRows(t, { loss: "half_sse", outputs: 2, penalty }).at(-1);
    assert.equal(row.id, "update");
    assert.ok(row.tex.includes(`\\alpha\\big(\\frac{\\partial\\ell}{\\partial \\vec{w}^{2}_{1}} + \\lambda\\,${slopeTex}\\big)`), row.tex);
    assert.ok(row.tex.includes("the bias } b\\text{ is not penalised"));
    assert.ok(row.tex.includes(`\\lambda = ${fmt(rate)}`));
    const n = updateNumbers(t, penalty);
    // The numbers shown: the bias's slope is 0, the weights' w (L2) or sign(w) (L1) at W_old
    assert.equal(n.slope[0], 0);
    n.old.slice(1).forEach((w, m) => close(n.slope[m + 1], slope(kind, w), 0));
    n.new.forEach((w, m) => close(w, n.old[m] - n.alpha * (n.grad[m] + n.lambda * n.slope[m]), 1e-12));
    n.old.forEach((w, m) => close(w, s.prevWeights[1][0][m], 1e-12)); // the true W_old
    assert.ok(row.tex.includes(`${col(n.old)} - ${term(t.alpha)}\\left(${col(n.grad)} + ${term(rate)}\\,${col(n.slope)}\\right) = ${col(n.new)}`));
    katex.renderToString(row.tex, { throwOnError: true });
  }
});

test("without a penalty the update row is the article's", () => {
  const { frame, prevWeights, spec } = fixture.scenarios.article;
  const t = neuronTrace(frame, prevWeights, { layer: 2, index: 0 }, 0, spec.network);
  const plain = equationRows(t, { loss: "half_sse", outputs: 2 }).at(-1);
  const none = equationRows(t, { loss: "half_sse", outputs: 2, penalty: { kind: "none", rate: 0.3 } }).at(-1);
  assert.equal(none.tex, plain.tex);
  assert.ok(!plain.tex.includes("\\lambda"));
  assert.ok(plain.tex.startsWith("\\begin{aligned}(b,\\vec{w})^{2}_{1} &:= (b,\\vec{w})^{2}_{1} - \\alpha\\,"));
});
