/**
 * A BM25 index that scores exactly like Lucene 8.7's BM25Similarity with Anserini's settings.
 *
 * Lifecycle: 1. `Bm25Index.build(docs, { analyzer })`, `await Bm25Index.open(dir)` or
 * `await Bm25Index.openSegments(store, part)`; 2. `search` / `searchMany` (k1 and b are
 * per-search: the index stores raw tfs and lengths); 3. `add` (upsert) and `delete` by id, any
 * time; 4. `writeSegments(store)` writes only what changed as new immutable segment blobs (or
 * `save(dir)`, one merged version in a folder); 5. `close()` releases document-store files.
 *
 * Segments, Lucene-style: documents added since the last search form a new segment; a delete
 * marks a bit in its segment's live-docs; a tiered merge policy (`merge-policy.ts`) merges small
 * segments as writes go, `forceMerge()` merges all into one. The rule for deleted-but-unmerged
 * documents: unlike Lucene, collection statistics (N, avgdl, df) count only live documents of all
 * segments, so a search over several segments gives exactly (ids, float32 scores, order) the
 * results of one merged segment, which equals a fresh build over the live documents.
 */
import { existsSync } from 'node:fs';
import { ShortlistError } from '../../core/errors.ts';
import type { Document, Query } from '../../core/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { getAnalyzer } from '../../text/index.ts';
import { SegmentBuilder } from './builder.ts';
import { DocStore } from './doc-store.ts';
import { readIndexFiles, readManifest, writeIndexFiles } from './persist.ts';
import { emptySegment, findDoc, idAt, termAt, type Segment } from './segment.ts';
import { LiveSegment, mergeLive } from './live-segment.ts';
import { findMerge, resolveMergePolicy, type MergePolicyOptions } from './merge-policy.ts';
import { persistSegments, readSegments, type Bm25PartMeta, type SegmentCache } from './segments-io.ts';
import type { SegmentStore } from './segment-store.ts';
import { avgFieldLength, idf, normInverseCache, resolveParams, termWeight, type Bm25Params } from './similarity.ts';
import { currentVersionDir, rebuildHint, writeVersion, type SaveStepHook } from './storage.ts';
import { HitSorter } from './hit-sort.ts';
import { HitLists, idRanges } from './hit-lists.ts';
import { cannotReach, maxScoreTopK, termUpperBound, type TopK, type WeightedTerms } from './topk.ts';

/**
 * `auto` scores exhaustively when the query's terms have at most this many postings in all. Measured
 * on this 2-core machine: on SciFact/Cranfield (1–5k docs) exhaustive is 1–3× faster than MaxScore
 * at depths 10–1000; on 1M synthetic documents MaxScore is 1.4–4× faster.
 */
const AUTO_EXHAUSTIVE_POSTINGS = 50_000;

/** One BM25 result: document id and its (float32) score. */
export interface ScoredId {
  id: string;
  score: number;
}

/** Per-search options. */
export interface Bm25SearchOptions extends Bm25Params {
  /**
   * How to find the top k; all give identical results. `maxscore`: document-at-a-time with dynamic
   * pruning, best for small k on large corpora. `exhaustive`: term-at-a-time into an accumulator the
   * index allocates once (12 bytes per document), best for deep runs or short posting lists.
   * `auto` picks exhaustive when the query's terms have at most 50,000 postings. @default 'auto'
   */
  strategy?: 'auto' | 'maxscore' | 'exhaustive';
}

/** Options for {@link Bm25Index.build}. */
export interface Bm25BuildOptions {
  /** The analyzer that turns text into terms; its id is stored in the index. */
  analyzer: Analyzer;
  /** Called with the number of documents read so far, every `progressEvery` documents and at the end. */
  onProgress?: (done: number) => void;
  /** How often `onProgress` is called, in documents. @default 10000 */
  progressEvery?: number;
}

/** Options for {@link Bm25Index.open}. */
export interface Bm25OpenOptions {
  /** The analyzer to query with; must have the id the index was built with. @default the registered analyzer of that id */
  analyzer?: Analyzer;
}

