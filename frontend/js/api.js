// @ts-check
// The server's REST API and a job's WebSocket stream, with reconnection.

import { decode } from "./messages.js";

/**
 * @import { Connection, DatasetSummary, ExactLosses, JobCreated, JobView, Landscape, LossHistory, Matrix,
 *   Options, Preview, ServerMessage, Spec, StreamSettings } from "./types.js"
 */
/** @typedef {{loc?: (string | number)[], msg?: unknown, ctx?: Record<string, unknown>}} DetailItem  a 422's item */
/** @typedef {{id: string, weights: Matrix[], neurons?: number[][] | null, sizes?: number[] | null}} WeightsView  GET /weights */
/**
 * What a viewer of a stream hears: each decoded message, and the socket's state.
 * @typedef {{onMessage: (msg: ServerMessage) => void, onState: (state: Connection) => void,
 *   configure?: {fps?: number, detail?: string} | null}} StreamHandlers  configure: StreamSettings, detail a Detail
 */
/** @typedef {{configure(next: StreamSettings): void, close(): void}} Stream */

/** An HTTP error with the server's message: 422 field errors become "field: message". */
export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} message
   * @param {Record<string, string>} [fields]
   * @param {unknown} [detail]
   */
  constructor(status, message, fields = {}, detail = null) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields; // "training.learning_rate" → message, for 422s
    this.detail = detail; // the body's detail as sent: a 422's items (loc, msg; a CSV's ctx line, column)
  }
}

/**
 * A readable message and per-field messages from an error body {detail}.
 * @param {number} status
 * @param {unknown} body
 * @returns {{message: string, fields: Record<string, string>}}
 */
export function errorMessage(status, body) {
  const detail = /** @type {{detail?: unknown} | null | undefined} */ (body)?.detail;
  if (Array.isArray(detail)) {
    /** @type {Record<string, string>} */
    const fields = {};
    const lines = detail.map((/** @type {DetailItem} */ d) => {
      const loc = (d.loc ?? []).filter((p) => p !== "body");
      const path = loc.join(".");
      if (path && !(path in fields)) fields[path] = /** @type {string} */ (d.msg);
      return path && !String(d.msg).startsWith(path) ? `${path}: ${d.msg}` : String(d.msg);
    });
    return { message: lines.join("; "), fields };
  }
  if (typeof detail === "string") return { message: detail, fields: {} };
  return { message: `the server answered ${status}`, fields: {} };
}

// A server started with a token wants it on every change (POST, PATCH, DELETE) and stream.
/** @type {string | null} */
let token = null;

/**
 * Use `value` (or none, with null) as the server's token from now on.
 * @param {string | null | undefined} value
 */
export function setToken(value) {
  token = value || null;
}

const TOKEN_HELP = "this server needs its token: open the page as …/#token=<the token>";

// A job's key (from its creation or fork) controls it: sent as X-Job-Key on its changes.
/** @type {(id: string) => string | null | undefined} */
let keyOf = () => null;

/**
 * Where the control requests find a job's key from now on: `fn(id)` → key or null.
 * @param {((id: string) => string | null | undefined) | null | undefined} fn
 */
export function setKeys(fn) {
  keyOf = fn ?? (() => null);
}

/**
 * `method` `path` with `body` as JSON (and job `jobId`'s key): the answer's JSON body.
 * @param {string} method
 * @param {string} path
 * @param {unknown} [body]
 * @param {string | null} [jobId]
 * @param {AbortSignal} [signal]
 * @returns {Promise<any>} the body as the route answers it (the api methods name its type)
 */
async function request(method, path, body, jobId = null, signal = undefined) {
  /** @type {Record<string, string>} */
  const headers = {};
  /** @type {RequestInit & {headers: Record<string, string>}} */
  const init = { method, headers, signal };
  if (token && method !== "GET") init.headers.authorization = `Bearer ${token}`;
  const key = jobId === null ? null : keyOf(jobId);
  if (key) init.headers["x-job-key"] = key;
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, `cannot reach the server (${/** @type {Error} */ (err).message})`);
  }
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (response.status === 401) throw new ApiError(401, `${TOKEN_HELP} (${data?.detail ?? "refused"})`);
  if (!response.ok) {
    const { message, fields } = errorMessage(response.status, data);
    throw new ApiError(response.status, message, fields, data?.detail ?? null);
  }
  return data;
}

