/**
 * A BM25 index that scores exactly like Lucene 8.7's BM25Similarity with Anserini's settings.
 *
 * Lifecycle: 1. `Bm25Index.build(docs, { analyzer })` or `await Bm25Index.open(dir)`;
 * 2. `search` / `searchMany` (k1 and b are per-search: the index stores raw tfs and lengths);
 * 3. `add` (upsert) and `delete` by id, any time; 4. `save(dir)` writes a new version atomically;
 * 5. `close()` releases the document-store file.
 *
 * Changes are staged and merged into the one searchable segment before the next search or save,
 * so statistics (N, df, avgdl) always describe exactly the live documents: results after any
 * sequence of adds and deletes equal those of a fresh build over the same documents. (Lucene keeps
 * deleted documents in its statistics until segments merge; we choose exactness.) A merge costs
 * time proportional to the index, so batch changes between searches.
 */
import { existsSync } from 'node:fs';
import { ShortlistError } from '../../core/errors.ts';
import type { Document, Query } from '../../core/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { getAnalyzer } from '../../text/index.ts';
import { SegmentBuilder } from './builder.ts';
import { DocStore } from './doc-store.ts';
import { readIndexFiles, readManifest, writeIndexFiles } from './persist.ts';
import { emptySegment, findDoc, findTerm, idAt, mergeSegments, type Segment } from './segment.ts';
import { avgFieldLength, idf, normInverseCache, resolveParams, termWeight, type Bm25Params } from './similarity.ts';
import { currentVersionDir, rebuildHint, writeVersion, type SaveStepHook } from './storage.ts';
import { HitSorter } from './hit-sort.ts';
import { ExhaustiveScorer, maxScoreTopK, type TopK, type WeightedTerms } from './topk.ts';

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

/** A BM25 index over a document collection, with its document store. */
export class Bm25Index {
  private segment: Segment;
  private store: DocStore;
  private pending: SegmentBuilder | null = null;
  private deleted: Uint8Array | null = null;
  private exhaustiveScorer: ExhaustiveScorer | null = null;
  /** Sort keys for ranking hits, reused by every search (grows to the most hits ranked at once). */
  private readonly sorter = new HitSorter(1024);
  private readonly caches = new Map<string, Float32Array>();

  private constructor(readonly analyzer: Analyzer, segment: Segment, store: DocStore) {
    this.segment = segment;
    this.store = store;
  }

  /** An empty index using `analyzer`. */
  static create(analyzer: Analyzer): Bm25Index {
    return new Bm25Index(analyzer, emptySegment(), DocStore.empty());
  }

  /** Builds an index from documents (a later document with an existing id replaces the earlier one). */
  static async build(docs: Iterable<Document> | AsyncIterable<Document>, options: Bm25BuildOptions): Promise<Bm25Index> {
    const builder = new SegmentBuilder(options.analyzer);
    await feed(builder, docs, options.onProgress, options.progressEvery ?? 10000);
    const { segment, store } = builder.finish();
    return new Bm25Index(options.analyzer, segment, store);
  }

  /** Opens the index saved in `dir`, reading its arrays straight from disk. */
  static async open(dir: string, options: Bm25OpenOptions = {}): Promise<Bm25Index> {
    for (let attempt = 1; ; attempt++) {
      const folder = currentVersionDir(dir);
      try {
        const manifest = readManifest(folder, dir);
        const analyzer = options.analyzer ?? registeredAnalyzer(manifest.analyzer, dir);
        if (analyzer.id !== manifest.analyzer) {
          throw new ShortlistError('INDEX_MISMATCH', `${dir} was built with analyzer "${manifest.analyzer}" but is being opened with "${analyzer.id}"; open it with the same analyzer, or ${rebuildHint(dir)}`);
        }
        const { segment, store } = readIndexFiles(folder, manifest, dir);
        return new Bm25Index(analyzer, segment, store);
      } catch (err) {
        // A concurrent save may have replaced this version between reading CURRENT and its files.
        if (attempt < 3 && !existsSync(folder)) continue;
        throw err;
      }
    }
  }

