/**
 * Top-k BM25 retrieval over a segment, document at a time with MaxScore dynamic pruning
 * (Turtle & Flood, "Query evaluation: strategies and optimizations", IP&M 1995): query terms are
 * ordered by their score upper bound; terms whose bounds together cannot lift a document into the
 * current top k are "non-essential" and are only probed (by skipping) for documents that the
 * essential terms produce and that could still make it. Upper bounds come from per-block maxima
 * (largest tf, shortest norm), evaluated with the query's k1 and b. Block maxima also skip runs of
 * candidates: when the blocks that cover a candidate in every list cannot reach the k-th score
 * together, all documents up to the nearest block end are skipped ("block-max MaxScore", Chakrabarti
 * et al., WSDM 2011; Mallia et al., SIGIR 2019). Pruning is safe: a document is
 * skipped only when its best possible float32 score is strictly below the k-th score, so results
 * (ids, scores, ties broken by id) equal exhaustive scoring ({@link exhaustiveTopK}).
 *
 * Scores of a document are summed in double in term-dictionary order and rounded to float32 once,
 * as Lucene's disjunction sums clause scores; both paths here use that same order.
 */
import type { Segment } from './segment.ts';
import { HitSorter } from './hit-sort.ts';
import { termScore } from './similarity.ts';

export { ExhaustiveScorer, exhaustiveTopK } from './exhaustive.ts';

/** A query resolved against a segment: dictionary term numbers (ascending) and their weights. */
export interface WeightedTerms {
  terms: Uint32Array;
  /** `boost · idf` per term, float32. */
  weights: Float64Array;
}

/** Top-k result in document numbers: parallel arrays, best first. */
export interface TopK {
  docs: Uint32Array;
  scores: Float64Array;
}

/** Whether a partial score bound can no longer reach `threshold` once rounded to float32. */
export function cannotReach(bound: number, threshold: number): boolean {
  // The 1e-12 slack covers double sums taken in a different order than the final one.
  return Math.fround(bound * (1 + 1e-12)) < threshold;
}

/** The largest score term `t` can give any document under this norm cache. */
export function termUpperBound(seg: Segment, t: number, weight: number, cache: Float32Array): number {
  let best = 0;
  for (let blk = seg.blockOffsets[t]; blk < seg.blockOffsets[t + 1]; blk++) {
    const s = termScore(weight, seg.blockMaxTf[blk], cache[seg.blockMinNorm[blk]]);
    if (s > best) best = s;
  }
  return best;
}

/**
 * The k best documents for a weighted query, with MaxScore pruning; `sorter` may be reused across
 * queries. Documents whose `deleted` flag is set are passed over (their postings still count in
 * the block bounds, which only makes the bounds looser, never wrong). Documents scoring below
 * `floor` are left out, and pruning starts from it (a k-th score another segment already
 * reached), so a search over several segments skips as a single merged one would.
 */