/**
 * GET `path` → its body as an ArrayBuffer (the binary forms of complete arrays).
 * @param {string} path
 * @returns {Promise<ArrayBuffer>}
 */
async function bytes(path) {
  let response;
  try {
    response = await fetch(path);
  } catch (err) {
    throw new ApiError(0, `cannot reach the server (${/** @type {Error} */ (err).message})`);
  }
  if (!response.ok) throw new ApiError(response.status, `the server answered ${response.status}`);
  return response.arrayBuffer();
}

const enc = encodeURIComponent;
/** @param {string} id @param {string} [rest] */
const job = (id, rest = "") => `/api/jobs/${enc(id)}${rest}`;
/** A change to job `id`: carries its key. */
/** @param {string} method @param {string} id @param {string} rest @param {unknown} [body] @returns {Promise<JobView>} */
const control = (method, id, rest, body) => request(method, job(id, rest), body, id);

export const api = {
  /** @returns {Promise<Options>} */
  options: () => request("GET", "/api/options"),
  /** @returns {Promise<JobView[]>} */
  jobs: () => request("GET", "/api/jobs"),
  /** @param {string} id @returns {Promise<JobView>} */
  job: (id) => request("GET", job(id)),
  /**
   * What a CSV file gives: its columns, first rows, roles and encoding (nothing stored).
   * @param {import("./types.js").CsvDatasetSpec & {seed?: number}} body
   * @returns {Promise<import("./types.js").CsvPreview>}
   */
  csv: (body) => request("POST", "/api/csv", body),
  /** The form's setup without storing a job: {spec, weights, dataset}. @param {Spec} spec @returns {Promise<Preview>} */
  preview: (spec) => request("POST", "/api/preview", spec),
  /** A new job: its view and its key. @param {Spec} spec @returns {Promise<JobCreated>} */
  create: (spec) => request("POST", "/api/jobs", spec),
  /**
   * A paused copy of a job, at iteration 0 from its current weights: its view and its key.
   * @param {string} id
   * @returns {Promise<JobCreated>}
   */
  fork: (id) => request("POST", job(id, "/fork")),
  /** @param {string} id */
  remove: (id) => control("DELETE", id, ""),
  /** @param {string} id */
  pause: (id) => control("POST", id, "/pause"),
  /** @param {string} id */
  resume: (id) => control("POST", id, "/resume"),
  /** @param {string} id */
  stop: (id) => control("POST", id, "/stop"),
  /** @param {string} id */
  reset: (id) => control("POST", id, "/reset"),
  /** @param {string} id @param {{iterations?: number, epochs?: number, phases?: number} | null | undefined} amount */
  step: (id, amount) => control("POST", id, "/step", amount),
  /** @param {string} id @param {Record<string, unknown>} changes */
  configure: (id, changes) => control("PATCH", id, "", changes),
  /** @param {string} id @returns {Promise<WeightsView>} */
  weights: (id) => request("GET", job(id, "/weights")),
  /** Every weight of a network, however wide, in the binary form (binaryArrays.js reads it). */
  /** @param {string} id */
  weightsComplete: (id) => bytes(job(id, "/weights?format=f64")),
  /**
   * One element of W^(layer+1) set by hand: {layer, row, column, value}; answers the job's view.
   * @param {string} id
   * @param {{layer: number, row: number, column: number, value: number}} change
   */
  editWeight: (id, change) => control("PATCH", id, "/weights", change),
  /**
   * A registry set's rows (GET /api/datasets/{name}), e.g. for its thumbnail.
   * @param {string} name
   * @param {unknown} [query]  the query string, without its ?
   * @returns {Promise<DatasetSummary>}
   */
  dataset: (name, query = "") => request("GET", `/api/datasets/${enc(name)}${query ? `?${query}` : ""}`),
  /**
   * The full frame of iteration `iteration` (the last one when omitted).
   * @param {string} id
   * @param {number | null} [iteration]
   * @returns {Promise<import("./types.js").Frame>}
   */
  trace: (id, iteration = null) => request("GET", job(id, iteration === null ? "/trace" : `/trace?iteration=${iteration}`)),
  /** @param {string} id @returns {Promise<LossHistory>} */
  history: (id) => request("GET", job(id, "/history")),
  /** The exact losses of iterations from…to: {from, to, loss}. @param {string} id @param {number} from @param {number} to @returns {Promise<ExactLosses>} */
  losses: (id, from, to) => request("GET", job(id, `/history?from=${from}&to=${to}`)),
  /** @param {string} id @param {number[][]} inputs @returns {Promise<{outputs: Matrix}>} */
  predict: (id, inputs) => request("POST", job(id, "/predict"), { inputs }),
  /**
   * The loss over a grid of two parameters ("L,j,i" each) ± span, and their path so far.
   * @param {string} id
   * @param {string} a
   * @param {string} b
   * @param {number} span
   * @param {number} grid
   * @param {AbortSignal} [signal]
   * @returns {Promise<Landscape>}
   */
  landscape: (id, a, b, span, grid, signal) =>
    request("GET", job(id, `/landscape?a=${enc(a)}&b=${enc(b)}&span=${span}&grid=${grid}`), undefined, null, signal),
};

