/**
 * Useful FLOPs of a BERT encoder on unpadded sequences: only the matrix products a model of this
 * shape must do for the real tokens (padding, LayerNorm, softmax, GELU and embedding lookups excluded).
 *
 * Per sequence of T tokens, with L layers, hidden H, feed-forward size I:
 *   dense:      2 · T · (4·H² + 2·H·I)     per layer (Q, K, V, attention output: 4·H²; FFN in and out: 2·H·I;
 *                                          2 FLOPs per multiply-add, i.e. 2 · matmul params per token)
 *   attention:  4 · T² · H                 per layer (Q·Kᵀ: 2·T²·H over all heads, weights·V: 2·T²·H)
 *   head:       classifier 2·(H² + H·labels) once per sequence (pooler on [CLS], then the logit); encoder 0
 *   total = L · (2·T·(4H² + 2HI) + 4·T²·H) + head
 */
import type { BertShape } from '../../scripts/models/shapes.ts';

/** Useful FLOPs for sequences of the given (unpadded) token lengths. */
export function usefulFlops(shape: BertShape, lengths: readonly number[], head: 'encoder' | 'classifier', labels = 1): number {
  const { layers: L, hidden: H, intermediate: I } = shape;
  const perTokenDense = 2 * (4 * H * H + 2 * H * I);
  const headFlops = head === 'classifier' ? 2 * (H * H + H * labels) : 0;
  let total = 0;
  for (const T of lengths) total += L * (T * perTokenDense + 4 * T * T * H) + headFlops;
  return total;
}

/** FLOPs of one [m,k]×[k,n] MatMul. */
export function matmulFlops(m: number, k: number, n: number): number {
  return 2 * m * k * n;
}
