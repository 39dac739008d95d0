/**
 * Checks on input texts, and the packing of token sequences into one right-padded batch for the
 * ONNX session.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { BatchFeeds } from '../onnx/session.ts';

/** One encoded sequence with special tokens: ids and segment ids (0 first text, 1 second). */
export interface TokenSequence {
  ids: number[];
  typeIds?: number[];
  /** Per-position attention (1 attend, 0 not); all ones when absent. */
  attention?: number[];
}

/** Pack sequences (by index into `seqs`) into padded `[batch, length]` feeds. */
export function packBatch(seqs: readonly TokenSequence[], indices: readonly number[], length: number, padId: number): BatchFeeds {
  const batch = indices.length;
  const inputIds = new BigInt64Array(batch * length).fill(BigInt(padId));
  const attentionMask = new BigInt64Array(batch * length);
  const tokenTypeIds = new BigInt64Array(batch * length);
  indices.forEach((index, row) => {
    const seq = seqs[index];
    const off = row * length;
    for (let t = 0; t < seq.ids.length; t++) {
      inputIds[off + t] = BigInt(seq.ids[t]);
      attentionMask[off + t] = BigInt(seq.attention ? seq.attention[t] : 1);
      if (seq.typeIds) tokenTypeIds[off + t] = BigInt(seq.typeIds[t]);
    }
  });
  return { batch, length, inputIds, attentionMask, tokenTypeIds };
}

/** Empty or blank texts are an error naming the index. */
export function checkTexts(texts: readonly string[], model: string, what = 'text'): void {
  texts.forEach((text, i) => {
    if (typeof text !== 'string' || text.trim() === '') {
      throw new ShortlistError('INVALID_INPUT', `${model}: ${what} ${i} is empty; every ${what} needs at least one non-space character`, {
        location: { field: `${what}s[${i}]` },
      });
    }
  });
}
