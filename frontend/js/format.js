// Number formatting for read-outs and tooltips, pure.

/** A compact, fixed-width-ish rendering: 4 significant digits, exponent when tiny or huge. */
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

/** Two decimals, for values printed inside neurons. */
export function short(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  const a = Math.abs(value);
  if (a !== 0 && (a >= 100 || a < 0.005)) return minus(value.toExponential(0));
  return minus(value.toFixed(2));
}

/** A count with thousands separators. */
export function count(value) {
  if (value === null || value === undefined || !Number.isFinite(value)) return "—";
  return Math.round(value).toLocaleString("en-US");
}

function trimZeros(text) {
  if (text.includes("e")) {
    const [m, e] = text.split("e");
    return `${trimZeros(m)}e${e.replace("+", "")}`;
  }
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

function minus(text) {
  return text.replace(/^-/, "−").replace("e-", "e−");
}
