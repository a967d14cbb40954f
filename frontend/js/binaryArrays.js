// @ts-check
// The server's binary form of complete arrays (GET /weights?format=f64 or f32, docs/protocol.md):
// a 4-byte little-endian header length, the JSON header, then each array's values row by row.
// Pure: bytes in, arrays out.

/** @typedef {Float64Array | Float32Array} Row  one row of an array, a view on the bytes */
/** @typedef {{dtype: string, arrays: {name: string, shape: number[]}[]}} ArraysHeader  the JSON header */
/** @typedef {{header: ArraysHeader, arrays: Record<string, Row[]>}} DecodedArrays */

/**
 * {header, arrays: name → rows (Float64Array or Float32Array views)} of an ArrayBuffer.
 * @param {ArrayBuffer} buffer
 * @returns {DecodedArrays}
 */
export function decodeArrays(buffer) {
  const view = new DataView(buffer);
  const n = view.getUint32(0, true);
  /** @type {ArraysHeader} */
  const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
  const Kind = header.dtype === "<f4" ? Float32Array : Float64Array;
  let offset = 4 + n;
  /** @type {Record<string, Row[]>} */
  const arrays = {};
  for (const { name, shape } of header.arrays) {
    const [rows, cols = 1] = shape;
    const data = new Kind(buffer.slice(offset, offset + rows * cols * Kind.BYTES_PER_ELEMENT));
    arrays[name] = Array.from({ length: rows }, (_, j) => data.subarray(j * cols, (j + 1) * cols));
    offset += data.byteLength;
  }
  return { header, arrays };
}

/**
 * W^1 … W^L of a decoded /weights answer (arrays `layers.0`, `layers.1`, …): each (n_i, 1 + n_{i−1}).
 * @param {{arrays: Record<string, Row[]>}} decoded
 * @returns {Row[][]}
 */
export function weightsOf({ arrays }) {
  const out = [];
  for (let l = 0; `layers.${l}` in arrays; l++) out.push(arrays[`layers.${l}`]);
  return out;
}
