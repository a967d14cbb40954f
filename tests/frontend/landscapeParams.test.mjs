import { test } from "node:test";
import assert from "node:assert/strict";
import { defaultPair, inNetwork, paramKey, paramName, parameters, parseParam } from "../../frontend/js/landscapeParams.js";

// W^1 (2, 1 + 2) and W^2 (1, 1 + 2): a 2-2-1 network
const weights = [[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]], [[0.7, 0.8, 0.9]]];

test("every parameter, layer by layer and row by row, the bias first; a limit for wide networks", () => {
  const all = parameters(weights);
  assert.equal(all.length, 9);
  assert.deepEqual(all[0], { layer: 0, row: 0, column: 0 });
  assert.deepEqual(all[3], { layer: 0, row: 1, column: 0 });
  assert.deepEqual(all[8], { layer: 1, row: 0, column: 2 });
  assert.equal(parameters(weights, 4).length, 4);
  assert.deepEqual(parameters(null), []);
});

test("the endpoint's L,j,i form and back; anything else is refused", () => {
  assert.equal(paramKey({ layer: 1, row: 0, column: 2 }), "1,0,2");
  assert.deepEqual(parseParam("1, 0,2"), { layer: 1, row: 0, column: 2 });
  for (const bad of ["1,0", "1,0,2,3", "-1,0,0", "a,b,c", "1.5,0,0", ""]) assert.equal(parseParam(bad), null, bad);
});

test("names as the article writes them: w_{j,m} of W^i, the bias b_j", () => {
  assert.equal(paramName({ layer: 0, row: 1, column: 2 }), "w₂,₂ of W¹");
  assert.equal(paramName({ layer: 1, row: 0, column: 0 }), "bias b₁ of W²");
});

test("in the network or not; the default pair is two weights into the last layer's first neuron", () => {
  assert.equal(inNetwork(weights, { layer: 1, row: 0, column: 2 }), true);
  assert.equal(inNetwork(weights, { layer: 1, row: 1, column: 0 }), false);
  assert.equal(inNetwork(weights, { layer: 2, row: 0, column: 0 }), false);
  assert.equal(inNetwork(null, { layer: 0, row: 0, column: 0 }), false);
  assert.deepEqual(defaultPair(weights), [{ layer: 1, row: 0, column: 1 }, { layer: 1, row: 0, column: 2 }]);
  assert.deepEqual(defaultPair([[[0.5, 1]]]), [{ layer: 0, row: 0, column: 0 }, { layer: 0, row: 0, column: 1 }]);
  assert.equal(defaultPair([]), null);
  assert.equal(defaultPair(null), null);
});
