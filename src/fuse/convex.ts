/**
 * Convex combination of normalised scores: Bruch, Gai & Ingber, "An Analysis of Fusion Functions
 * for Hybrid Retrieval", ACM TOIS, 2023 (doi:10.1145/3596512; arXiv:2210.11934).
 *
 *   convex(d) = Σ_i ŵ_i · v_i(d),  ŵ_i = w_i / Σ_j w_j  (so the weights always sum to 1)
 *   v_i(d)    = normalize_i(score_i(d)) when list i returned d, else the missing-score policy:
 *     'zero' → 0 (for min-max and DBSF the bottom of the scale; for z-score the list's mean)
 *     'min'  → the lowest normalised score in list i (0 for min-max; an empty list gives 0)
 *     'drop' → d is left out unless every list returned it (an empty list drops everything)
 *
 * Each list is normalised over everything it returned, before any document is dropped. There is
 * no default policy: what a missing score means changes the ranking, so the caller must choose.
 */
import { compareHits } from '../core/types.ts';
import { dbsf, getNormalizer, type NormalizerName } from './normalize.ts';
import { checkLists, checkWeights, fusedEntry, invalid, type FusedHit, type RankedList } from './types.ts';

/** What a document gets from a list that did not return it; see the file header. */
export type MissingPolicy = 'zero' | 'min' | 'drop';

/** Every missing-score policy. */
export const MISSING_POLICIES = Object.freeze(['zero', 'min', 'drop'] as const satisfies readonly MissingPolicy[]);

/** Options of {@link convex}. */
export interface ConvexOptions {
  /** One weight per list (finite, >= 0, not all 0), rescaled to sum to 1. @default equal weights */
  weights?: readonly number[];
  /** How each list's scores are put on one scale before they are combined. */
  normalizer: NormalizerName;
  /** The score a document gets from a list that did not return it. Required: no silent default. */
  missing: MissingPolicy;
  /** DBSF only: clamp normalised scores to [0, 1] (Qdrant does not). @default false */
  clip?: boolean;
}

/** Fuses ranked lists (each best first) by a convex combination of normalised scores; sorted by `compareHits`. */
export function convex(lists: readonly RankedList[], options: ConvexOptions): FusedHit[] {
  const { normalizer, missing } = options;
  if (!(MISSING_POLICIES as readonly string[]).includes(missing)) {
    throw invalid(`convex: missing is ${JSON.stringify(missing)}; choose one of ${MISSING_POLICIES.join(', ')} (there is no default)`);
  }
  if (options.clip && normalizer !== 'dbsf')
    throw invalid(`convex: clip applies to the dbsf normalizer only, not ${normalizer}; drop clip or use normalizer 'dbsf'`);
  const normalize = normalizer === 'dbsf' && options.clip ? (s: readonly number[]) => dbsf(s, true) : getNormalizer(normalizer);
  checkLists(lists, 'convex');
  const weights = options.weights ?? lists.map(() => 1);
  checkWeights(weights, lists.length, 'convex');
  const total = weights.reduce((a, b) => a + b, 0);
  if (lists.length > 0 && total === 0) throw invalid('convex: every weight is 0; give at least one list a positive weight');

  const norms = lists.map((list) => normalize(list.map((h) => h.score)));
  const byId = new Map<string, FusedHit>();
  lists.forEach((list, l) => {
    list.forEach((hit, i) => {
      const fused = fusedEntry(byId, hit.id, lists.length);
      fused.sources[l] =
        normalizer === 'none' ? { rank: i + 1, score: hit.score } : { rank: i + 1, score: hit.score, normalized: norms[l][i] };
    });
  });

  const fill = norms.map((n) => (missing === 'min' && n.length > 0 ? n.reduce((a, b) => Math.min(a, b), Infinity) : 0));
  const out: FusedHit[] = [];
  for (const fused of byId.values()) {
    if (missing === 'drop' && fused.sources.includes(null)) continue;
    let score = 0;
    fused.sources.forEach((s, l) => {
      const v = s ? norms[l][s.rank - 1] : fill[l];
      score += (weights[l] / total) * v;
    });
    fused.score = score;
    out.push(fused);
  }
  return out.sort(compareHits);
}
