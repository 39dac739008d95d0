/**
 * The shapes fusion works on and the checks every fusion function runs on its input.
 *
 * Input: one ranked list per retriever, best first (as `Retriever.search` returns it). Output: one
 * fused list sorted by `compareHits` (score descending, then id ascending), where every hit says,
 * per input list, the rank and score that list gave it (or `null` when the list did not return it),
 * so the pipeline can build the trace without a second pass.
 */
import { ShortlistError } from '../core/errors.ts';
import type { TraceEntry } from '../core/types.ts';

/** One entry of a ranked list: a `Hit` or anything with an id and a score. */
export interface Scored {
  readonly id: string;
  readonly score: number;
}

/** One retriever's ranked list, best first. */
export type RankedList = readonly Scored[];

/** What one input list said about a fused hit. */
export interface SourceEntry {
  /** 1-based position in that list. */
  rank: number;
  /** The score that list gave it (raw, before any normalisation). */
  score: number;
  /** The normalised score convex fusion used; absent for RRF and for `normalizer: 'none'`. */
  normalized?: number;
}

/** One fused result. `sources[i]` is list `i`'s view of it, `null` when list `i` did not return it. */
export interface FusedHit {
  id: string;
  score: number;
  sources: (SourceEntry | null)[];
}

/**
 * Throws INVALID_ARGUMENT unless every list is usable: scores are finite numbers (NaN and
 * ±Infinity are rejected; negative scores are fine, cosine and logits are often negative), each id
 * appears at most once per list, and scores never increase down a list (best first).
 */
export function checkLists(lists: readonly RankedList[], fn: string): void {
  lists.forEach((list, l) => {
    const seen = new Set<string>();
    list.forEach((hit, i) => {
      const where = `${fn}: list ${l}, position ${i + 1} (id "${hit.id}")`;
      if (typeof hit.id !== 'string') throw invalid(`${where} has no string id`);
      if (typeof hit.score !== 'number' || !Number.isFinite(hit.score)) {
        throw invalid(`${where} has score ${hit.score}; scores must be finite numbers, drop or repair such hits before fusing`);
      }
      if (seen.has(hit.id)) throw invalid(`${where} appears twice in the list; aggregate chunk hits to one hit per id before fusing`);
      seen.add(hit.id);
      if (i > 0 && hit.score > list[i - 1].score) {
        throw invalid(
          `${where} scores ${hit.score}, above the previous ${list[i - 1].score}; lists must be sorted best first (sort with compareHits)`,
        );
      }
    });
  });
}

/** Throws INVALID_ARGUMENT unless `weights` has one finite, non-negative number per list. */
export function checkWeights(weights: readonly number[], lists: number, fn: string): void {
  if (weights.length !== lists) {
    throw invalid(`${fn}: weights has ${weights.length} entries for ${lists} lists; give one weight per list`);
  }
  weights.forEach((w, i) => {
    if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
      throw invalid(`${fn}: weights[${i}] is ${w}; weights must be finite numbers >= 0`);
    }
  });
}

/** The trace entries of a fused hit: one per list that returned it (`stage` = that list's name), then the fusion itself. */
export function fusedTrace(hit: FusedHit, rank: number, names: readonly string[], fusionStage = 'fusion'): TraceEntry[] {
  const out: TraceEntry[] = [];
  hit.sources.forEach((s, i) => {
    if (s) out.push({ stage: names[i] ?? `list${i}`, rank: s.rank, score: s.score });
  });
  out.push({ stage: fusionStage, rank, score: hit.score });
  return out;
}

/** An INVALID_ARGUMENT error with `message`. */
export function invalid(message: string): ShortlistError {
  return new ShortlistError('INVALID_ARGUMENT', message);
}

/** The fused hit of `id` in `byId`, created (score 0, no sources yet) on first sight. */
export function fusedEntry(byId: Map<string, FusedHit>, id: string, lists: number): FusedHit {
  let fused = byId.get(id);
  if (!fused) {
    fused = { id, score: 0, sources: new Array<SourceEntry | null>(lists).fill(null) };
    byId.set(id, fused);
  }
  return fused;
}