  /** Writes the index to `dir` as a new version, atomically (see `storage.ts`). */
  async save(dir: string, options: Bm25SaveOptions = {}): Promise<void> {
    this.commit();
    const folder = writeVersion(dir, (tmp) => void writeIndexFiles(tmp, this.segment, this.store, this.analyzer.id), options.onStep);
    // Read documents from the new files from now on; the old ones may be gone.
    const { segment, store } = readIndexFiles(folder, readManifest(folder, dir), dir);
    this.store.close();
    this.segment = segment;
    this.store = store;
    this.exhaustiveScorer = null;
  }

  /** Adds documents; a document whose id is already indexed replaces it (upsert). */
  async add(docs: Document | Iterable<Document> | AsyncIterable<Document>): Promise<void> {
    const list = isDocument(docs) ? [docs] : docs;
    const builder = (this.pending ??= new SegmentBuilder(this.analyzer));
    for await (const doc of list) {
      builder.add(doc); // validates the document first
      const existing = findDoc(this.segment, doc.id);
      if (existing >= 0) this.markDeleted(existing);
    }
  }

  /** Deletes documents by id; returns how many existed. */
  delete(ids: string | Iterable<string>): number {
    let removed = 0;
    for (const id of typeof ids === 'string' ? [ids] : ids) {
      const d = findDoc(this.segment, id);
      let hit = d >= 0 && this.markDeleted(d);
      if (this.pending?.delete(id)) hit = true;
      if (hit) removed++;
    }
    return removed;
  }

  /** Statistics of the live documents. */
  get stats(): Bm25Stats {
    this.commit();
    const s = this.segment;
    return {
      docCount: s.docCount, indexedDocCount: s.indexedDocCount, termCount: s.termCount,
      postingCount: s.postingDocs.length, sumTotalTermFreq: s.sumTotalTermFreq,
      avgdl: avgFieldLength(s.sumTotalTermFreq, s.indexedDocCount),
    };
  }

  /** Number of live documents. */
  get size(): number {
    this.commit();
    return this.segment.docCount;
  }

  /** The `k` best documents for `query`, sorted by score desc then id asc. */
  search(query: string, k: number, options: Bm25SearchOptions = {}): ScoredId[] {
    return this.searchTerms(this.analyzer.analyze(query), k, options);
  }

  /** Like {@link search} for already analysed query terms (a repeated term counts once per repeat). */
  searchTerms(terms: readonly string[], k: number, options: Bm25SearchOptions = {}): ScoredId[] {
    return this.toScoredIds(this.searchDocs(terms, k, options));
  }

