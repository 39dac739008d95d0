/** What every reranker shares, local or hosted: the text it reads for a candidate, the top-k cut, the abort check. */
import { compareHits, type Candidate, type Hit } from './types.ts';
import { ShortlistError } from './errors.ts';

/** The text a reranker reads for a candidate. */
export function candidateText(c: Candidate, includeTitle: boolean): string {
  return includeTitle && c.title ? `${c.title}\n${c.text}` : c.text;
}

/** Hits for candidates with new scores, sorted by {@link compareHits}, cut to `k`. */
export function topHits(candidates: readonly Candidate[], scores: readonly number[], k: number): Hit[] {
  if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
  return candidates
    .map((c, i) => ({ id: c.id, score: scores[i] }))
    .sort(compareHits)
    .slice(0, k);
}

/** Throw ABORTED when the signal fired. */
export function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new ShortlistError('ABORTED', 'rerank was aborted', { cause: signal.reason });
}