/** Options for {@link Bm25Index.save}. */
export interface Bm25SaveOptions {
  /** @internal Called at each step of the atomic write; tests throw from it to simulate a crash. */
  onStep?: SaveStepHook;
}

/** Index-wide statistics. */
export interface Bm25Stats {
  /** Stored documents. */
  docCount: number;
  /** Documents with at least one term: BM25's N. */
  indexedDocCount: number;
  /** Distinct terms. */
  termCount: number;
  /** (term, document) pairs. */
  postingCount: number;
  /** Sum of all document lengths (in terms). */
  sumTotalTermFreq: number;
  /** Average document length as Lucene computes it (float32). */
  avgdl: number;
}

/** Options for {@link Bm25Index.create} and the index's write path. */
export interface Bm25WriteOptions {
  /** When to merge segments (see `merge-policy.ts`). @default MERGE_POLICY_DEFAULTS */
  mergePolicy?: MergePolicyOptions;
}

/**
 * Milliseconds an index's writes spent, by phase, since the index was created, opened or forked
 * (see {@link Bm25Index.writeTimings}).
 */
export interface Bm25WriteTimings {
  /** Staging added documents: analysis, term counting, record encoding (`add`). */
  analyze: number;
  /** Turning staged documents into an immutable segment (sorting terms and ids, postings, block maxima). */
  build: number;
  /** Merging segments (the merge policy, or `forceMerge`). */
  merge: number;
  /** Encoding new segments and live-docs generations into blobs. */
  encode: number;
  /** Putting blobs into the segment store (durable: fsynced files, completed PUTs). */
  write: number;
  /** Merges run (each merges several segments into one). */
  merges: number;
}

/** A BM25 index over a document collection, with its document store. */
export class Bm25Index {
  private segs: LiveSegment[];
  private pending: SegmentBuilder | null = null;
  private policy: Readonly<Required<MergePolicyOptions>>;
  /** First global document number of each segment (length segs + 1); null when stale. */
  private bases: Float64Array | null = null;
  /** Segment positions in search order (largest first); null when stale. */
  private order: Int32Array | null = null;
  /** Segments this index created (their document files are closed by {@link close}). */
  private readonly owned = new Set<LiveSegment>();
  /** Sort keys for ranking hits, reused by every search (grows to the most hits ranked at once). */
  private readonly sorter = new HitSorter(1024);
  /** The same for the per-segment lists of a search over several segments: results are views, copied into {@link lists}. */
  private readonly scratch = new HitSorter(1024, true);
  private readonly lists = new HitLists();
  /** The segments' data in index order (cached until the segments change). */
  private segData: Segment[] | null = null;
  /** How the segments' id ranges relate (see `idRanges`); null when stale. */
  private ranges: Int8Array | null = null;
  private readonly caches = new Map<string, Float32Array>();
  /** Segments changed since the merge policy last ran. */
  private unmerged = true;
  private readonly timings: Bm25WriteTimings = { analyze: 0, build: 0, merge: 0, encode: 0, write: 0, merges: 0 };

  private constructor(
    readonly analyzer: Analyzer,
    segs: LiveSegment[],
    options: Bm25WriteOptions = {},
    own = true,
  ) {
    this.segs = segs;
    this.policy = resolveMergePolicy(options.mergePolicy);
    if (own) for (const s of segs) this.owned.add(s);
  }

  /** An empty index using `analyzer`. */
  static create(analyzer: Analyzer, options: Bm25WriteOptions = {}): Bm25Index {
    return new Bm25Index(analyzer, [], options);
  }

  /** Builds an index from documents (a later document with an existing id replaces the earlier one). */
  static async build(docs: Iterable<Document> | AsyncIterable<Document>, options: Bm25BuildOptions & Bm25WriteOptions): Promise<Bm25Index> {
    const builder = new SegmentBuilder(options.analyzer);
    await feed(builder, docs, options.onProgress, options.progressEvery ?? 10000);
    const { segment, store } = builder.finish();
    return new Bm25Index(options.analyzer, segment.docCount > 0 ? [new LiveSegment(segment, store)] : [], options);
  }