  /** Top-k in document numbers (for callers that fetch documents with {@link documentAt}). */
  searchDocs(terms: readonly string[], k: number, options: Bm25SearchOptions = {}): TopK {
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a whole number ≥ 0, got ${k}`);
    this.commit();
    const { k1, b } = resolveParams(options);
    const query = this.weigh(terms);
    const cache = this.cache(k1, b);
    k = Math.min(k, this.segment.docCount);
    if (!this.useExhaustive(query, options.strategy ?? 'auto')) return maxScoreTopK(this.segment, query, cache, k, this.sorter);
    this.exhaustiveScorer ??= new ExhaustiveScorer(this.segment, this.sorter);
    return this.exhaustiveScorer.topK(query, cache, k);
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
    this.commit();
    return findDoc(this.segment, id) >= 0;
  }

  /** The stored document with this id, or undefined. */
  document(id: string): Document | undefined {
    this.commit();
    const d = findDoc(this.segment, id);
    return d < 0 ? undefined : this.store.get(d);
  }

  /** The stored document with number `d` (as returned by {@link searchDocs}). */
  documentAt(d: number): Document {
    this.commit();
    return this.store.get(d);
  }

  /** The id of document number `d`. */
  idAt(d: number): string {
    this.commit();
    return idAt(this.segment, d);
  }

  /** Releases the document-store file. The index must not be used afterwards. */
  close(): void {
    this.store.close();
  }

  private toScoredIds(top: TopK): ScoredId[] {
    // Already in compareHits order: documents are numbered in id order and ties go by number.
    const { docs, scores } = top;
    const { idText, idOffsets } = this.segment;
    const out: ScoredId[] = new Array(docs.length);
    for (let i = 0; i < docs.length; i++) {
      const d = docs[i];
      out[i] = { id: idText.slice(idOffsets[d], idOffsets[d + 1]), score: scores[i] };
    }
    return out;
  }

  /** Query terms → distinct dictionary terms with Anserini's weights (boost = repeat count). */
  private weigh(terms: readonly string[]): WeightedTerms {
    const counts = new Map<number, number>();
    for (const term of terms) {
      const t = findTerm(this.segment, term);
      if (t >= 0) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    const ids = Uint32Array.from(counts.keys()).sort();
    const seg = this.segment;
    const weights = Float64Array.from(ids, (t) => {
      const df = seg.postingOffsets[t + 1] - seg.postingOffsets[t];
      return termWeight(counts.get(t)!, idf(df, seg.indexedDocCount));
    });
    return { terms: ids, weights };
  }

  private useExhaustive(query: WeightedTerms, strategy: 'auto' | 'maxscore' | 'exhaustive'): boolean {
    if (strategy !== 'auto') return strategy === 'exhaustive';
    let postings = 0;
    for (const t of query.terms) postings += this.segment.postingOffsets[t + 1] - this.segment.postingOffsets[t];
    return postings <= AUTO_EXHAUSTIVE_POSTINGS;
  }

  private cache(k1: number, b: number): Float32Array {
    const key = `${k1}/${b}`;
    let cache = this.caches.get(key);
    if (!cache) {
      cache = normInverseCache(k1, b, avgFieldLength(this.segment.sumTotalTermFreq, this.segment.indexedDocCount));
      this.caches.set(key, cache);
    }
    return cache;
  }

  private markDeleted(d: number): boolean {
    this.deleted ??= new Uint8Array(this.segment.docCount);
    if (this.deleted[d]) return false;
    this.deleted[d] = 1;
    return true;
  }

  /** Merges staged adds and deletes into the searchable segment. */
  private commit(): void {
    if (!this.pending && !this.deleted) return;
    let live: Uint8Array | null = null;
    if (this.deleted) {
      live = new Uint8Array(this.segment.docCount);
      for (let d = 0; d < live.length; d++) live[d] = this.deleted[d] ? 0 : 1;
    }
    const added = this.pending?.finish() ?? null;
    const merged = mergeSegments(this.segment, live, added?.segment ?? null, null);
    this.store = DocStore.merge(this.store, merged.mapA, added?.store ?? null, merged.mapB, merged.segment.docCount);
    this.segment = merged.segment;
    this.pending = null;
    this.deleted = null;
    this.exhaustiveScorer = null;
    this.caches.clear();
  }
}

function isDocument(x: unknown): x is Document {
  return typeof x === 'object' && x !== null && typeof (x as Document).id === 'string' && typeof (x as Document).text === 'string';
}

async function feed(builder: SegmentBuilder, docs: Iterable<Document> | AsyncIterable<Document>, onProgress: ((done: number) => void) | undefined, every: number): Promise<void> {
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
    throw new ShortlistError('INDEX_MISMATCH', `${dir} was built with analyzer "${id}", which this version of shortlist does not have; ${rebuildHint(dir)}`, { cause });
  }
}

// The rest of the public BM25 API, so callers import one module.
export { Bm25Retriever, type Bm25RetrieverOptions } from './retriever.ts';
export { BM25_DEFAULTS, type Bm25Params } from './similarity.ts';
