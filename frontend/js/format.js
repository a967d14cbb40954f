// @ts-check
// Number formatting for read-outs, tooltips and the numbers inside neurons, pure.

/**
 * A compact, fixed-width-ish rendering: 4 significant digits, exponent when tiny or huge.
 * @param {unknown} value  a number; null or undefined is a dash, anything else its text
 * @param {number} [digits]
 * @returns {string}
 */
export function fmt(value, digits = 4) {
  if (value === null || value === undefined) return "—";
  if (typeof value !== "number") return String(value);
  if (Number.isNaN(value)) return "NaN";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value === 0) return "0";
  const a = Math.abs(value);
  const text = a >= 1e5 || a < 1e-3 ? value.toExponential(digits - 2) : value.toPrecision(digits);
  return minus(trimZeros(text));
}

/**
 * Two decimals, for values printed beside neurons (at most 5 characters).
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function short(value) {
  return fitNumber(value, (t) => t.length <= 5);
}

/**
 * A count with thousands separators.
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function count(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return Math.round(value).toLocaleString("en-US");
}

/**
 * A fraction in [0, 1] as a percentage with one decimal ("93.5 %"); a dash for null.
 * @param {number | null | undefined} value
 * @returns {string}
 */
export function percent(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return `${(value * 100).toFixed(1)} %`;
}

/** @type {[string, number][]} */
const SI = [["T", 1e12], ["G", 1e9], ["M", 1e6], ["k", 1e3]];

/**
 * The candidate texts for `value`, most informative first: fixed decimals (0.53, .53, 12.3),
 * plain integers and SI suffixes (1234, 1.2k, 45M), a mantissa and exponent (3.1e49, 3e49,
 * 8e−107), the exponent alone (e49: the order of magnitude). None rounds a non-zero value to 0.
 * @param {number | null | undefined} value
 * @returns {string[]}
 */
export function numberForms(value) {
  if (value === null || value === undefined) return ["—"];
  if (Number.isNaN(value)) return ["NaN"];
  if (!Number.isFinite(value)) return [value > 0 ? "∞" : "−∞"];
  if (value === 0) return ["0"];
  const a = Math.abs(value);
  const sign = value < 0 ? "−" : "";
  /** @type {string[]} */
  const forms = [];
  /** @param {string} body */
  const add = (body) => {
    const text = sign + body;
    if (!forms.includes(text)) forms.push(text);
  };
  if (a < 1000) {
    for (const d of a < 1 ? [2, 1] : a < 100 ? [2, 1, 0] : [1, 0]) {
      const body = a.toFixed(d);
      if (Number(body) === 0) continue; // 0.004 is not "0.00"
      add(body);
      if (body.startsWith("0.")) add(body.slice(1)); // .53
    }
  } else if (a < 1e15) {
    if (a < 1e5) add(String(Math.round(a)));
    for (const [suffix, size] of SI) {
      if (a < size) continue;
      for (const d of [1, 0]) {
        const body = (a / size).toFixed(d);
        if (Number(body) < 1000) add(`${trimZeros(body)}${suffix}`);
      }
      break;
    }
  }
  for (const d of [1, 0]) add(minus(trimZeros(a.toExponential(d))));
  const exponent = minus(trimZeros(a.toExponential(0))).replace(/^\d/, "");
  if (Math.abs(Math.floor(Math.log10(a))) >= 3) add(exponent); // e49: the order of magnitude
  return forms;
}

/**
 * `value` in the most informative form that `fits(text)` (a width budget, e.g. the inside of a
 * neuron): see numberForms. A tiny value (under 0.005) that fits no form is "≈0", anything
 * else "…" (the tooltip and data-value keep the exact number).
 * @param {number | null | undefined} value
 * @param {(text: string) => boolean} [fits]
 * @returns {string}
 */
export function fitNumber(value, fits = (text) => text.length <= 4) {
  for (const text of numberForms(value)) if (fits(text)) return text;
  return Math.abs(Number(value)) < 0.005 ? "≈0" : "…";
}

/**
 * `text` without trailing zeros of its fraction, in its mantissa and exponent alike.
 * @param {string} text
 * @returns {string}
 */
function trimZeros(text) {
  if (text.includes("e")) {
    const [m, e] = text.split("e");
    return `${trimZeros(m)}e${e.replace("+", "")}`;
  }
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * `text` with a typographic minus for its sign and its exponent's.
 * @param {string} text
 * @returns {string}
 */
function minus(text) {
  return text.replace(/^-/, "−").replace("e-", "e−");
}
