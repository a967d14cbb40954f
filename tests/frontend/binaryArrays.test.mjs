import { test } from "node:test";
import assert from "node:assert/strict";
import { decodeArrays, weightsOf } from "../../frontend/js/binaryArrays.js";

/** Bytes in the protocol's binary form, written out by hand (docs/protocol.md). */
function encode(arrays, dtype = "<f8") {
  const header = { iteration: 7, dtype, arrays: arrays.map(([name, rows]) => ({ name, shape: [rows.length, rows[0].length] })) };
  let json = JSON.stringify(header);
  while ((4 + json.length) % 8) json += " ";
  const Kind = dtype === "<f4" ? Float32Array : Float64Array;
  const values = arrays.flatMap(([, rows]) => rows.flat());
  const out = new ArrayBuffer(4 + json.length + values.length * Kind.BYTES_PER_ELEMENT);
  new DataView(out).setUint32(0, json.length, true);
  new Uint8Array(out, 4, json.length).set(new TextEncoder().encode(json));
  new Kind(out, 4 + json.length).set(values);
  return out;
}

test("the binary form's arrays come back row by row, in the header's order", () => {
  const W1 = [[0.1, -0.2, 0.3], [1e-300, 5, -6]];
  const W2 = [[7, 8, 9]];
  const decoded = decodeArrays(encode([["layers.0", W1], ["layers.1", W2]]));
  assert.equal(decoded.header.iteration, 7);
  const W = weightsOf(decoded);
  assert.equal(W.length, 2);
  assert.deepEqual(W.map((w) => w.map((row) => [...row])), [W1, W2]);
});

test("float32 bodies decode as float32", () => {
  const W = weightsOf(decodeArrays(encode([["layers.0", [[0.5, 0.25]]]], "<f4")));
  assert.ok(W[0][0] instanceof Float32Array);
  assert.deepEqual([...W[0][0]], [0.5, 0.25]);
});
