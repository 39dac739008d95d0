/**
 * Cohere's embedding types, as pure functions over one float vector (the forms the `cohere-ai`
 * client documents for `embedding_types`):
 * - `binary` / `ubinary`: one bit per dimension, 1 where the value is > 0, packed most significant
 *   bit first into bytes (dims / 8 values); `ubinary` as 0..255, `binary` as that byte - 128
 *   (-128..127). Same packing as sentence-transformers' `quantize_embeddings` (`np.packbits`).
 * - `int8` / `uint8`: scalar quantisation of each dimension's range into 256 buckets,
 *   sentence-transformers' formula `(v - start) / step` rounded and clamped, with the range fixed at
 *   [-1, 1] (every component of a unit vector lies in it): `uint8` 0..255, `int8` = that - 128.
 *   Cohere calibrates its own models' ranges and does not publish them, so these bytes are
 *   shortlist's, not Cohere's model output; ranking by their dot product follows the float one.
 * - `base64`: the float32 values, little-endian, base64-encoded.
 */

/** The types a Cohere embed request may ask for. */
export const EMBEDDING_TYPES = Object.freeze(['float', 'int8', 'uint8', 'binary', 'ubinary', 'base64'] as const);

/** One of {@link EMBEDDING_TYPES}. */
export type EmbeddingType = (typeof EMBEDDING_TYPES)[number];

/** The range each dimension is quantised over for int8 / uint8. */
const RANGE_START = -1;
const RANGE_STEP = 2 / 255;

/** `v` scalar-quantised to 0..255 per dimension over [-1, 1]. */
export function toUint8(v: ArrayLike<number>): number[] {
  const out = new Array<number>(v.length);
  for (let i = 0; i < v.length; i++) out[i] = Math.min(255, Math.max(0, Math.round((v[i] - RANGE_START) / RANGE_STEP)));
  return out;
}

/** `v` scalar-quantised to -128..127 per dimension over [-1, 1] (the uint8 bucket - 128). */
export function toInt8(v: ArrayLike<number>): number[] {
  return toUint8(v).map((u) => u - 128);
}

/** One bit per dimension (1 where > 0), packed most significant bit first; 0..255 per byte. A last partial byte is padded with 0 bits. */
export function toUbinary(v: ArrayLike<number>): number[] {
  const out = new Array<number>(Math.ceil(v.length / 8)).fill(0);
  for (let i = 0; i < v.length; i++) if (v[i] > 0) out[i >> 3] |= 0x80 >> (i & 7);
  return out;
}

/** {@link toUbinary} as signed bytes: each byte - 128. */
export function toBinary(v: ArrayLike<number>): number[] {
  return toUbinary(v).map((b) => b - 128);
}

/** The float32 little-endian bytes of `v`, base64-encoded. */
export function toBase64Floats(v: ArrayLike<number>): string {
  const bytes = Buffer.alloc(v.length * 4);
  for (let i = 0; i < v.length; i++) bytes.writeFloatLE(v[i], i * 4);
  return bytes.toString('base64');
}

/** `vectors` in each asked type, keyed by type (the `embeddings` object of Cohere's `embeddings_by_type`). */
export function byType(
  vectors: readonly Float32Array[],
  types: readonly EmbeddingType[],
): Partial<Record<EmbeddingType, number[][] | string[]>> {
  const out: Partial<Record<EmbeddingType, number[][] | string[]>> = {};
  for (const t of types) {
    switch (t) {
      case 'float':
        out.float = vectors.map((v) => Array.from(v));
        break;
      case 'int8':
        out.int8 = vectors.map(toInt8);
        break;
      case 'uint8':
        out.uint8 = vectors.map(toUint8);
        break;
      case 'binary':
        out.binary = vectors.map(toBinary);
        break;
      case 'ubinary':
        out.ubinary = vectors.map(toUbinary);
        break;
      case 'base64':
        out.base64 = vectors.map(toBase64Floats);
        break;
    }
  }
  return out;
}
