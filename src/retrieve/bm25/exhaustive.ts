/**
 * Exhaustive BM25 top-k, term at a time: every posting of every query term is added into a
 * per-corpus accumulator (in dictionary order, like {@link maxScoreTopK}), then the matching
 * documents are ranked. When far more than k match, a heap keeps the best k; when up to a few
 * times k do (deep searches), one pass builds a histogram of their scores
 * (32 buckets per power of two) to find a score every top-k document reaches; only documents at or
 * above it are packed into sort keys and ranked with one native sort ({@link HitSorter}), so a deep
 * search sorts little more than k hits whatever the number of matches.
 */
import { HitSorter } from './hit-sort.ts';
import type { Segment } from './segment.ts';
import { termScore } from './similarity.ts';
import type { TopK, WeightedTerms } from './topk.ts';

/** Histogram buckets: a non-negative float32's top 13 bits (8 of exponent, 5 of mantissa). */
const BUCKET_SHIFT = 18;
const BUCKETS = 1 << (31 - BUCKET_SHIFT);
/** Beyond this many matches per kept hit, a heap's early rejections beat the histogram's two passes. */
const HEAP_RATIO = 16;

/** A segment's deleted documents: `bits[d]` = 1 when d is deleted, `count` of them set. */
export interface DeletedDocs {
  bits: Uint8Array;
  count: number;
}

/**
 * Exhaustive scoring with buffers allocated once per segment (12 bytes per document, plus sort keys
 * for the most hits ranked at once). Slower than MaxScore for small k on large corpora, often faster
 * for deep runs (k ≈ 1000) on small ones. The reference the pruned path is tested against.
 */
export class ExhaustiveScorer {
  private readonly acc: Float64Array;
  private readonly touched: Uint32Array;
  private readonly histogram = new Uint32Array(BUCKETS);
  private readonly bits = new Uint32Array(1);
  private readonly bitsAsFloat = new Float32Array(this.bits.buffer);
  /** Set by {@link floorOfTop}: how many touched documents score at least the floor it returned. */
  private keptCount = 0;
  /**
   * The deleted flags whose documents `acc` holds at −∞ (they never count as touched, so deleted
   * documents cost nothing per query); swapped only when a search brings other flags.
   */
  private marked: Uint8Array | null = null;
  /** How many were deleted when {@link marked} was applied (flags are only ever set, so a change of count means new ones). */
  private markedCount = 0;

  /** `sorter`: sort keys, reused across queries (the index shares one with {@link maxScoreTopK}). */
  constructor(
    private readonly seg: Segment,
    private readonly sorter = new HitSorter(1024),
  ) {
    this.acc = new Float64Array(seg.docCount).fill(-1);
    this.touched = new Uint32Array(seg.docCount);
  }

  /**
   * The k best documents for the query; documents whose `deleted` flag is set are left out, and
   * so are documents scoring below `minScore` (a k-th score already reached elsewhere).
   */
  topK(
    query: WeightedTerms,
    cache: Float32Array,
    k: number,
    deleted?: DeletedDocs | null,
    minScore = -Infinity,
    sorter = this.sorter,
  ): TopK {
    const bits = deleted && deleted.count > 0 ? deleted.bits : null;
    if (bits !== this.marked || (bits !== null && deleted!.count !== this.markedCount)) this.mark(bits, deleted?.count ?? 0);
    let n = this.accumulate(query, cache);
    const { acc, touched } = this;
    if (minScore > -Infinity) {
      // Drop documents below a score another segment's top k already reaches.
      let kept = 0;
      for (let i = 0; i < n; i++) {
        const d = touched[i];
        if (Math.fround(acc[d]) < minScore) acc[d] = -1;
        else touched[kept++] = d;
      }
      n = kept;
    }
    k = Math.max(0, k);
    if (n > HEAP_RATIO * k) {
      const heap = sorter.heap(k);
      for (let i = 0; i < n; i++) {
        const d = touched[i];
        heap.offer(d, Math.fround(acc[d]));
        acc[d] = -1;
      }
      return heap.ranked(sorter);
    }
    // Every document of the top k scores at least `floor`; `kept` documents do.
    let floor = -Infinity;
    let kept = n;
    if (n > k) {
      floor = this.floorOfTop(n, k);
      kept = this.keptCount;
    }
    sorter.reserve(kept);
    let m = 0;
    for (let i = 0; i < n; i++) {
      const d = touched[i];
      const score = Math.fround(acc[d]);
      acc[d] = -1;
      if (score >= floor) sorter.set(m++, d, score);
    }
    return sorter.top(m, k);
  }

  /** Adds every posting of the query's terms into `acc`; returns how many documents it touched. */
  private accumulate(query: WeightedTerms, cache: Float32Array): number {
    const { acc, touched } = this;
    const { postingOffsets, postingDocs, postingTfs, norms } = this.seg;
    let n = 0;
    for (let q = 0; q < query.terms.length; q++) {
      const t = query.terms[q];
      const w = query.weights[q];
      for (let p = postingOffsets[t]; p < postingOffsets[t + 1]; p++) {
        const d = postingDocs[p];
        const s = termScore(w, postingTfs[p], cache[norms[d]]);
        if (acc[d] === -1) {
          acc[d] = s; // scores are ≥ 0: −1 marks an untouched document, −∞ a deleted one
          touched[n++] = d;
        } else {
          acc[d] += s; // −∞ stays −∞
        }
      }
    }
    return n;
  }

  /** Sets the accumulator of each document deleted in `deleted` to −∞, and of each no longer deleted back to −1. */
  private mark(deleted: Uint8Array | null, count: number): void {
    const { acc, marked } = this;
    if (marked) for (let d = 0; d < marked.length; d++) if (marked[d]) acc[d] = -1;
    if (deleted) for (let d = 0; d < deleted.length; d++) if (deleted[d]) acc[d] = -Infinity;
    this.marked = deleted;
    this.markedCount = count;
  }

  /**
   * The lowest score of the lowest histogram bucket that, with the buckets above it, holds at least
   * k of the n touched documents: the k-th best score lies in that bucket, so it is a lower bound.
   */
  private floorOfTop(n: number, k: number): number {
    const { acc, touched, histogram, bits, bitsAsFloat } = this;
    let lo = BUCKETS - 1;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      bitsAsFloat[0] = acc[touched[i]]; // rounds to float32 as Math.fround does
      const b = bits[0] >>> BUCKET_SHIFT;
      histogram[b]++;
      if (b < lo) lo = b;
      if (b > hi) hi = b;
    }
    let b = hi;
    let count = histogram[b];
    while (count < k) count += histogram[--b];
    histogram.fill(0, lo, hi + 1);
    this.keptCount = count;
    bits[0] = b << BUCKET_SHIFT;
    return bitsAsFloat[0];
  }
}

/** {@link ExhaustiveScorer} for one query. */
export function exhaustiveTopK(seg: Segment, query: WeightedTerms, cache: Float32Array, k: number): TopK {
  return new ExhaustiveScorer(seg).topK(query, cache, k);
}
