/**
 * Which BM25 segments to merge: a tiered policy after Lucene's TieredMergePolicy, reduced to what
 * a collection needs. Segments are grouped into tiers by live size: tier 0 holds segments up to
 * `floorSegmentDocs` live documents, tier i those up to `floorSegmentDocs · segmentsPerTier^i`.
 * 1. A segment whose deleted share exceeds `deletesPctAllowed` is rewritten (merged alone or with
 *    its tier), so deleted documents do not pile up.
 * 2. A tier holding more than `segmentsPerTier` segments merges its `maxMergeAtOnce` smallest.
 * 3. Repeat until no rule fires. A collection thus holds about `segmentsPerTier` segments per
 *    tier and log(N) tiers, and a write merges, amortised, O(batch · tiers) documents.
 * `shortlist optimize` merges everything into one segment instead (see `forceMerge`).
 */
import { ShortlistError } from '../../core/errors.ts';

/** Options of the tiered merge policy. */
export interface MergePolicyOptions {
  /**
   * Segments allowed per tier before its smallest are merged. Lower: fewer segments, faster
   * searches, more merge work per write. Higher: cheaper writes, more segments to search. @default 10
   */
  segmentsPerTier?: number;
  /** Most segments merged in one merge. @default 10 */
  maxMergeAtOnce?: number;
  /**
   * Segments below this many live documents count as this size, so tiny batches are merged
   * together early instead of forming many tiers. @default 2000
   */
  floorSegmentDocs?: number;
  /**
   * A segment with more than this percentage of deleted documents is rewritten without them.
   * Lower: less memory and work wasted on deleted postings, more rewriting. @default 20
   */
  deletesPctAllowed?: number;
}

/** Defaults of {@link MergePolicyOptions}. */
export const MERGE_POLICY_DEFAULTS = Object.freeze({
  segmentsPerTier: 10,
  maxMergeAtOnce: 10,
  floorSegmentDocs: 2000,
  deletesPctAllowed: 20,
} as const satisfies Required<MergePolicyOptions>);

/** The options with defaults filled in, checked. */
export function resolveMergePolicy(options: MergePolicyOptions = {}): Readonly<Required<MergePolicyOptions>> {
  const o = { ...MERGE_POLICY_DEFAULTS, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
  for (const key of ['segmentsPerTier', 'maxMergeAtOnce', 'floorSegmentDocs'] as const) {
    if (!Number.isInteger(o[key]) || o[key] < (key === 'floorSegmentDocs' ? 1 : 2))
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `merge policy ${key} must be a whole number ≥ ${key === 'floorSegmentDocs' ? 1 : 2}, got ${o[key]}`,
        { location: { field: key } },
      );
  }
  if (typeof o.deletesPctAllowed !== 'number' || !(o.deletesPctAllowed >= 0 && o.deletesPctAllowed <= 100))
    throw new ShortlistError(
      'INVALID_ARGUMENT',
      `merge policy deletesPctAllowed must be a number in [0, 100], got ${o.deletesPctAllowed}`,
      { location: { field: 'deletesPctAllowed' } },
    );
  return Object.freeze(o);
}

/** What the policy needs to know of a segment. */
export interface SegmentSize {
  /** Documents in the segment, deleted ones included. */
  docCount: number;
  /** Deleted documents. */
  delCount: number;
}

/** The next merge (indexes into `segments`, at least 1), or null when none is due. */
export function findMerge(segments: readonly SegmentSize[], policy: Readonly<Required<MergePolicyOptions>>): number[] | null {
  const live = segments.map((s) => s.docCount - s.delCount);
  // 1. Too many deletes: rewrite that segment (an empty one just disappears).
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i];
    if (s.delCount > 0 && (live[i] === 0 || (100 * s.delCount) / s.docCount > policy.deletesPctAllowed)) return [i];
  }
  // 2. Tiers by live size.
  const tiers = new Map<number, number[]>();
  for (let i = 0; i < segments.length; i++) {
    const size = Math.max(live[i], policy.floorSegmentDocs);
    const tier = Math.floor(Math.log(size / policy.floorSegmentDocs) / Math.log(policy.segmentsPerTier) + 1e-9);
    const list = tiers.get(tier) ?? [];
    list.push(i);
    tiers.set(tier, list);
  }
  for (const tier of [...tiers.keys()].sort((a, b) => a - b)) {
    const list = tiers.get(tier)!;
    if (list.length <= policy.segmentsPerTier) continue;
    list.sort((a, b) => live[a] - live[b] || a - b);
    return list.slice(0, Math.max(2, Math.min(policy.maxMergeAtOnce, list.length))).sort((a, b) => a - b);
  }
  return null;
}