  /** Opens the index saved in `dir` by {@link save}, reading its arrays straight from disk. */
  static async open(dir: string, options: Bm25OpenOptions = {}): Promise<Bm25Index> {
    for (let attempt = 1; ; attempt++) {
      const folder = currentVersionDir(dir);
      try {
        const manifest = readManifest(folder, dir);
        const analyzer = options.analyzer ?? registeredAnalyzer(manifest.analyzer, dir);
        if (analyzer.id !== manifest.analyzer) {
          throw new ShortlistError(
            'INDEX_MISMATCH',
            `${dir} was built with analyzer "${manifest.analyzer}" but is being opened with "${analyzer.id}"; open it with the same analyzer, or ${rebuildHint(dir)}`,
          );
        }
        const { segment, store } = readIndexFiles(folder, manifest, dir);
        return new Bm25Index(
          analyzer,
          segment.docCount > 0 ? [new LiveSegment(segment, store)] : ([store.close(), []][1] as LiveSegment[]),
        );
      } catch (err) {
        // A concurrent save may have replaced this version between reading CURRENT and its files.
        if (attempt < 3 && !existsSync(folder)) continue;
        throw err;
      }
    }
  }

  /**
   * Opens the segments a collection manifest names (`part`), reading their blobs from `store`.
   * With `cache`, segments and live-docs already read (by another version) are reused: a reader
   * whose manifest moved loads only the new blobs.
   */
  static async openSegments(
    store: SegmentStore,
    part: Bm25PartMeta,
    options: Bm25OpenOptions & Bm25WriteOptions & { cache?: SegmentCache } = {},
  ): Promise<Bm25Index> {
    const analyzer = options.analyzer ?? registeredAnalyzer(part.analyzer, store.display);
    if (analyzer.id !== part.analyzer) {
      throw new ShortlistError(
        'INDEX_MISMATCH',
        `the BM25 segments in ${store.display} were built with analyzer "${part.analyzer}" but are being opened with "${analyzer.id}"; rebuild the collection`,
      );
    }
    const segs = await readSegments(store, part, options.cache);
    return new Bm25Index(analyzer, segs, options, !options.cache);
  }

  /**
   * An independent index over the same segments (nothing is copied; deletions are copy-on-write):
   * a writer changes the fork while searches keep reading this one.
   */
  fork(): Bm25Index {
    this.flush();
    const copy = new Bm25Index(
      this.analyzer,
      this.segs.map((s) => s.fork()),
      { mergePolicy: this.policy },
      false,
    );
    return copy;
  }

  /**
   * Writes what changed since the segments were read as new blobs in `store`: new and merged
   * segments, and new live-docs generations of segments that lost documents. Runs the merge policy
   * first (or merges everything with `forceMerge`). Returns the part to name in the next manifest;
   * nothing is visible to readers until that manifest is committed.
   */
  async writeSegments(
    store: SegmentStore,
    options: { forceMerge?: boolean; cache?: SegmentCache } = {},
  ): Promise<{ part: Bm25PartMeta; files: string[]; written: string[] }> {
    if (options.forceMerge) this.forceMerge();
    else this.flush();
    return persistSegments(store, this.segs, this.analyzer.id, options.cache, this.timings);
  }

  /** Merges every segment into one without deleted documents (what `shortlist optimize` does). */
  forceMerge(): void {
    this.flush(false);
    if (this.segs.length === 0 || (this.segs.length === 1 && this.segs[0].delCount === 0)) return;
    const t = performance.now();
    this.replace(this.segs, mergeLive(this.segs));
    this.timings.merge += performance.now() - t;
    this.timings.merges++;
  }

  /** Where this index's writes spent their time, by phase (a copy; cumulative since it was created, opened or forked). */
  get writeTimings(): Bm25WriteTimings {
    return { ...this.timings };
  }

