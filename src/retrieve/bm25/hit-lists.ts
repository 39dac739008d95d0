/**
 * The per-segment top-k lists of one search over several segments, and their merge into one
 * ranked list (score descending, then id ascending, as one merged segment ranks).
 *
 * Lists are copied into arrays reused by every search (the kernels hand out views of their own
 * scratch), so a search over ten segments allocates no more than a search over one. Before the
 * merge, each list is cut at the reference hit: the k-th hit (score s, id x) of a list that holds
 * k hits. Any hit of another list below it (score < s, or score = s and id > x) cannot be in the
 * merged top k, since the reference list alone has k hits ranked at or above it.
 */
import { compareIds, type SegmentData } from './segment.ts';
import type { TopK } from './topk.ts';

/**
 * How the id ranges of segments relate, for ties: `out[a * S + b]` is −1 when every id of segment
 * a is below every id of b, 1 when above, 0 when the ranges overlap (ids must be compared). Batches
 * of new documents with growing ids (the common case) give disjoint ranges.
 */
export function idRanges(segments: readonly SegmentData[]): Int8Array {
  const S = segments.length;
  const out = new Int8Array(S * S);
  for (let a = 0; a < S; a++) {
    const A = segments[a];
    const aLast = A.idOffsets.length - 2;
    for (let b = 0; b < S; b++) {
      const B = segments[b];
      const bLast = B.idOffsets.length - 2;
      if (a === b || aLast < 0 || bLast < 0) continue;
      if (compareIds(A, aLast, B, 0) < 0) out[a * S + b] = -1;
      else if (compareIds(A, 0, B, bLast) > 0) out[a * S + b] = 1;
    }
  }
  return out;
}

/** A ranked list of hits from several segments. */
interface Run {
  segs: Int32Array;
  docs: Uint32Array;
  scores: Float64Array;
}

/** Per-segment ranked hits of one search (see the module comment). */
export class HitLists {
  private docs = new Uint32Array(1024);
  private scores = new Float64Array(1024);
  private used = 0;
  private start = new Int32Array(16);
  private end = new Int32Array(16);
  private count = 0;
  private readonly runs: [Run | null, Run | null] = [null, null];

  /** Starts a search over `segments` lists (each empty until {@link set}). */
  reset(segments: number): void {
    if (this.start.length < segments) {
      this.start = new Int32Array(segments);
      this.end = new Int32Array(segments);
    }
    this.start.fill(0, 0, segments);
    this.end.fill(0, 0, segments);
    this.count = segments;
    this.used = 0;
  }

  /** Copies segment `i`'s hits (best first, in its document numbers). */
  set(i: number, top: TopK): void {
    const n = top.docs.length;
    if (this.used + n > this.docs.length) this.grow(this.used + n);
    this.docs.set(top.docs, this.used);
    this.scores.set(top.scores, this.used);
    this.start[i] = this.used;
    this.end[i] = this.used += n;
  }

  /**
   * The best `k` hits of all lists, in global document numbers (`bases[i]`: the first global
   * number of segment i); `ref`: a list holding k hits whose k-th score is the highest such
   * (−1: none does); `segments[i]`: segment i, whose ids break ties across lists; `ranges`: see
   * {@link idRanges}.
   */
  merge(k: number, bases: Float64Array, ref: number, segments: readonly SegmentData[], ranges: Int8Array): TopK {
    const S = this.count;
    const { docs: hd, scores: hs, start, end } = this;
    k = Math.max(0, k);
    if (ref >= 0) {
      const s = hs[end[ref] - 1];
      const x = hd[end[ref] - 1];
      for (let i = 0; i < this.count; i++) if (i !== ref) end[i] = this.cut(i, s, segments[i], x, segments[ref]);
    }
    // The lists with hits, shortest first: merged one at a time into a running list, so the long
    // list of the largest segment is walked once, at the end.
    const active: number[] = [];
    for (let i = 0; i < this.count; i++) if (end[i] > start[i]) active.push(i);
    active.sort((x, y) => end[x] - start[x] - (end[y] - start[y]) || x - y);
    if (active.length === 0) return { docs: new Uint32Array(0), scores: new Float64Array(0) };
    if (active.length === 1) {
      const i = active[0];
      const n = Math.min(k, end[i] - start[i]);
      const docs = new Uint32Array(n);
      for (let j = 0; j < n; j++) docs[j] = bases[i] + hd[start[i] + j];
      return { docs, scores: hs.slice(start[i], start[i] + n) };
    }
    // The running list: (segment, document, score) triples, at most k, in two buffers used in turn.
    let m = 0;
    let from = this.run(0, k);
    let into = this.run(1, k);
    for (const i of active) {
      let p = 0;
      let q = start[i];
      const qEnd = end[i];
      let out = 0;
      while (out < k && (p < m || q < qEnd)) {
        let takeRun: boolean;
        if (q >= qEnd) takeRun = true;
        else if (p >= m) takeRun = false;
        else {
          const a = from.scores[p];
          const b = hs[q];
          if (a !== b) takeRun = a > b;
          else {
            // Equal scores: by id. Segments whose id ranges do not overlap need no string compared.
            const sp = from.segs[p];
            const r = ranges[sp * S + i];
            takeRun = r !== 0 ? r < 0 : compareIds(segments[sp], from.docs[p], segments[i], hd[q]) < 0;
          }
        }
        if (takeRun) {
          into.segs[out] = from.segs[p];
          into.docs[out] = from.docs[p];
          into.scores[out++] = from.scores[p++];
        } else {
          into.segs[out] = i;
          into.docs[out] = hd[q];
          into.scores[out++] = hs[q++];
        }
      }
      m = out;
      const t = from;
      from = into;
      into = t;
    }
    const docs = new Uint32Array(m);
    for (let j = 0; j < m; j++) docs[j] = bases[from.segs[j]] + from.docs[j];
    return { docs, scores: from.scores.slice(0, m) };
  }

  /** Buffer `b` (0 or 1) of the running list, with room for `k` hits. */
  private run(b: 0 | 1, k: number): Run {
    let r = this.runs[b];
    if (!r || r.docs.length < k)
      r = this.runs[b] = {
        segs: new Int32Array(Math.max(k, 1024)),
        docs: new Uint32Array(Math.max(k, 1024)),
        scores: new Float64Array(Math.max(k, 1024)),
      };
    return r;
  }

  /** The end of list i's hits that rank above the reference hit (score s, document x of segment `rseg`). */
  private cut(i: number, s: number, seg: SegmentData, x: number, rseg: SegmentData): number {
    const { docs, scores } = this;
    // First position scoring ≤ s, then first scoring < s (scores descend).
    let lo = this.start[i];
    let hi = this.end[i];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (scores[mid] > s) lo = mid + 1;
      else hi = mid;
    }
    const tiesFrom = lo;
    hi = this.end[i];
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (scores[mid] >= s) lo = mid + 1;
      else hi = mid;
    }
    // Among hits scoring exactly s (in id order), keep those whose id is below x's.
    let end = lo;
    lo = tiesFrom;
    while (lo < end) {
      const mid = (lo + end) >>> 1;
      if (compareIds(seg, docs[mid], rseg, x) < 0) lo = mid + 1;
      else end = mid;
    }
    return lo;
  }

  private grow(size: number): void {
    let n = this.docs.length;
    while (n < size) n *= 2;
    const docs = new Uint32Array(n);
    const scores = new Float64Array(n);
    docs.set(this.docs.subarray(0, this.used));
    scores.set(this.scores.subarray(0, this.used));
    this.docs = docs;
    this.scores = scores;
  }
}