/**
 * ws:// or wss:// URL of a job's stream on this page's host.
 * @param {string} id
 * @param {{protocol: string, host: string}} [location]
 * @param {string | null} [key]
 * @returns {string}
 */
export function streamUrl(id, location = globalThis.location, key = token) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = key ? `?token=${enc(key)}` : "";
  return `${scheme}//${location.host}/api/jobs/${enc(id)}/stream${query}`;
}

const GONE = [4401, 4403, 4404, 4410]; // no token / a foreign origin or host / no such job / deleted

/**
 * Delay before reconnect attempt `n` (0-based): 250 ms doubling to 5 s.
 * @param {number} n
 * @returns {number}
 */
export function backoff(n) {
  return Math.min(5000, 250 * 2 ** n);
}

/**
 * Follow a job's stream: onMessage(decoded) for each message, onState("connecting" | "open" |
 * "closed" | "gone") as the socket changes. Reconnects with back-off until close() is called or
 * the server says the job does not exist (4404), was deleted (4410) or wants a token (4401); a refused
 * viewer (4429, too many) retries with the back-off.
 * @param {string} id
 * @param {StreamHandlers} handlers
 * @returns {Stream}
 */
export function openStream(id, { onMessage, onState, configure }) {
  /** @type {WebSocket | null} */
  let socket = null;
  let attempts = 0;
  let closed = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer = undefined;
  let settings = configure ?? null;

  /** @param {Record<string, unknown>} msg */
  const send = (msg) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify(msg));
  };

  const connect = () => {
    if (closed) return;
    onState("connecting");
    socket = new WebSocket(streamUrl(id));
    socket.onopen = () => {
      attempts = 0;
      onState("open");
      if (settings) send({ type: "configure", ...settings });
    };
    socket.onmessage = (event) => {
      let msg;
      try {
        msg = decode(event.data);
      } catch (err) {
        onMessage({ type: "error", message: `unreadable stream message: ${/** @type {Error} */ (err).message}` });
        return;
      }
      onMessage(msg);
    };
    socket.onclose = (event) => {
      socket = null;
      if (closed) return;
      if (GONE.includes(event.code)) {
        if (event.code === 4401) onMessage({ type: "error", message: TOKEN_HELP });
        onState("gone");
        return;
      }
      onState("closed");
      timer = setTimeout(connect, backoff(attempts++));
    };
  };
  connect();

  return {
    configure(next) {
      settings = { ...(settings ?? {}), ...next };
      send({ type: "configure", ...settings });
    },
    close() {
      closed = true;
      clearTimeout(timer);
      if (socket) socket.close(1000);
      socket = null;
    },
  };
}