  /** Writes the index to `dir` as a new version, atomically (see `storage.ts`): one merged segment. */
  async save(dir: string, options: Bm25SaveOptions = {}): Promise<void> {
    this.forceMerge();
    const one = this.segs[0] ?? new LiveSegment(emptySegment(), DocStore.empty());
    const folder = writeVersion(dir, (tmp) => void writeIndexFiles(tmp, one.segment, one.store, this.analyzer.id), options.onStep);
    // Read documents from the new files from now on; the old ones may be gone.
    const { segment, store } = readIndexFiles(folder, readManifest(folder, dir), dir);
    this.close();
    this.segs = segment.docCount > 0 ? [new LiveSegment(segment, store)] : [];
    if (this.segs.length === 0) store.close();
    for (const s of this.segs) this.owned.add(s);
    this.changed();
  }

  /** Adds documents; a document whose id is already indexed replaces it (upsert). */
  async add(docs: Document | Iterable<Document> | AsyncIterable<Document>): Promise<void> {
    const list = isDocument(docs) ? [docs] : docs;
    const builder = (this.pending ??= new SegmentBuilder(this.analyzer));
    const t = performance.now();
    for await (const doc of list) {
      builder.add(doc); // validates the document first
      this.deleteFromSegments(doc.id);
    }
    this.timings.analyze += performance.now() - t;
  }

  /** Deletes documents by id; returns how many existed. */
  delete(ids: string | Iterable<string>): number {
    let removed = 0;
    for (const id of typeof ids === 'string' ? [ids] : ids) {
      let hit = this.deleteFromSegments(id);
      if (this.pending?.delete(id)) hit = true;
      if (hit) removed++;
    }
    return removed;
  }

  /** Segments searched, and deleted documents they still hold. */
  get segmentInfo(): { segments: number; deleted: number; docs: number[] } {
    this.flush();
    return { segments: this.segs.length, deleted: this.segs.reduce((n, s) => n + s.delCount, 0), docs: this.segs.map((s) => s.liveCount) };
  }

  /** Statistics of the live documents (equal to those of one merged segment). */
  get stats(): Bm25Stats {
    this.flush();
    let docCount = 0;
    let indexedDocCount = 0;
    let sumTotalTermFreq = 0;
    for (const s of this.segs) {
      docCount += s.liveCount;
      indexedDocCount += s.liveIndexed;
      sumTotalTermFreq += s.liveLength;
    }
    const { termCount, postingCount } = liveTermCounts(this.segs);
    return {
      docCount,
      indexedDocCount,
      termCount,
      postingCount,
      sumTotalTermFreq,
      avgdl: avgFieldLength(sumTotalTermFreq, indexedDocCount),
    };
  }

  /** Number of live documents. */
  get size(): number {
    this.flush();
    let n = 0;
    for (const s of this.segs) n += s.liveCount;
    return n;
  }

  /** The ids of the live documents (segment by segment; each segment in id order). */
  *ids(): Generator<string> {
    this.flush();
    for (const s of this.segs) for (let d = 0; d < s.docCount; d++) if (s.isLive(d)) yield idAt(s.segment, d);
  }

  /** The `k` best documents for `query`, sorted by score desc then id asc. */
  search(query: string, k: number, options: Bm25SearchOptions = {}): ScoredId[] {
    return this.searchTerms(this.analyzer.analyze(query), k, options);
  }

  /** Like {@link search} for already analysed query terms (a repeated term counts once per repeat). */
  searchTerms(terms: readonly string[], k: number, options: Bm25SearchOptions = {}): ScoredId[] {
    const top = this.searchDocs(terms, k, options);
    return Array.from(top.docs, (d, i) => ({ id: this.idAt(d), score: top.scores[i] }));
  }

