// @ts-check
// TeX for the equation panel: the article's equations for one neuron, with the actual
// numbers of one sample filled in (see neuron.js for where they come from). Pure strings;
// the view hands them to KaTeX.

import { NO_PENALTY, penalised, penaltySlope } from "./penalty.js";

/** @import { EquationRow, NeuronTrace } from "./types.js" */
/** @import { Penalty } from "./penalty.js" */

/**
 * A number in TeX with `digits` significant digits: 0.1235, −12.35, 1.235×10^{−5}; null → NaN.
 * @param {number | null | undefined} x
 * @param {number} [digits]
 */
export function fmt(x, digits = 4) {
  if (x === null || x === undefined || Number.isNaN(x)) return "\\text{NaN}";
  if (!Number.isFinite(x)) return x > 0 ? "\\infty" : "-\\infty";
  if (x === 0) return "0";
  const a = Math.abs(x);
  if (a >= 1e4 || a < 1e-3) {
    const [m, e] = x.toExponential(digits - 1).split("e");
    return `${trim(m)}\\times10^{${Number(e)}}`;
  }
  return trim(x.toPrecision(digits));
}

/**
 * 0.5000 → 0.5, 2.000 → 2; leaves integers and exponents alone.
 * @param {string} s
 */
function trim(s) {
  return s.includes(".") ? s.replace(/\.?0+$/, "") : s;
}

/**
 * fmt, in parentheses when negative, for a number that follows an operator.
 * @param {number | null | undefined} x
 * @param {number} [digits]
 */
export function term(x, digits = 4) {
  const s = fmt(x, digits);
  return s.startsWith("-") ? `(${s})` : s;
}

/**
 * A vector as a row (a, b, c): at most `max` entries, longer ones as the first max − 2,
 * an ellipsis and the last one, so both ends stay visible.
 * @param {(number | null)[]} values
 * @param {number} [max]
 * @param {number} [digits]
 */
export function vec(values, max = 5, digits = 4) {
  const parts = values.map((v) => fmt(v, digits));
  const shown = parts.length > max ? [...parts.slice(0, max - 2), "\\ldots", parts.at(-1)] : parts;
  return `\\left(${shown.join(",\\ ")}\\right)`;
}

/**
 * A vector as a column, as the article writes W's rows and y: at most `max` entries, longer
 * ones as the first max − 2, a vertical ellipsis and the last one. Columns side by side
 * line up entry by entry, so w_m stands next to the y_m it multiplies.
 * @param {(number | null)[]} values
 * @param {number} [max]
 * @param {number} [digits]
 */
export function col(values, max = 5, digits = 4) {
  const parts = values.map((v) => fmt(v, digits));
  const shown = parts.length > max ? [...parts.slice(0, max - 2), "\\vdots", parts.at(-1)] : parts;
  return `\\begin{bmatrix}${shown.join("\\\\")}\\end{bmatrix}`;
}

/** @typedef {ReturnType<typeof symbols>} Symbols */

/**
 * Symbols of neuron j (0-based) of layer i; j shown 1-based as in the article.
 * @param {number} i
 * @param {number} j
 */
export function symbols(i, j) {
  const sup = `^{${i}}`;
  const sub = `_{${j + 1}}`;
  const prev = i === 1 ? "\\vec{x}" : `\\vec{y}^{${i - 1}}`;
  return {
    z: `z${sup}${sub}`,
    y: `y${sup}${sub}`,
    b: `b${sup}${sub}`,
    w: `\\vec{w}${sup}${sub}`,
    prev,
    params: `(b,\\vec{w})${sup}${sub}`,
    dl: (/** @type {string} */ s) => `\\frac{\\partial\\ell}{\\partial ${s}}`,
  };
}

/**
 * Eq. (2) with the activation's own formula: [symbolic f(z), f(z) with z's value].
 * @param {NeuronTrace} t
 * @param {Symbols} s
 * @returns {[string, string]}
 */
function activationTex(t, s) {
  const z = fmt(t.z);
  switch (t.activation) {
    case "sigmoid":
      return [`\\frac{1}{1+e^{-${s.z}}}`, `\\frac{1}{1+e^{-${term(t.z)}}}`];
    case "tanh":
      return [`\\tanh ${s.z}`, `\\tanh(${z})`];
    case "relu":
      return [`\\max(0,\\ ${s.z})`, `\\max(0,\\ ${z})`];
    case "linear":
      return [s.z, z];
    case "softmax": {
      const sum = t.zLayer.reduce((acc, v) => acc + Math.exp(v), 0);
      return [`\\frac{e^{${s.z}}}{\\sum_m e^{z${`^{${t.layer}}`}_m}}`, `\\frac{e^{${z}}}{${fmt(sum)}}`];
    }
    default:
      return [`f(${s.z})`, `f(${z})`];
  }
}

