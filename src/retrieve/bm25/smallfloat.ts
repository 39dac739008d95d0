/**
 * Lucene's lossy one-byte encoding of document lengths ("norms"), ported from Lucene 8.7's
 * `org.apache.lucene.util.SmallFloat` (`longToInt4`, `int4ToLong`, `intToByte4`, `byte4ToInt`).
 * Lengths below 24 are exact; larger lengths keep 4 significant bits, so BM25 sees, say, a
 * 100-term document as 96 terms long. Matching Lucene's scores requires the same loss.
 */
import { ShortlistError } from '../../core/errors.ts';

/** Float-like encoding of a non-negative integer that keeps its 4 most significant bits (Lucene `longToInt4`). */
export function longToInt4(i: number): number {
  const numBits = 32 - Math.clz32(i); // inputs here stay below 2^31
  if (numBits < 4) return i; // subnormal value
  const shift = numBits - 4;
  let encoded = (i >>> shift) & 0x07; // drop the implicit most significant bit
  encoded |= (shift + 1) << 3; // 0 is reserved for subnormal values
  return encoded;
}

/** Inverse of {@link longToInt4} (Lucene `int4ToLong`). */
export function int4ToLong(i: number): number {
  const bits = i & 0x07;
  const shift = (i >>> 3) - 1;
  return shift === -1 ? bits : (bits | 0x08) * 2 ** shift;
}

const MAX_INT4 = longToInt4(0x7fffffff); // 231
/** Lengths below this value are stored exactly (Lucene `NUM_FREE_VALUES`, 24). */
export const NUM_FREE_VALUES = 255 - MAX_INT4;

/** A document length → its norm byte, 0–255 (Lucene `SmallFloat.intToByte4`). */
export function intToByte4(i: number): number {
  if (!Number.isInteger(i) || i < 0 || i > 0x7fffffff) {
    throw new ShortlistError('INVALID_ARGUMENT', `a document length must be an integer in [0, 2^31 - 1], got ${i}`);
  }
  return i < NUM_FREE_VALUES ? i : NUM_FREE_VALUES + longToInt4(i - NUM_FREE_VALUES);
}

/** A norm byte (0–255) → the document length BM25 uses (Lucene `SmallFloat.byte4ToInt`). */
export function byte4ToInt(b: number): number {
  const i = b & 0xff;
  return i < NUM_FREE_VALUES ? i : NUM_FREE_VALUES + int4ToLong(i - NUM_FREE_VALUES);
}

/** The decoded length of every norm byte (Lucene `BM25Similarity.LENGTH_TABLE`), as float32. */
export const LENGTH_TABLE: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let i = 0; i < 256; i++) table[i] = byte4ToInt(i);
  return table;
})();

/** Norm bytes for exact document lengths: `intToByte4` applied to each. */
export function encodeNorms(lengths: Uint32Array): Uint8Array {
  const norms = new Uint8Array(lengths.length);
  for (let i = 0; i < lengths.length; i++) norms[i] = intToByte4(lengths[i]);
  return norms;
}
