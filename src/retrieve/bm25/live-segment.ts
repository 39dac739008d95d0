/**
 * One segment of a BM25 index as searches see it: the immutable segment and its document records,
 * plus which of its documents are deleted. Deleting marks a bit (copy-on-write, so an index forked
 * for a writer never changes what readers of the previous version see); the live statistics a
 * search needs (indexed documents, total length, per-term document frequency) are kept per segment
 * and summed across segments by the index.
 */
import { DocStore } from './doc-store.ts';
import { ExhaustiveScorer } from './exhaustive.ts';
import { emptySegment, mergeSegments, termLookup, type Segment, type TermLookup } from './segment.ts';
import type { HitSorter } from './hit-sort.ts';

/** Exhaustive scorers by segment: their accumulators are 12 bytes per document, so versions share them. */
const SCORERS = new WeakMap<Segment, ExhaustiveScorer>();

/** A segment with its deletions (see the module comment). */
export class LiveSegment {
  /** Stem of the segment's blobs once written (`<name>.seg`, `<name>.docs`); null while only in memory. */
  name: string | null;
  /** The live-docs blob that holds {@link deleted} as written; null when none is or the bits changed since. */
  delName: string | null;
  /** `deleted[d]` = 1 when document d is deleted; null when none is. */
  deleted: Uint8Array | null;
  delCount: number;
  /** Live documents with at least one term (Lucene's docCount). */
  liveIndexed: number;
  /** Sum of the live documents' lengths (Lucene's sumTotalTermFreq). */
  liveLength: number;
  /** Byte sizes of its blobs once written or read. */
  bytes: { seg: number; docs: number } | null = null;
  private ownsBits: boolean;
  private dfCache: Map<number, number> | null = null;
  private scorer: ExhaustiveScorer | null = null;
  private lookup: TermLookup | null = null;

  constructor(
    readonly segment: Segment,
    public store: DocStore,
    init: { name?: string | null; deleted?: Uint8Array | null; delName?: string | null } = {},
  ) {
    this.name = init.name ?? null;
    this.delName = init.delName ?? null;
    this.deleted = init.deleted ?? null;
    this.ownsBits = false;
    this.delCount = 0;
    this.liveIndexed = segment.indexedDocCount;
    this.liveLength = segment.sumTotalTermFreq;
    if (this.deleted) {
      for (let d = 0; d < segment.docCount; d++) {
        if (!this.deleted[d]) continue;
        this.delCount++;
        this.uncount(d);
      }
    }
  }

  /** Documents, deleted ones included. */
  get docCount(): number {
    return this.segment.docCount;
  }

  /** Live documents. */
  get liveCount(): number {
    return this.segment.docCount - this.delCount;
  }

  isLive(d: number): boolean {
    return !this.deleted || this.deleted[d] === 0;
  }

  /** A view for another index: same segment and bits, which either side copies before changing. */
  fork(): LiveSegment {
    const copy = Object.create(LiveSegment.prototype) as LiveSegment;
    Object.assign(copy, this);
    copy.ownsBits = false;
    this.ownsBits = false;
    copy.dfCache = this.dfCache;
    return copy;
  }

  /** Marks document d deleted; false when it already was. */
  markDeleted(d: number): boolean {
    if (this.deleted && this.deleted[d]) return false;
    if (!this.deleted) this.deleted = new Uint8Array(this.segment.docCount);
    else if (!this.ownsBits) this.deleted = this.deleted.slice();
    this.ownsBits = true;
    this.deleted[d] = 1;
    this.delCount++;
    this.uncount(d);
    this.delName = null;
    this.dfCache = null;
    return true;
  }

  /** The number of `term` in this segment's dictionary, or -1. */
  findTerm(term: string): number {
    return (this.lookup ??= termLookup(this.segment)).find(term);
  }

  /** Live documents holding term t (t: this segment's term number). */
  df(t: number): number {
    const seg = this.segment;
    const all = seg.postingOffsets[t + 1] - seg.postingOffsets[t];
    if (!this.deleted || this.delCount === 0) return all;
    this.dfCache ??= new Map();
    let n = this.dfCache.get(t);
    if (n === undefined) {
      n = 0;
      for (let p = seg.postingOffsets[t]; p < seg.postingOffsets[t + 1]; p++) if (!this.deleted[seg.postingDocs[p]]) n++;
      this.dfCache.set(t, n);
    }
    return n;
  }

  /** The exhaustive scorer of this segment (buffers allocated once per segment, shared by every version that holds it). */
  exhaustive(sorter: HitSorter): ExhaustiveScorer {
    if (!this.scorer) {
      let scorer = SCORERS.get(this.segment);
      if (!scorer) SCORERS.set(this.segment, (scorer = new ExhaustiveScorer(this.segment, sorter)));
      this.scorer = scorer;
    }
    return this.scorer;
  }

  /** `live[d]` = 1 for live documents; null when all are. */
  liveBits(): Uint8Array | null {
    if (!this.deleted || this.delCount === 0) return null;
    const live = new Uint8Array(this.segment.docCount);
    for (let d = 0; d < live.length; d++) live[d] = this.deleted[d] ? 0 : 1;
    return live;
  }

  private uncount(d: number): void {
    const len = this.segment.docLengths[d];
    this.liveLength -= len;
    if (len > 0) this.liveIndexed--;
  }
}

/**
 * Merges segments into one holding only their live documents, in id order: equal (array for array,
 * record for record) to a fresh build over those documents.
 */
export function mergeLive(parts: readonly LiveSegment[]): LiveSegment {
  let segment = emptySegment();
  let store = DocStore.empty();
  let first = true;
  // Smallest first: each step copies what was merged so far, so the largest segment is copied once.
  // (The result does not depend on the order: documents are renumbered in id order.)
  for (const p of [...parts].sort((a, b) => a.liveCount - b.liveCount)) {
    if (first) {
      // Merging with an empty segment drops the deleted documents and renumbers.
      const m = mergeSegments(p.segment, p.liveBits(), null, null);
      store = DocStore.merge(p.store, m.mapA, null, m.mapB, m.segment.docCount);
      segment = m.segment;
      first = false;
      continue;
    }
    const m = mergeSegments(segment, null, p.segment, p.liveBits());
    store = DocStore.merge(store, m.mapA, p.store, m.mapB, m.segment.docCount);
    segment = m.segment;
  }
  return new LiveSegment(segment, store);
}