/**
 * Eq. (5) and its relatives: [the equation number, the batch's loss symbolically].
 * @param {string} lossName
 * @param {string} outputActivation
 * @returns {[string, string]}
 */
function lossTex(lossName, outputActivation) {
  const d = "(y^{pred}_k - y^{true}_k)^2";
  if (lossName === "half_sse") return ["(5)", `\\ell = \\frac{1}{2}\\sum_k ${d}`];
  if (lossName === "mse") return ["", `\\ell = \\frac{1}{B\\,n_L}\\sum_k ${d}`];
  if (outputActivation === "softmax") {
    return ["", "\\ell = -\\frac{1}{B}\\sum_k \\vec{y}^{true}_k\\cdot\\log\\vec{y}^{pred}_k"];
  }
  return ["", "\\ell = -\\frac{1}{B\\,n_L}\\sum_k \\big[t_k\\log y_k + (1-t_k)\\log(1-y_k)\\big]"];
}

/**
 * ∂ℓ/∂y of an output neuron: [symbolic, with numbers] for the loss in use.
 * @param {NeuronTrace} t
 * @param {Symbols} s
 * @param {string} lossName
 * @param {number} nOut  n_L, the outputs
 * @returns {[string, string]}
 */
function outputGradTex(t, s, lossName, nOut) {
  const y = fmt(t.y);
  const tt = term(t.target);
  const scale = `${t.batch * nOut}`;
  if (lossName === "half_sse") return [`${s.y} - y^{true}`, `${y} - ${tt}`];
  if (lossName === "mse") return [`\\frac{2}{B\\,n_L}(${s.y} - y^{true})`, `\\frac{2}{${scale}}(${y} - ${tt})`];
  if (t.activation === "softmax") return [`-\\frac{y^{true}}{B\\,${s.y}}`, `-\\frac{${fmt(t.target)}}{${t.batch}\\cdot ${y}}`];
  return [
    `\\frac{${s.y} - y^{true}}{B\\,n_L\\,${s.y}(1-${s.y})}`,
    `\\frac{${y} - ${tt}}{${scale}\\cdot ${y}\\,(1-${y})}`,
  ];
}

/**
 * ∂ℓ/∂z = ∂ℓ/∂y · f'(z): [equation number, symbolic, with numbers].
 * @param {NeuronTrace} t
 * @param {Symbols} s
 * @returns {[string, string, string]}
 */
function derivativeTex(t, s) {
  const dy = s.dl(s.y);
  const y = fmt(t.y);
  const g = term(t.dy);
  switch (t.activation) {
    case "sigmoid":
      return ["(7)", `${dy}\\,${s.y}(1-${s.y})`, `${g}\\cdot ${y}\\,(1-${y})`];
    case "tanh":
      return ["", `${dy}\\,\\big(1-(${s.y})^2\\big)`, `${g}\\cdot\\big(1-${term(t.y)}^2\\big)`];
    case "relu":
      return ["", `${dy}\\,[${s.z}>0]`, `${g}\\cdot ${t.z > 0 ? 1 : 0}`];
    case "linear":
      return ["", dy, g];
    case "softmax": {
      const inner = t.dyLayer.reduce((acc, v, m) => acc + v * t.yLayer[m], 0);
      return ["", `${s.y}\\big(${dy} - \\sum_m \\frac{\\partial\\ell}{\\partial y_m} y_m\\big)`,
        `${y}\\,\\big(${fmt(t.dy)} - ${term(inner)}\\big)`];
    }
    default:
      return ["", `${dy}\\,f'(${s.z})`, `${g}\\cdot f'(${fmt(t.z)})`];
  }
}

/**
 * The numbers of the update row: (b, w) before and after, ∂ℓ/∂(b, w), α, and with a penalty
 * λ and ∂R/∂(b, w) at the old weights (0 for the bias): new = old − α (grad + λ slope).
 * @param {NeuronTrace} t
 * @param {Penalty} [penalty]
 */
export function updateNumbers(t, penalty = NO_PENALTY) {
  const slope = t.old.map((w, m) => penaltySlope(penalty, w, m === 0));
  return { old: t.old, grad: t.grad, alpha: t.alpha, lambda: penalty.rate, slope, new: t.new };
}

/**
 * The update row: the article's (b, w) := (b, w) − α ∂ℓ/∂(b, w) without a penalty; with one,
 * w := w − α (∂ℓ/∂w + λ ∂R/∂w) for the weights and the bias's own line without λ.
 * @param {NeuronTrace} t
 * @param {Symbols} s
 * @param {Penalty} penalty
 */
