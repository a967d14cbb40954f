// @ts-check
// The page's setup in the URL's query string, so a link reproduces it: the spec, the mode
// (explain or train) and the job being watched.

import { cloneSpec } from "./spec.js";

/** @import { Spec } from "./types.js" */
/** @typedef {Record<string, Record<string, unknown>>} Sections  a spec read field by field */

/**
 * {spec, mode, job} from a query string over the server's default spec.
 * @param {string} search
 * @param {Spec} defaults
 * @returns {{spec: Spec, mode: "explain" | "train", job: string | null}}
 */
export function readUrl(search, defaults) {
  const params = new URLSearchParams(search);
  return {
    spec: specFromParams(params, defaults),
    mode: params.get("view") === "train" ? "train" : "explain",
    job: params.get("job") || null,
  };
}

/**
 * The query string for a spec, mode and job id.
 * @param {Spec} spec
 * @param {string} mode
 * @param {string | null | undefined} job
 */
export function writeUrl(spec, mode, job) {
  const params = specToParams(spec);
  params.set("view", mode);
  if (job) params.set("job", job);
  return `?${params.toString()}`;
}

const FIELDS = [
  // [query key, section, field, kind]
  ["dataset", "dataset", "name", "str"],
  ["samples", "dataset", "samples", "num"],
  ["noise", "dataset", "noise", "num"],
  ["test", "dataset", "test_fraction", "num"],
  ["features", "dataset", "features", "list"],
  ["layers", "network", "layers", "layers"],
  ["act", "network", "activation", "str"],
  ["out", "network", "output_activation", "str"],
  ["loss", "training", "loss", "str"],
  ["mode", "training", "mode", "str"],
  ["batch", "training", "batch_size", "num"],
  ["lr", "training", "learning_rate", "num"],
  ["epochs", "training", "epochs", "num"],
  ["tol", "training", "tolerance", "num"],
  ["shuffle", "training", "shuffle", "bool"],
  ["seed", "training", "seed", "num"],
  ["reg", "training", "regularization", "str"],
  ["lambda", "training", "regularization_rate", "num"],
];

/**
 * The spec as query parameters (a link reproduces the setup).
 * @param {Spec} spec
 */
export function specToParams(spec) {
  const params = new URLSearchParams();
  const sections = /** @type {Sections} */ (/** @type {unknown} */ (spec));
  for (const [key, section, field, kind] of FIELDS) {
    const v = /** @type {any} */ (sections[section][field]);
    if (v === undefined || v === null) continue;
    if (kind === "layers") params.set(key, v.join("-"));
    else if (kind === "list") params.set(key, v.join(","));
    else if (kind === "bool") params.set(key, v ? "1" : "0");
    else params.set(key, String(v));
  }
  return params;
}

/**
 * A spec from query parameters over `defaults`; unreadable values keep the default.
 * @param {URLSearchParams} params
 * @param {Spec} defaults
 * @returns {Spec}
 */
export function specFromParams(params, defaults) {
  const spec = cloneSpec(defaults);
  const sections = /** @type {Sections} */ (/** @type {unknown} */ (spec));
  for (const [key, section, field, kind] of FIELDS) {
    if (!params.has(key)) continue;
    const text = params.get(key) ?? "";
    let value;
    if (kind === "num") value = text.trim() === "" ? NaN : Number(text);
    else if (kind === "bool") value = text === "1" || text === "true";
    else if (kind === "list") value = text.split(",").filter(Boolean);
    else if (kind === "layers") value = /^\d+(-\d+)+$/.test(text) ? text.split("-").map(Number) : undefined;
    else value = text;
    if (value === undefined || (kind === "num" && Number.isNaN(value))) continue;
    sections[section][field] = value;
  }
  spec.network.weights = null;
  return spec;
}
