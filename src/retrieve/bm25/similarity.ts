/**
 * The BM25 scoring kernel, equal to Lucene 8.7's `BM25Similarity` (as Anserini runs it) down to its
 * float32 arithmetic: Robertson et al., "Okapi at TREC-3" (1994), without the (k1 + 1) numerator
 * factor Lucene dropped in 8.0 (LUCENE-8563), which does not change rankings.
 *
 *   score(q, d) = Σ_t boost_t · idf_t · tf / (tf + k1 · (1 − b + b · dl / avgdl))
 *   idf_t       = ln(1 + (N − df + 0.5) / (df + 0.5)),  N = docs with ≥ 1 term, avgdl = Σ dl / N
 *
 * dl is the lossy one-byte norm (see `smallfloat.ts`). Lucene evaluates the tf part as
 * `weight − weight / (1 + tf · cache[norm])` with `cache[i] = 1 / (k1 · ((1 − b) + b · L[i] / avgdl))`,
 * every step rounded to float32, and sums the clauses of a query in double before one final
 * float32 rounding; the functions below do the same.
 */
import { ShortlistError } from '../../core/errors.ts';
import { LENGTH_TABLE } from './smallfloat.ts';

const f = Math.fround;

/** BM25 parameters. */
export interface Bm25Params {
  /** Term-frequency saturation: higher lets repeated terms count longer. @default 0.9 (Anserini) */
  k1?: number;
  /** Length normalisation, 0 (none) to 1 (full). @default 0.4 (Anserini) */
  b?: number;
}

/** Anserini's BM25 defaults, used when a search names no parameters. */
export const BM25_DEFAULTS = Object.freeze({ k1: 0.9, b: 0.4 } as const satisfies Required<Bm25Params>);

/** Lucene's idf, `(float) ln(1 + (docCount − docFreq + 0.5) / (docFreq + 0.5))`, computed in double then rounded. */
export function idf(docFreq: number, docCount: number): number {
  return f(Math.log(1 + (docCount - docFreq + 0.5) / (docFreq + 0.5)));
}

/** Lucene's average field length, `(float) (sumTotalTermFreq / (double) docCount)`. */
export function avgFieldLength(sumTotalTermFreq: number, docCount: number): number {
  return docCount > 0 ? f(sumTotalTermFreq / docCount) : 1;
}

/** A term's weight, `boost · idf` in float32; `boost` is how often the term occurs in the query. */
export function termWeight(boost: number, termIdf: number): number {
  return f(f(boost) * termIdf);
}

/** Lucene's 256-entry cache `1 / (k1 · ((1 − b) + b · LENGTH_TABLE[i] / avgdl))`, in float32. */
export function normInverseCache(k1: number, b: number, avgdl: number): Float32Array {
  const k1f = f(k1);
  const bf = f(b);
  const oneMinusB = f(1 - bf);
  const cache = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    cache[i] = f(1 / f(k1f * f(oneMinusB + f(f(bf * LENGTH_TABLE[i]) / avgdl))));
  }
  return cache;
}

/** One term's score in one document: `weight − weight / (1 + tf · normInverse)`, in float32. */
export function termScore(weight: number, tf: number, normInverse: number): number {
  return f(weight - f(weight / f(1 + f(tf * normInverse))));
}

/** Checks k1 and b and fills in the defaults. */
export function resolveParams(params: Bm25Params = {}): Required<Bm25Params> {
  const k1 = params.k1 ?? BM25_DEFAULTS.k1;
  const b = params.b ?? BM25_DEFAULTS.b;
  if (!(Number.isFinite(k1) && k1 >= 0))
    throw new ShortlistError('INVALID_ARGUMENT', `BM25 parameter k1 must be a finite number ≥ 0 (Anserini uses 0.9), got ${k1}`);
  if (!(Number.isFinite(b) && b >= 0 && b <= 1))
    throw new ShortlistError('INVALID_ARGUMENT', `BM25 parameter b must be a number in [0, 1] (Anserini uses 0.4), got ${b}`);
  return { k1, b };
}