  /** Top-k in global document numbers (for callers that fetch documents with {@link documentAt}). */
  searchDocs(terms: readonly string[], k: number, options: Bm25SearchOptions = {}): TopK {
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a whole number ≥ 0, got ${k}`);
    this.flush();
    const { k1, b } = resolveParams(options);
    const strategy = options.strategy ?? 'auto';
    const cache = this.cache(k1, b);
    const queries = this.weigh(terms);
    const bases = this.docBases();
    if (this.segs.length === 1) {
      const s = this.segs[0];
      return this.segmentTopK(s, queries[0], cache, Math.min(k, s.liveCount), strategy);
    }
    // Each segment's exact top k (by global statistics), largest segment first, then a k-way merge
    // by score desc, id asc. The best k-th score reached so far is a floor every later segment
    // prunes by (MaxScore starts from it, the exhaustive kernel drops scores below it): a document
    // scoring strictly below it cannot enter the merged top k. Equal scores are kept, because ties
    // across segments are broken by id in the merge.
    const order = this.searchOrder();
    const lists = this.lists;
    lists.reset(this.segs.length);
    let floor = -Infinity;
    let ref = -1;
    for (const i of order) {
      const s = this.segs[i];
      if (queries[i].terms.length === 0) continue; // none of the query's terms: no hits
      const top = this.segmentTopK(s, queries[i], cache, Math.min(k, s.liveCount), strategy, floor, this.scratch);
      lists.set(i, top);
      if (k > 0 && top.docs.length === k && top.scores[k - 1] > floor) {
        floor = top.scores[k - 1];
        ref = i;
      }
    }
    return lists.merge(k, bases, ref, this.segmentData(), (this.ranges ??= idRanges(this.segmentData())));
  }

  /**
   * Runs many queries (e.g. an evaluation at depth 1000); returns hits per query id.
   */
  searchMany(queries: Iterable<Query>, k: number, options: Bm25SearchOptions = {}): Map<string, ScoredId[]> {
    const out = new Map<string, ScoredId[]>();
    for (const q of queries) out.set(q.id, this.search(q.text, k, options));
    return out;
  }

  /** Whether a document with this id is indexed (no document is read). */
  has(id: string): boolean {
    return this.locate(id) !== null;
  }

  /** The stored document with this id, or undefined. */
  document(id: string): Document | undefined {
    const at = this.locate(id);
    return at ? at.seg.store.get(at.d) : undefined;
  }

  /** The stored document with global number `d` (as returned by {@link searchDocs}). */
  documentAt(d: number): Document {
    const { seg, local } = this.segmentOf(d);
    return seg.store.get(local);
  }

  /** The id of global document number `d`. */
  idAt(d: number): string {
    const { seg, local } = this.segmentOf(d);
    return idAt(seg.segment, local);
  }

  /** Releases the document-store files of the segments this index created. The index must not be used afterwards. */
  close(): void {
    for (const s of this.owned) s.store.close();
    this.owned.clear();
  }

  /** Top k live documents of one segment, in its document numbers; none scoring below `floor`. */
  private segmentTopK(
    s: LiveSegment,
    query: WeightedTerms,
    cache: Float32Array,
    k: number,
    strategy: 'auto' | 'maxscore' | 'exhaustive',
    floor = -Infinity,
    sorter = this.sorter,
  ): TopK {
    // Both kernels pass deleted documents over and return at most k hits.
    if (floor > -Infinity && cannotReach(queryBound(s.segment, query, cache), floor)) return NO_HITS;
    const deleted = s.delCount > 0 ? s.deleted : null;
    return this.useExhaustive(s, query, strategy)
      ? s.exhaustive(sorter).topK(query, cache, k, deleted && { bits: deleted, count: s.delCount }, floor, sorter)
      : maxScoreTopK(s.segment, query, cache, k, sorter, deleted, floor);
  }

  /** Query terms → per segment: its dictionary term numbers with Anserini's weights from the statistics of all live documents. */
  private weigh(terms: readonly string[]): WeightedTerms[] {
    const counts = new Map<string, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    // In dictionary (UTF-16) order: each segment's term numbers then come out ascending, as the kernels need.
    const distinct = [...counts.keys()].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
    const T = distinct.length;
    const S = this.segs.length;
    // local[s * T + j]: term j's number in segment s, or -1 (a plain array: small typed arrays cost more to allocate).
    const local: number[] = new Array(S * T);
    const matched = new Int32Array(S);
    const df = new Float64Array(T);
    let indexed = 0;
    for (let si = 0; si < S; si++) {
      const s = this.segs[si];
      indexed += s.liveIndexed;
      for (let j = 0; j < T; j++) {
        const t = s.findTerm(distinct[j]);
        local[si * T + j] = t;
        if (t >= 0) {
          df[j] += s.df(t);
          matched[si]++;
        }
      }
    }
    const weights = new Float64Array(T);
    for (let j = 0; j < T; j++) weights[j] = df[j] > 0 ? termWeight(counts.get(distinct[j])!, idf(df[j], indexed)) : 0;
    const out: WeightedTerms[] = new Array(S);
    for (let si = 0; si < S; si++) {
      const ts = new Uint32Array(matched[si]);
      const ws = new Float64Array(matched[si]);
      let m = 0;
      for (let j = 0; j < T; j++) {
        const t = local[si * T + j];
        if (t < 0 || df[j] === 0) continue;
        ts[m] = t;
        ws[m++] = weights[j];
      }
      out[si] = { terms: m === ts.length ? ts : ts.subarray(0, m), weights: m === ws.length ? ws : ws.subarray(0, m) };
    }
    return out;
  }

  private useExhaustive(s: LiveSegment, query: WeightedTerms, strategy: 'auto' | 'maxscore' | 'exhaustive'): boolean {
    if (strategy !== 'auto') return strategy === 'exhaustive';
    let postings = 0;
    for (const t of query.terms) postings += s.segment.postingOffsets[t + 1] - s.segment.postingOffsets[t];
    return postings <= AUTO_EXHAUSTIVE_POSTINGS;
  }

  private cache(k1: number, b: number): Float32Array {
    const key = `${k1}/${b}`;
    let cache = this.caches.get(key);
    if (!cache) {
      let indexed = 0;
      let length = 0;
      for (const s of this.segs) {
        indexed += s.liveIndexed;
        length += s.liveLength;
      }
      cache = normInverseCache(k1, b, avgFieldLength(length, indexed));
      this.caches.set(key, cache);
    }
    return cache;
  }

  private segmentData(): Segment[] {
    return (this.segData ??= this.segs.map((s) => s.segment));
  }

  /** Segment positions, largest segment first (cached until the segments change). */
  private searchOrder(): Int32Array {
    if (!this.order) {
      const order = Array.from(this.segs.keys()).sort((a, b) => this.segs[b].liveCount - this.segs[a].liveCount || a - b);
      this.order = Int32Array.from(order);
    }
    return this.order;
  }

  private docBases(): Float64Array {
    if (!this.bases) {
      this.bases = new Float64Array(this.segs.length + 1);
      this.segs.forEach((s, i) => (this.bases![i + 1] = this.bases![i] + s.docCount));
    }
    return this.bases;
  }

  private segmentOf(d: number): { seg: LiveSegment; local: number } {
    this.flush();
    const bases = this.docBases();
    let lo = 0;
    let hi = this.segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (bases[mid] <= d) lo = mid;
      else hi = mid - 1;
    }
    if (!(d >= 0 && d < bases[this.segs.length])) throw new ShortlistError('INVALID_ARGUMENT', `document number ${d} is out of range`);
    return { seg: this.segs[lo], local: d - bases[lo] };
  }

  private locate(id: string): { seg: LiveSegment; d: number } | null {
    this.flush();
    for (let i = this.segs.length - 1; i >= 0; i--) {
      const s = this.segs[i];
      const d = findDoc(s.segment, id);
      if (d >= 0 && s.isLive(d)) return { seg: s, d };
    }
    return null;
  }

  private deleteFromSegments(id: string): boolean {
    let hit = false;
    for (const s of this.segs) {
      const d = findDoc(s.segment, id);
      if (d >= 0 && s.markDeleted(d)) hit = true;
    }
    if (hit) this.changed();
    return hit;
  }

  /** Turns staged adds into a new segment, then merges as the policy says (unless `merge` is false). */
  private flush(merge = true): void {
    if (this.pending) {
      const t = performance.now();
      const { segment, store } = this.pending.finish();
      this.timings.build += performance.now() - t;
      this.pending = null;
      if (segment.docCount > 0) {
        const s = new LiveSegment(segment, store);
        this.segs.push(s);
        this.owned.add(s);
      }
      this.changed();
    }
    if (!merge || !this.unmerged) return;
    for (let pick = findMerge(this.segs, this.policy); pick; pick = findMerge(this.segs, this.policy)) {
      const chosen = pick.map((i) => this.segs[i]);
      const t = performance.now();
      this.replace(chosen, mergeLive(chosen));
      this.timings.merge += performance.now() - t;
      this.timings.merges++;
    }
    this.unmerged = false;
  }

  /** Replaces segments `old` by `merged` (dropped when empty), placed where the first of them was. */
  private replace(old: LiveSegment[], merged: LiveSegment): void {
    const at = this.segs.indexOf(old[0]);
    const gone = new Set(old);
    const rest = this.segs.filter((s) => !gone.has(s));
    if (merged.docCount > 0) {
      rest.splice(Math.min(at, rest.length), 0, merged);
      this.owned.add(merged);
    }
    this.segs = rest;
    this.changed();
  }

  private changed(): void {
    this.bases = null;
    this.order = null;
    this.segData = null;
    this.ranges = null;
    this.caches.clear();
    this.unmerged = true;
  }
}

const NO_HITS: TopK = Object.freeze({ docs: new Uint32Array(0), scores: new Float64Array(0) });

/** The highest score any document of the segment could reach for the query (each term's best block, summed). */
function queryBound(seg: Segment, query: WeightedTerms, cache: Float32Array): number {
  let bound = 0;
  for (let i = 0; i < query.terms.length; i++) bound += termUpperBound(seg, query.terms[i], query.weights[i], cache);
  return bound;
}

/** Distinct terms and postings over the live documents of all segments (a k-way walk of the dictionaries). */
function liveTermCounts(segs: readonly LiveSegment[]): { termCount: number; postingCount: number } {
  let postingCount = 0;
  const seen = new Set<string>();
  for (const s of segs) {
    for (let t = 0; t < s.segment.termCount; t++) {
      const n = s.df(t);
      if (n === 0) continue;
      postingCount += n;
      if (segs.length > 1) seen.add(termAt(s.segment, t));
    }
  }
  const termCount = segs.length > 1 ? seen.size : segs.length === 1 ? countLiveTerms(segs[0]) : 0;
  return { termCount, postingCount };
}

function countLiveTerms(s: LiveSegment): number {
  if (s.delCount === 0) return s.segment.termCount;
  let n = 0;
  for (let t = 0; t < s.segment.termCount; t++) if (s.df(t) > 0) n++;
  return n;
}

function isDocument(x: unknown): x is Document {
  return typeof x === 'object' && x !== null && typeof (x as Document).id === 'string' && typeof (x as Document).text === 'string';
}

async function feed(
  builder: SegmentBuilder,
  docs: Iterable<Document> | AsyncIterable<Document>,
  onProgress: ((done: number) => void) | undefined,
  every: number,
): Promise<void> {
  let done = 0;
  if (Symbol.asyncIterator in docs) {
    for await (const doc of docs) {
      builder.add(doc);
      if (++done % every === 0) onProgress?.(done);
    }
  } else {
    for (const doc of docs) {
      builder.add(doc);
      if (++done % every === 0) onProgress?.(done);
    }
  }
  onProgress?.(done);
}

function registeredAnalyzer(id: string, dir: string): Analyzer {
  try {
    return getAnalyzer(id);
  } catch (cause) {
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `${dir} was built with analyzer "${id}", which this version of shortlist does not have; ${rebuildHint(dir)}`,
      { cause },
    );
  }
}

// The rest of the public BM25 API, so callers import one module.
export { Bm25Retriever, type Bm25RetrieverOptions } from './retriever.ts';
export { BM25_DEFAULTS, type Bm25Params } from './similarity.ts';
export { MERGE_POLICY_DEFAULTS, type MergePolicyOptions } from './merge-policy.ts';
export { FsSegmentStore, MemorySegmentStore, type SegmentStore } from './segment-store.ts';
export { SegmentCache, type Bm25PartMeta } from './segments-io.ts';
