/**
 * Embedding quantization as sentence-transformers' `quantize_embeddings` does it
 * (sentence_transformers/quantization.py; Shakir, Aarsen & Lee 2024, "Binary and Scalar Embedding
 * Quantization"):
 *
 * - `int8`: each dimension's range [min, max] over calibration vectors (by default the collection's
 *   own) is cut into 256 steps; a value becomes `round((x − min) / step) − 128`, clamped.
 * - `binary`: one bit per dimension, set when the value is > 0, packed 32 to a word (the bit order
 *   inside a word does not matter for Hamming distance). Not in sentence-transformers: a `centred`
 *   binary structure takes the bits of x − mean (per dimension, over the collection), for rows
 *   and queries alike (see {@link dimensionMeans}).
 */

/** Supported quantizations of the searched vectors (`none`: float32). */
export const QUANTIZATIONS = Object.freeze(['none', 'int8', 'binary'] as const);
/** One of {@link QUANTIZATIONS}. */
export type Quantization = (typeof QUANTIZATIONS)[number];

/** Per-dimension int8 ranges: `start[j]` and `step[j]` (= (max − min) / 255). */
export interface Int8Ranges {
  start: Float32Array;
  step: Float32Array;
}

/** The int8 ranges of the `rows.length / dims` rows of `rows` (a constant dimension gets step 1). */
export function int8Ranges(rows: Float32Array, dims: number): Int8Ranges {
  const lo = new Float32Array(dims).fill(Infinity);
  const hi = new Float32Array(dims).fill(-Infinity);
  for (let o = 0; o < rows.length; o += dims) {
    for (let j = 0; j < dims; j++) {
      const v = rows[o + j];
      if (v < lo[j]) lo[j] = v;
      if (v > hi[j]) hi[j] = v;
    }
  }
  const start = new Float32Array(dims);
  const step = new Float32Array(dims);
  for (let j = 0; j < dims; j++) {
    const empty = !(hi[j] >= lo[j]);
    start[j] = empty ? 0 : lo[j];
    const s = empty ? 0 : (hi[j] - lo[j]) / 255;
    step[j] = s > 0 ? s : 1;
  }
  return { start, step };
}

/** Int8 codes of `rows` with `ranges` (values outside a range are clamped to it). */
export function quantizeInt8(rows: Float32Array, ranges: Int8Ranges, out: Int8Array = new Int8Array(rows.length)): Int8Array {
  const dims = ranges.start.length;
  for (let o = 0; o < rows.length; o += dims) {
    for (let j = 0; j < dims; j++) {
      const c = Math.trunc((rows[o + j] - ranges.start[j]) / ranges.step[j] - 128);
      out[o + j] = c < -128 ? -128 : c > 127 ? 127 : c;
    }
  }
  return out;
}

/** 32-bit words per packed row of `dims` bits. */
export function binaryWords(dims: number): number {
  return Math.ceil(dims / 32);
}

/**
 * Sign bits of `rows` (bit set for x > 0), `binaryWords(dims)` words per row. With `centre`, the
 * bit of component j is set for x − centre[j] > 0 (see {@link dimensionMeans}).
 */
export function quantizeBinary(
  rows: Float32Array,
  dims: number,
  out: Uint32Array = new Uint32Array((rows.length / dims) * binaryWords(dims)),
  centre?: Float32Array,
): Uint32Array {
  const w = binaryWords(dims);
  const n = rows.length / dims;
  for (let i = 0; i < n; i++) {
    const o = i * dims;
    const wo = i * w;
    for (let k = 0; k < w; k++) out[wo + k] = 0;
    for (let j = 0; j < dims; j++) if (rows[o + j] - (centre ? centre[j] : 0) > 0) out[wo + (j >>> 5)] |= 1 << (j & 31);
  }
  return out;
}

/**
 * The mean of every component over the `rows.length / dims` rows of `rows`: the centre a
 * `centred` binary structure subtracts from rows and queries before taking signs. Embeddings of one
 * model share a common direction (anisotropy), which makes most sign bits equal across rows;
 * centring restores them. The shortlist is rescored with float32 vectors, so the centre changes
 * only which rows are shortlisted.
 */
export function dimensionMeans(rows: Float32Array, dims: number): Float32Array {
  const sum = new Float64Array(dims);
  const n = rows.length / dims;
  for (let o = 0; o < rows.length; o += dims) for (let j = 0; j < dims; j++) sum[j] += rows[o + j];
  return Float32Array.from(sum, (x) => (n > 0 ? x / n : 0));
}

/** Bytes one vector of `dims` components takes in the searched structure of `quantization`. */
export function bytesPerVector(quantization: Quantization, dims: number): number {
  return quantization === 'int8' ? dims : quantization === 'binary' ? binaryWords(dims) * 4 : dims * 4;
}