function updateTex(t, s, penalty) {
  if (!penalised(penalty)) {
    return aligned([
      `${s.params} &:= ${s.params} - \\alpha\\,${s.dl(s.params)}`,
      `&= ${col(t.old)} - ${term(t.alpha)}\\,${col(t.grad)} = ${col(t.new)}`,
    ]);
  }
  const n = updateNumbers(t, penalty);
  const slope = penalty.kind === "l2" ? s.w : `\\operatorname{sign}(${s.w})`;
  const name = penalty.kind === "l2" ? "L2: } R = \\tfrac12\\sum w^2" : "L1: } R = \\sum |w|";
  return aligned([
    `${s.w} &:= ${s.w} - \\alpha\\big(${s.dl(s.w)} + \\lambda\\,${slope}\\big)` +
      `\\qquad\\text{(${name}\\text{, }\\lambda = ${fmt(penalty.rate)}\\text{)}`,
    `${s.b} &:= ${s.b} - \\alpha\\,${s.dl(s.b)}\\qquad\\text{(the bias } b\\text{ is not penalised)}`,
    `${s.params} &:= ${col(n.old)} - ${term(t.alpha)}\\left(${col(n.grad)} + ${term(n.lambda)}\\,${col(n.slope)}\\right)` +
      ` = ${col(n.new)}`,
  ]);
}

const aligned = (/** @type {string[]} */ lines) => `\\begin{aligned}${lines.join("\\\\")}\\end{aligned}`;

/**
 * The rows of the panel for a neuron trace: [{id, eq, phase, tex}], where `eq` is the
 * article's equation number ("" when the article has none) and `phase` the training
 * phase the row belongs to (forward, loss, backward, update).
 * @param {NeuronTrace} t
 * @param {{loss?: string, outputs?: number, penalty?: Penalty}} [options]  the loss's name,
 *   n_L and the run's penalty (kind and λ; none by default)
 * @returns {EquationRow[]}
 */
export function equationRows(t, { loss = "half_sse", outputs = 1, penalty = NO_PENALTY } = {}) {
  const s = symbols(t.layer, t.index);
  /** @type {EquationRow[]} */
  const rows = [];
  rows.push({
    id: "z", eq: "(1)", phase: "forward",
    tex: `${s.z} = ${s.b} + ${s.w}\\cdot ${s.prev} = ${fmt(t.b)} + ${col(t.w)}\\cdot ${col(t.yPrev)}` +
      ` = ${fmt(t.z)}`,
  });
  const [fSym, fNum] = activationTex(t, s);
  rows.push({
    id: "y", eq: t.activation === "sigmoid" ? "(2), (6)" : "(2)", phase: "forward",
    tex: `${s.y} = f(${s.z}) = ${fSym} = ${fNum} = ${fmt(t.y)}`,
  });
  if (t.isOutput) {
    const [eq, lossSym] = lossTex(loss, t.activation);
    rows.push({ id: "loss", eq, phase: "loss", tex: `${lossSym} = ${fmt(t.loss)}` });
    const [gSym, gNum] = outputGradTex(t, s, loss, outputs);
    rows.push({
      id: "dy", eq: "", phase: "loss",
      tex: `${s.dl(s.y)} = ${gSym} = ${gNum} = ${fmt(t.dy)}`,
    });
  } else if (t.next) { // a hidden neuron: ∂ℓ/∂y comes back from the next layer
    const n = `^{${t.layer + 1}}`;
    rows.push({
      id: "dy", eq: "", phase: "backward",
      tex: aligned([
        `${s.dl(s.y)} &= \\Big[(\\mathbf{w}${n})^{T}\\,${s.dl(`\\vec{z}${n}`)}\\Big]_{${t.index + 1}}` +
          ` = \\sum_m w${n}_{m,${t.index + 1}}\\,${s.dl(`z${n}_m`)}`,
        `&= ${col(t.next.w)}\\cdot ${col(t.next.dz)} = ${fmt(t.dy)}`,
      ]),
    });
  }
  const [dEq, dSym, dNum] = derivativeTex(t, s);
  rows.push({
    id: "dz", eq: dEq, phase: "backward",
    tex: `${s.dl(s.z)} = ${dSym} = ${dNum} = ${fmt(t.dz)}`,
  });
  const sumLine = t.batch > 1
    ? `&= \\sum_{k=1}^{${t.batch}} ${s.dl(`z${`^{${t.layer}}`}_{${t.index + 1},k}`)}\\,(1,\\ ${s.prev}_k)`
    : `&= ${s.dl(s.z)}\\,(1,\\ ${s.prev})`;
  const lines = [`${s.dl(s.params)} ${sumLine}`, `&= ${col(t.grad)}`];
  if (t.batch > 1) {
    lines.push(`&\\text{sample ${t.sample + 1}'s term: }\\ ${term(t.dz)}\\,${col([1, ...t.yPrev])} = ${col(t.share)}`);
  }
  rows.push({ id: "grad", eq: "", phase: "backward", tex: aligned(lines) });
  rows.push({ id: "update", eq: "", phase: "update", tex: updateTex(t, s, penalty) });
  return rows;
}
