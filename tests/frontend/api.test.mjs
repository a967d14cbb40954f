import { test } from "node:test";
import assert from "node:assert/strict";
import { ApiError, api, setKeys, setToken } from "../../frontend/js/api.js";

/** Replace fetch with one that records each request and answers `status` with `body`. */
function fakeFetch(status = 200, body = {}) {
  const seen = [];
  globalThis.fetch = async (path, init) => {
    seen.push({ path, method: init.method, headers: init.headers, body: init.body });
    return { status, ok: status < 400, text: async () => JSON.stringify(body) };
  };
  return seen;
}

test("every change of a job carries its key; reads, creates and forks do not", async () => {
  const seen = fakeFetch();
  setKeys((id) => (id === "mine" ? "secret" : null));
  await api.pause("mine");
  await api.resume("mine");
  await api.stop("mine");
  await api.reset("mine");
  await api.step("mine", { iterations: 1 });
  await api.configure("mine", { learning_rate: 0.1 });
  await api.remove("mine");
  assert.deepEqual(seen.map((r) => r.headers["x-job-key"]), Array(7).fill("secret"));
  assert.deepEqual(seen.map((r) => `${r.method} ${r.path}`), [
    "POST /api/jobs/mine/pause", "POST /api/jobs/mine/resume", "POST /api/jobs/mine/stop",
    "POST /api/jobs/mine/reset", "POST /api/jobs/mine/step", "PATCH /api/jobs/mine", "DELETE /api/jobs/mine",
  ]);
  seen.length = 0;
  await api.pause("theirs"); // no key known: sent without one (the server refuses it)
  await api.trace("mine", 5);
  await api.losses("mine", 3, 9);
  await api.fork("mine");
  await api.create({});
  await api.preview({});
  assert.ok(seen.every((r) => !("x-job-key" in r.headers)));
  assert.deepEqual(seen.map((r) => `${r.method} ${r.path}`).slice(1), [
    "GET /api/jobs/mine/trace?iteration=5", "GET /api/jobs/mine/history?from=3&to=9", "POST /api/jobs/mine/fork",
    "POST /api/jobs", "POST /api/preview",
  ]);
  setKeys(null);
});

test("the token goes with changes, not with reads", async () => {
  const seen = fakeFetch();
  setToken("t0k");
  await api.preview({});
  await api.trace("x");
  setToken(null);
  assert.equal(seen[0].headers.authorization, "Bearer t0k");
  assert.equal(seen[1].headers.authorization, undefined);
  assert.equal(seen[1].path, "/api/jobs/x/trace");
});

test("a refusal becomes an ApiError with the server's message", async () => {
  fakeFetch(403, { detail: "this job is not yours: fork it (POST /api/jobs/x/fork) to train your own copy" });
  await assert.rejects(api.pause("x"), (err) => err instanceof ApiError && err.status === 403 && /fork it/.test(err.message));
  fakeFetch(429, { detail: "the store holds 200 jobs (max_jobs)" });
  await assert.rejects(api.create({}), (err) => err.status === 429 && err.message === "the store holds 200 jobs (max_jobs)");
});
