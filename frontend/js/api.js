// The server's REST API and a job's WebSocket stream, with reconnection.

import { decode } from "./store.js";

/** An HTTP error with the server's message: 422 field errors become "field: message". */
export class ApiError extends Error {
  constructor(status, message, fields = {}) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.fields = fields; // "training.learning_rate" → message, for 422s
  }
}

/** A readable message and per-field messages from an error body {detail}. */
export function errorMessage(status, body) {
  const detail = body?.detail;
  if (Array.isArray(detail)) {
    const fields = {};
    const lines = detail.map((d) => {
      const loc = (d.loc ?? []).filter((p) => p !== "body");
      const path = loc.join(".");
      if (path && !(path in fields)) fields[path] = d.msg;
      return path && !String(d.msg).startsWith(path) ? `${path}: ${d.msg}` : String(d.msg);
    });
    return { message: lines.join("; "), fields };
  }
  if (typeof detail === "string") return { message: detail, fields: {} };
  return { message: `the server answered ${status}`, fields: {} };
}

// A server started with a token wants it on every change (POST, PATCH, DELETE) and stream.
let token = null;

/** Use `value` (or none, with null) as the server's token from now on. */
export function setToken(value) {
  token = value || null;
}

const TOKEN_HELP = "this server needs its token: open the page as …/#token=<the token>";

async function request(method, path, body) {
  const init = { method, headers: {} };
  if (token && method !== "GET") init.headers.authorization = `Bearer ${token}`;
  if (body !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, `cannot reach the server (${err.message})`);
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
    throw new ApiError(response.status, message, fields);
  }
  return data;
}

const enc = encodeURIComponent;

export const api = {
  options: () => request("GET", "/api/options"),
  jobs: () => request("GET", "/api/jobs"),
  job: (id) => request("GET", `/api/jobs/${enc(id)}`),
  create: (spec) => request("POST", "/api/jobs", spec),
  remove: (id) => request("DELETE", `/api/jobs/${enc(id)}`),
  pause: (id) => request("POST", `/api/jobs/${enc(id)}/pause`),
  resume: (id) => request("POST", `/api/jobs/${enc(id)}/resume`),
  stop: (id) => request("POST", `/api/jobs/${enc(id)}/stop`),
  reset: (id) => request("POST", `/api/jobs/${enc(id)}/reset`),
  step: (id, amount) => request("POST", `/api/jobs/${enc(id)}/step`, amount),
  configure: (id, changes) => request("PATCH", `/api/jobs/${enc(id)}`, changes),
  weights: (id) => request("GET", `/api/jobs/${enc(id)}/weights`),
  trace: (id) => request("GET", `/api/jobs/${enc(id)}/trace`),
  history: (id) => request("GET", `/api/jobs/${enc(id)}/history`),
  predict: (id, inputs) => request("POST", `/api/jobs/${enc(id)}/predict`, { inputs }),
};

/** ws:// or wss:// URL of a job's stream on this page's host. */
export function streamUrl(id, location = globalThis.location, key = token) {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  const query = key ? `?token=${enc(key)}` : "";
  return `${scheme}//${location.host}/api/jobs/${enc(id)}/stream${query}`;
}

const GONE = [4401, 4404, 4410]; // no token / no such job / the job was deleted

/** Delay before reconnect attempt `n` (0-based): 250 ms doubling to 5 s. */
export function backoff(n) {
  return Math.min(5000, 250 * 2 ** n);
}

/**
 * Follow a job's stream: onMessage(decoded) for each message, onState("connecting" | "open" |
 * "closed" | "gone") as the socket changes. Reconnects with back-off until close() is called or
 * the server says the job does not exist (4404), was deleted (4410) or wants a token (4401); a refused
 * viewer (4429, too many) retries with the back-off.
 */
export function openStream(id, { onMessage, onState, configure }) {
  let socket = null;
  let attempts = 0;
  let closed = false;
  let timer = null;
  let settings = configure ?? null;

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
        onMessage({ type: "error", message: `unreadable stream message: ${err.message}` });
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
