/**
 * Reciprocal Rank Fusion: Cormack, Clarke & Büttcher, "Reciprocal Rank Fusion outperforms
 * Condorcet and individual Rank Learning Methods", SIGIR 2009 (doi:10.1145/1571941.1572114).
 *
 *   RRF(d) = Σ_i w_i / (k + rank_i(d)),  rank 1-based; a list that did not return d adds nothing.
 *
 * The paper uses k = 60 and w_i = 1; per-list weights are the common "weighted RRF" extension
 * (w_i = 1 gives the paper's formula exactly). Scores of the input lists are ignored except for
 * the checks in `checkLists` and the trace.
 */
import { compareHits } from '../core/types.ts';
import { checkLists, checkWeights, fusedEntry, invalid, type FusedHit, type RankedList } from './types.ts';

/** Options of {@link rrf}. */
export interface RrfOptions {
  /**
   * The rank constant: larger k flattens the curve, so deep ranks count nearly as much as top
   * ones; smaller k lets each list's top hits dominate. Must be finite and >= 0.
   * @default 60 (the paper)
   */
  k?: number;
  /** One weight per list, multiplying its 1/(k + rank) terms; finite and >= 0. @default 1 for every list */
  weights?: readonly number[];
}

/** Fuses ranked lists (each best first) by Reciprocal Rank Fusion; the result is sorted by `compareHits`. */
export function rrf(lists: readonly RankedList[], options: RrfOptions = {}): FusedHit[] {
  const k = options.k ?? 60;
  if (typeof k !== 'number' || !Number.isFinite(k) || k < 0)
    throw invalid(`rrf: k is ${k}; k must be a finite number >= 0 (the paper uses 60)`);
  checkLists(lists, 'rrf');
  const weights = options.weights ?? lists.map(() => 1);
  checkWeights(weights, lists.length, 'rrf');

  const byId = new Map<string, FusedHit>();
  lists.forEach((list, l) => {
    list.forEach((hit, i) => {
      const fused = fusedEntry(byId, hit.id, lists.length);
      const rank = i + 1;
      fused.score += weights[l] / (k + rank);
      fused.sources[l] = { rank, score: hit.score };
    });
  });
  return [...byId.values()].sort(compareHits);
}
