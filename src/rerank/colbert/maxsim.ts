/**
 * Late-interaction scoring: for every query token vector, the best dot product with any document
 * token vector, summed over the query tokens.
 * Khattab & Zaharia, "ColBERT: Efficient and Effective Passage Search via Contextualized Late
 * Interaction over BERT", SIGIR 2020, §3.3.
 */
import { ShortlistError } from '../../core/errors.ts';

/**
 * MaxSim of a query matrix `[queryTokens, dims]` and a document matrix `[docTokens, dims]`, both
 * row-major. A document with no token vectors scores 0.
 */
export function maxSim(queryMatrix: Float32Array, docMatrix: Float32Array, dims: number): number {
  if (!Number.isInteger(dims) || dims < 1 || queryMatrix.length % dims !== 0 || docMatrix.length % dims !== 0) {
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `maxSim: matrix lengths ${queryMatrix.length} and ${docMatrix.length} are not multiples of dims ${dims}`,
    );
  }
  const queryTokens = queryMatrix.length / dims;
  const docTokens = docMatrix.length / dims;
  if (docTokens === 0) return 0;
  let total = 0;
  for (let q = 0; q < queryTokens; q++) {
    const qOff = q * dims;
    let best = -Infinity;
    for (let d = 0; d < docTokens; d++) {
      const dOff = d * dims;
      let sum = 0;
      for (let j = 0; j < dims; j++) sum += queryMatrix[qOff + j] * docMatrix[dOff + j];
      if (sum > best) best = sum;
    }
    total += best;
  }
  return total;
}