export function maxScoreTopK(
  seg: Segment,
  query: WeightedTerms,
  cache: Float32Array,
  k: number,
  sorter = new HitSorter(k),
  deleted?: Uint8Array | null,
  floor = -Infinity,
): TopK {
  const n = query.terms.length;
  const heap = sorter.heap(Math.max(0, k));
  if (n === 0 || k <= 0) return heap.ranked(sorter);
  const { postingOffsets, postingDocs, postingTfs, norms } = seg;

  // Order terms by upper bound, ascending; prefix[i] bounds a doc matching only terms 0..i.
  const ub = new Float64Array(n);
  for (let i = 0; i < n; i++) ub[i] = termUpperBound(seg, query.terms[i], query.weights[i], cache);
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => ub[a] - ub[b] || a - b);
  const pos = new Int32Array(n);
  const end = new Int32Array(n);
  const weight = new Float64Array(n);
  const prefix = new Float64Array(n);
  const slotOf = new Int32Array(n); // sorted position → position in dictionary order, for summing
  let acc = 0;
  for (let i = 0; i < n; i++) {
    const q = order[i];
    pos[i] = postingOffsets[query.terms[q]];
    end[i] = postingOffsets[query.terms[q] + 1];
    weight[i] = query.weights[q];
    acc += ub[q];
    prefix[i] = acc;
    slotOf[i] = q;
  }
  const contrib = new Float64Array(n); // per dictionary-order term, for the current document
  // Block-max state per list: the block covering the current candidate and its score bound.
  const { blockOffsets, blockMaxTf, blockMinNorm, blockLastDoc } = seg;
  const blk = new Int32Array(n);
  const blkEnd = new Int32Array(n);
  const blkBound = new Float64Array(n);
  const blkBoundOf = new Int32Array(n).fill(-1);
  const nePrefix = new Float64Array(n); // block-level bound of non-essential lists 0..i
  for (let i = 0; i < n; i++) {
    blk[i] = blockOffsets[query.terms[order[i]]];
    blkEnd[i] = blockOffsets[query.terms[order[i]] + 1];
  }
  let firstEssential = 0;
  // Pruning runs against the higher of the heap's k-th score and the floor; `pruning` once either exists.
  let pruning = floor > -Infinity;
  while (firstEssential < n && cannotReach(prefix[firstEssential], floor)) firstEssential++;

  for (;;) {
    let cand = 0xffffffff;
    for (let i = firstEssential; i < n; i++) if (pos[i] < end[i] && postingDocs[pos[i]] < cand) cand = postingDocs[pos[i]];
    if (cand === 0xffffffff) break;
    const threshold = heap.full && heap.threshold > floor ? heap.threshold : floor;
    if (pruning) {
      // Bound every document in [cand, boundary] by the blocks covering it in each list.
      let bound = 0;
      let boundary = 0xffffffff;
      for (let i = 0; i < n; i++) {
        let b = blk[i];
        while (b < blkEnd[i] && blockLastDoc[b] < cand) b++;
        blk[i] = b;
        if (b < blkEnd[i]) {
          if (blkBoundOf[i] !== b) {
            blkBoundOf[i] = b;
            blkBound[i] = termScore(weight[i], blockMaxTf[b], cache[blockMinNorm[b]]);
          }
          bound += blkBound[i];
          if (blockLastDoc[b] < boundary) boundary = blockLastDoc[b];
        }
        if (i < firstEssential) nePrefix[i] = bound;
      }
      if (cannotReach(bound, threshold)) {
        for (let i = firstEssential; i < n; i++) pos[i] = advance(postingDocs, pos[i], end[i], boundary + 1);
        continue;
      }
    }
    if (deleted && deleted[cand]) {
      for (let i = firstEssential; i < n; i++) if (pos[i] < end[i] && postingDocs[pos[i]] === cand) pos[i]++;
      continue;
    }
    contrib.fill(0);
    const normByte = norms[cand];
    let partial = 0;
    for (let i = firstEssential; i < n; i++) {
      const p = pos[i];
      if (p < end[i] && postingDocs[p] === cand) {
        const s = termScore(weight[i], postingTfs[p], cache[normByte]);
        contrib[slotOf[i]] = s;
        partial += s;
        pos[i] = p + 1;
      }
    }
    let pruned = false;
    for (let i = firstEssential - 1; i >= 0; i--) {
      // nePrefix is only set (and only tighter) once pruning runs; before that nothing prunes.
      const rest = pruning ? Math.min(prefix[i], nePrefix[i]) : prefix[i];
      if (cannotReach(partial + rest, threshold)) {
        pruned = true;
        break;
      }
      const p = advance(postingDocs, pos[i], end[i], cand);
      pos[i] = p;
      if (p < end[i] && postingDocs[p] === cand) {
        const s = termScore(weight[i], postingTfs[p], cache[normByte]);
        contrib[slotOf[i]] = s;
        partial += s;
      }
    }
    if (pruned) continue;
    let sum = 0;
    for (let q = 0; q < n; q++) sum += contrib[q];
    const score = Math.fround(sum);
    if (score >= floor && heap.offer(cand, score) && heap.full) {
      pruning = true;
      while (firstEssential < n && cannotReach(prefix[firstEssential], heap.threshold)) firstEssential++;
    }
  }
  return heap.ranked(sorter);
}

/** The first position in `[from, to)` whose doc is ≥ target (galloping, then binary search). */
function advance(docs: Uint32Array, from: number, to: number, target: number): number {
  if (from >= to || docs[from] >= target) return from;
  let step = 1;
  let lo = from;
  let hi = from + 1;
  while (hi < to && docs[hi] < target) {
    lo = hi;
    step *= 2;
    hi = from + step;
  }
  if (hi > to) hi = to;
  // docs[lo] < target; answer in (lo, hi]
  while (lo + 1 < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid] < target) lo = mid;
    else hi = mid;
  }
  return hi;
}
