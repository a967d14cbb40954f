import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_KEYS, STORAGE_NAME, createKeyring, memoryStorage } from "../../frontend/js/keys.js";

test("a key set is found again, also by another keyring on the same storage (a reload)", () => {
  const storage = memoryStorage();
  const keys = createKeyring(storage);
  assert.equal(keys.get("job1"), null);
  keys.set("job1", "k1");
  keys.set("job2", "k2");
  const again = createKeyring(storage);
  assert.equal(again.get("job1"), "k1");
  assert.ok(again.has("job2"));
  assert.ok(!again.has("job3"));
  assert.deepEqual(again.ids(), ["job1", "job2"]);
});

test("setting an id again replaces its key; remove forgets it", () => {
  const keys = createKeyring(memoryStorage());
  keys.set("a", "1");
  keys.set("b", "2");
  keys.set("a", "3");
  assert.equal(keys.get("a"), "3");
  assert.deepEqual(keys.ids(), ["b", "a"]);
  keys.remove("a");
  keys.remove("nope");
  assert.equal(keys.get("a"), null);
  assert.deepEqual(keys.ids(), ["b"]);
});

test("empty ids or keys are not stored; numeric-looking ids keep their order", () => {
  const keys = createKeyring(memoryStorage());
  keys.set("", "k");
  keys.set("x", "");
  keys.set("20", "a");
  keys.set("10", "b");
  assert.deepEqual(keys.ids(), ["20", "10"]);
});

test("an unreadable or foreign value in the storage is ignored, not fatal", () => {
  const storage = memoryStorage();
  storage.setItem(STORAGE_NAME, "{not json");
  const keys = createKeyring(storage);
  assert.deepEqual(keys.ids(), []);
  storage.setItem(STORAGE_NAME, JSON.stringify([["ok", "k"], ["bad"], [1, 2], "x"]));
  assert.deepEqual(keys.ids(), ["ok"]);
  keys.set("new", "n");
  assert.deepEqual(JSON.parse(storage.getItem(STORAGE_NAME)), [["ok", "k"], ["new", "n"]]);
});

test("a storage that throws (full, or refused) loses keys but never throws", () => {
  const broken = { getItem() { throw new Error("denied"); }, setItem() { throw new Error("full"); } };
  const keys = createKeyring(broken);
  keys.set("a", "1");
  assert.equal(keys.get("a"), null);
});

test("past MAX_KEYS the oldest keys are forgotten", () => {
  const keys = createKeyring(memoryStorage());
  for (let i = 0; i < MAX_KEYS + 3; i++) keys.set(`job${i}`, `k${i}`);
  assert.equal(keys.ids().length, MAX_KEYS);
  assert.ok(!keys.has("job0") && !keys.has("job2"));
  assert.equal(keys.get(`job${MAX_KEYS + 2}`), `k${MAX_KEYS + 2}`);
});
