/**
 * A collection: a directory holding documents, their chunks and vectors (the LanceDB store,
 * `MANIFEST.json` + `lance/`), the BM25 index over whole documents (`bm25/`), and the pipeline it
 * was created with (`pipeline.json`); writers take turns through the lock in `locks/`.
 *
 * BM25 indexes whole documents (title + text), exactly as `shortlist index` does, so a BM25-only
 * collection ranks as the foundation's BM25 (and Lucene) does; dense search runs over chunks and
 * aggregates chunk hits to documents. Rerankers read the whole document (the cross-encoder windows
 * long ones).
 *
 * A colbert stage with `"store": true` makes the collection keep each chunk's document token
 * matrix (encoded at ingest, only for new or changed chunks; its model is in the fingerprint as
 * `models.colbert`). That stage then scores a candidate by MaxSim against its stored chunk
 * matrices, the chunk scores aggregated to a document score by the pipeline's `aggregate` (max:
 * best chunk, first: chunk 0, sum: sum of the best n); no document is encoded at query time. A
 * document stored as one chunk scores exactly as the query-time path scores it. Chunk texts read
 * the title (so `includeTitle: false` cannot store).
 *
 * Search:
 * 1. parse the filter and check its fields against the stored ones
 * 2. run the retrievers concurrently (the filter applied inside each)
 * 3. fuse their lists when there are several (RRF by default)
 * 4. attach the documents, run the rerank cascade (scores cached per query, candidate and model)
 * 5. cut to k (and minScore); every hit carries its trace, the result carries per-stage timings
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ShortlistError } from '../core/errors.ts';
import type { Document, Hit } from '../core/types.ts';
import { CACHE_DEFAULTS, LruCache, type CacheStats } from '../pipeline/cache.ts';
import { analyzerOf, denseRetrievers, resolvePipeline, storedColbert, type PipelineInput, type ResolvedPipeline } from '../pipeline/config.ts';
import { Pipeline, type PipelineResult } from '../pipeline/pipeline.ts';
import { loadPipeline } from '../pipeline/presets.ts';
import { parseModelSource } from '../models/hub/source.ts';
import { Bm25Index } from '../retrieve/bm25/index.ts';
import { currentVersionDir } from '../retrieve/bm25/storage.ts';
import { checkFilter, parseFilter, type Filter } from '../store/filter.ts';
import { checkFingerprint, type Fingerprint } from '../store/fingerprint.ts';
import { acquireLock } from '../store/lancedb/manifest.ts';
import { LanceCollectionStore } from '../store/lancedb/store.ts';
import type { CollectionInfo, UpsertResult } from '../store/types.ts';
import { getAnalyzer } from '../text/index.ts';
import { stageCalibrations } from '../train/calibration/stage.ts';
import type { ColbertReranker } from '../rerank/colbert/reranker.ts';
import { colbertModelRef, DenseModel, denseModelRef, fetchReranker, isRemoteStage, loadColbert, loadReranker, type LoadedReranker } from './models.ts';
import { bm25Retriever, denseRetriever } from './retrievers.ts';
import { readSource } from './sources.ts';
import { loadQueryAdapter } from '../train/adapter/file.ts';

/** The pipeline file inside a collection directory. */
export const PIPELINE_FILE = 'pipeline.json';
const BM25_DIR = 'bm25';
const LOCK_DIR = 'locks';

/** Options of {@link Collection.open}. */
export interface OpenCollectionOptions {
  /**
   * Search with this pipeline instead of the stored one (a preset name, a file or an object). Its
   * retrievers' models, analyzer and chunking must match the collection's fingerprint
   * (INDEX_MISMATCH otherwise); rerankers, depth, k and fusion may differ. @default the stored pipeline
   */
  pipeline?: string | PipelineInput | ResolvedPipeline;
  /** Query embeddings kept in the LRU cache. @default 1024 */
  queryCache?: number;
  /** Rerank scores kept per stage in the LRU cache. @default 100000 */
  rerankCache?: number;
  /** Apply the query adapter stored in the collection (`shortlist adapt`), if there is one. @default true */
  adapter?: boolean;
}

/** Options of {@link Collection.add}. */
export interface AddOptions {
  /** Called as chunks are embedded, with documents done and documents to embed. */
  onProgress?: (done: number, total: number) => void;
  /** Cancels the add; the previous version stays. */
  signal?: AbortSignal;
}

/** What {@link Collection.add} did. */
export interface AddResult extends UpsertResult {
  /** Documents read from the source. */
  documents: number;
  /** Source kind read. */
  source: 'folder' | 'jsonl' | 'beir' | 'documents';
}

/** Options of {@link Collection.search}. */
export interface CollectionSearchOptions {
  /** Results returned. @default the pipeline's k */
  k?: number;
  /** Metadata where clause, e.g. `year >= 2020 AND lang = 'en'`, applied inside every retriever. */
  filter?: string | Filter;
  /** Keep every stage's full list in `lists` (evaluation). @default false */
  record?: boolean;
  signal?: AbortSignal;
}

/** What a collection holds and how it searches. */
export interface CollectionSummary extends CollectionInfo {
  dir: string;
  pipeline: ResolvedPipeline;
  bm25: { documents: number; terms: number };
}

/** A collection directory opened for adding, removing and searching. Build with `create` or `open`, release with `close`. */
export class Collection {
  readonly #store: LanceCollectionStore;
  #bm25: Bm25Index;
  /** The BM25 version folder `#bm25` was read from (refresh reopens only when it moved). */
  #bm25Version: string;
  /** Searches running now; a replaced BM25 index is closed once none is (they may still read it). */
  #searching = 0;
  readonly #retired: Bm25Index[] = [];
  #dense?: Promise<DenseModel>;
  /** The storing colbert stage's model: encodes chunk matrices at ingest and scores from them. */
  #colbert?: Promise<ColbertReranker>;
  /** That stage's config as the collection was created with it (ingest uses it). */
  readonly #tokenStage?: ReturnType<typeof storedColbert>;
  readonly #rerankers = new Map<number, Promise<LoadedReranker>>();
  readonly #queryCache: LruCache<Float32Array>;
  readonly #rerankCapacity: number;
  readonly #useAdapter: boolean;

  private constructor(readonly dir: string, readonly pipeline: ResolvedPipeline, store: LanceCollectionStore, bm25: Bm25Index, options: OpenCollectionOptions, dense?: DenseModel, stored: ResolvedPipeline = pipeline, colbert?: ColbertReranker) {
    this.#store = store;
    this.#bm25 = bm25;
    this.#bm25Version = currentVersionDir(join(dir, BM25_DIR));
    if (dense) this.#dense = Promise.resolve(dense);
    this.#tokenStage = storedColbert(stored);
    if (colbert) this.#colbert = Promise.resolve(colbert);
    this.#queryCache = new LruCache(options.queryCache ?? CACHE_DEFAULTS.queryEmbeddings);
    this.#rerankCapacity = options.rerankCache ?? CACHE_DEFAULTS.rerankScores;
    this.#useAdapter = options.adapter ?? true;
  }

  /**
   * Creates an empty collection in `dir` with `pipeline` (preset name, file or object; @default
   * 'two-stage'). A dense retriever's model is loaded (fetched on first use) to learn its size and
   * revision; a BM25-only pipeline loads no model.
   */
  static async create(dir: string, pipeline?: string | PipelineInput | ResolvedPipeline, options: OpenCollectionOptions = {}): Promise<Collection> {
    const p = absoluteModels(isResolved(pipeline) ? pipeline : loadPipeline(pipeline));
    if (existsSync(join(dir, PIPELINE_FILE)) || existsSync(join(dir, 'MANIFEST.json'))) {
      throw new ShortlistError('INVALID_ARGUMENT', `a collection already exists at ${dir}; add to it, or create the new one in another directory`);
    }
    const dense = denseRetrievers(p);
    if (dense.length > 1) throw new ShortlistError('INVALID_ARGUMENT', `pipeline.retrievers names ${dense.length} dense retrievers; a collection stores one vector per chunk, so give one`);
    let model: DenseModel | undefined;
    let colbert: ColbertReranker | undefined;
    let tokenDims: number | undefined;
    let dims = 1; // a BM25-only collection stores a 1-component placeholder vector per chunk
    const fingerprint: Fingerprint = { models: {}, analyzer: getAnalyzer(analyzerOf(p)).id, chunking: { ...p.chunking, tokenizer: 'words' } };
    try {
      if (dense[0]) {
        model = await DenseModel.load(dense[0]);
        dims = await model.dims();
        fingerprint.models.dense = await denseModelRef(dense[0], dims);
      }
      for (const stage of p.rerank) await fetchReranker(stage); // fail now, not at the first search, when a model cannot be had
      const storing = storedColbert(p);
      if (storing) {
        colbert = await loadColbert(storing.cfg);
        const [probe] = await colbert.encoder.encodeDocuments(['dimension probe']);
        tokenDims = probe.dims;
        fingerprint.models.colbert = await colbertModelRef(storing.cfg, tokenDims);
      }
      const store = await LanceCollectionStore.create(dir, { fingerprint, dims, distance: 'cosine', ...(tokenDims ? { tokenDims } : {}) });
      const bm25 = Bm25Index.create(getAnalyzer(analyzerOf(p)));
      await bm25.save(join(dir, BM25_DIR));
      writeAtomic(join(dir, PIPELINE_FILE), JSON.stringify(p, null, 2) + '\n');
      return new Collection(dir, p, store, bm25, options, model, p, colbert);
    } catch (err) {
      await model?.dispose();
      await colbert?.dispose();
      throw err;
    }
  }

  /** Opens the collection in `dir` (see {@link OpenCollectionOptions.pipeline} for searching with another pipeline). */
  static async open(dir: string, options: OpenCollectionOptions = {}): Promise<Collection> {
    const file = join(dir, PIPELINE_FILE);
    if (!existsSync(file)) throw new ShortlistError('NOT_FOUND', `${dir} is not a collection (no ${PIPELINE_FILE}); create one with \`shortlist init ${dir}\``);
    const stored = resolvePipeline(JSON.parse(readFileSync(file, 'utf8')), file);
    const p = options.pipeline === undefined ? stored : absoluteModels(loadPipeline(options.pipeline));
    const store = await LanceCollectionStore.open(dir);
    try {
      const fp = (await store.info()).fingerprint;
      if (options.pipeline !== undefined) {
        // Only what the pipeline's retrievers read must match: its dense model and its BM25
        // analyzer. Chunking only matters when adding, and `add` always uses the stored one.
        const dense = denseRetrievers(p);
        if (dense.length > 1) throw new ShortlistError('INDEX_MISMATCH', 'the pipeline names several dense retrievers; a collection holds one vector per chunk');
        const given: Fingerprint = { ...fp, models: { ...fp.models } };
        if (dense[0]) given.models.dense = await denseModelRef(dense[0], fp.models.dense?.dims ?? 0);
        if (p.retrievers.some((r) => r.type === 'bm25')) given.analyzer = getAnalyzer(analyzerOf(p)).id;
        // A storing colbert stage reads the stored matrices, so its model must be the one that made them.
        const storing = storedColbert(p);
        if (storing) given.models.colbert = await colbertModelRef(storing.cfg, fp.models.colbert?.dims ?? 0);
        checkFingerprint(fp, given, dir);
      }
      const bm25 = await Bm25Index.open(join(dir, BM25_DIR));
      return new Collection(dir, p, store, bm25, options, undefined, stored);
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /**
   * Adds or replaces documents from a folder of .md/.txt files, a JSONL file, a BEIR folder, or an
   * array. Unchanged documents (same content hash) are not embedded again. The store commits one
   * version; the BM25 index is then brought up to date with every source document it lacks or
   * holds in another version, so an add killed between the two is completed by the next add. Runs
   * under the collection's writer lock.
   */
  async add(source: string | Document[], options: AddOptions = {}): Promise<AddResult> {
    const { kind, docs } = typeof source === 'string' ? await readSource(source) : { kind: 'documents' as const, docs: source };
    const dense = denseRetrievers(this.pipeline)[0];
    const embed = dense ? async (texts: string[]) => (await this.#denseModel()).embed(texts, 'document') : async (texts: string[]) => texts.map(() => new Float32Array(1));
    const embedTokens = this.#tokenStage ? async (texts: string[]) => (await this.#colbertModel()).encodeDocuments(texts) : undefined;
    return this.#write(async () => {
      const result = await this.#store.upsert(docs, { embed, ...(embedTokens ? { embedTokens } : {}), onProgress: options.onProgress, signal: options.signal });
      await this.#updateBm25(async (index) => {
        const stale = docs.filter((d) => !sameDoc(index.document(d.id), d));
        if (stale.length > 0) await index.add(stale);
        return stale.length > 0;
      });
      return { ...result, documents: docs.length, source: kind };
    });
  }

  /** Removes documents by id (unknown ids are ignored) from the store and the BM25 index. */
  async remove(ids: readonly string[]): Promise<UpsertResult> {
    return this.#write(async () => {
      const result = await this.#store.delete(ids);
      await this.#updateBm25(async (index) => index.delete(ids) > 0);
      return result;
    });
  }

  /**
   * Runs a write under the collection's writer lock (`locks/`), so two processes adding to one
   * collection take turns and the BM25 index is never saved over another writer's changes.
   */
  async #write<T>(fn: () => Promise<T>): Promise<T> {
    mkdirSync(join(this.dir, LOCK_DIR), { recursive: true });
    const release = acquireLock(join(this.dir, LOCK_DIR));
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Reloads the BM25 index from disk (another process may have changed it), applies `change`, saves when it changed. */
  async #updateBm25(change: (index: Bm25Index) => Promise<boolean>): Promise<void> {
    const fresh = await Bm25Index.open(join(this.dir, BM25_DIR));
    try {
      if (await change(fresh)) await fresh.save(join(this.dir, BM25_DIR));
    } catch (err) {
      fresh.close();
      throw err;
    }
    this.#swapBm25(fresh, currentVersionDir(join(this.dir, BM25_DIR)));
  }

  /** Makes `fresh` the BM25 index searches read; the old one is closed when no search still reads it. */
  #swapBm25(fresh: Bm25Index, version: string): void {
    this.#retired.push(this.#bm25);
    this.#bm25 = fresh;
    this.#bm25Version = version;
    if (this.#searching === 0) this.#closeRetired();
  }

  #closeRetired(): void {
    for (const old of this.#retired.splice(0)) old.close();
  }

  /** The stored document with this id (title, text, metadata), or undefined. */
  document(id: string): Document | undefined {
    return this.#bm25.document(id);
  }

  /** Counts, fingerprint, filterable fields and the pipeline. */
  async info(): Promise<CollectionSummary> {
    const info = await this.#store.info();
    return { ...info, dir: this.dir, pipeline: this.pipeline, bm25: { documents: this.#bm25.stats.docCount, terms: this.#bm25.stats.termCount } };
  }

  /** Runs `query` through the pipeline (see the module comment). */
  async search(query: string, options: CollectionSearchOptions = {}): Promise<PipelineResult> {
    this.#searching++;
    try {
      return await this.#search(query, options);
    } finally {
      if (--this.#searching === 0) this.#closeRetired();
    }
  }

  async #search(query: string, options: CollectionSearchOptions): Promise<PipelineResult> {
    const p = this.pipeline;
    let filter: Filter | undefined;
    if (options.filter !== undefined && options.filter !== '') {
      filter = typeof options.filter === 'string' ? parseFilter(options.filter) : options.filter;
      checkFilter(filter, (await this.#store.info()).fields);
    }
    const retrievers = p.retrievers.map((r) =>
      r.type === 'bm25' ? bm25Retriever(this.#bm25, r, filter) : denseRetriever(this.#store, () => this.#denseModel(), r, p.aggregate, this.#queryCache, filter),
    );
    const calibrations = stageCalibrations(this.dir, p);
    const rerank = await Promise.all(p.rerank.map(async (s, i) => ({ reranker: await this.#reranker(i), keep: s.keep, calibration: calibrations.get(i) })));
    const pipeline = new Pipeline({
      retrievers,
      fusion: p.fusion,
      rerank,
      depth: p.depth,
      k: options.k ?? p.k,
      minScore: p.minScore,
      hydrate: async (hits) => hits.map((h) => (h.document ? h : { ...h, document: this.#bm25.document(h.id) })),
    });
    const result = await pipeline.search(query, { signal: options.signal, record: options.record });
    result.hits = result.hits.map((h) => (h.document ? h : { ...h, document: this.#bm25.document(h.id) }));
    return result;
  }

  /** Moves this handle to the latest committed version (what other processes added); true when it changed. */
  async refresh(): Promise<boolean> {
    const changed = await this.#store.refresh();
    // the version is read before opening: a save in between only makes the next refresh reopen again
    const version = currentVersionDir(join(this.dir, BM25_DIR));
    if (version === this.#bm25Version) return changed;
    this.#swapBm25(await Bm25Index.open(join(this.dir, BM25_DIR)), version);
    return true;
  }

  /** Hit rates of the query-embedding cache and of each rerank stage's score cache. */
  async cacheStats(): Promise<{ queryEmbeddings: CacheStats; rerank: CacheStats[] }> {
    const rerank = await Promise.all([...this.#rerankers.values()].map(async (r) => (await r).cache.stats));
    return { queryEmbeddings: this.#queryCache.stats, rerank };
  }

  /** Encoder calls and texts embedded by this handle (0 when no dense model was loaded). */
  async encoderCounters(): Promise<{ calls: number; texts: number; loaded: boolean }> {
    if (!this.#dense) return { calls: 0, texts: 0, loaded: false };
    return { ...(await this.#dense).counters, loaded: true };
  }

  /**
   * Calls of the storing colbert stage's encoder by this handle (ingest and search): query
   * batches, document batches and documents encoded. All zero when that model is not loaded.
   */
  async colbertCounters(): Promise<{ queryCalls: number; documentCalls: number; documentTexts: number; loaded: boolean }> {
    if (!this.#colbert) return { queryCalls: 0, documentCalls: 0, documentTexts: 0, loaded: false };
    return { ...(await this.#colbert).counters, loaded: true };
  }

  /** Releases the store, the index and every loaded model. */
  async close(): Promise<void> {
    const models = [this.#dense, this.#colbert, ...this.#rerankers.values()].filter((m) => m !== undefined);
    await Promise.all(models.map(async (m) => (await m!.catch(() => undefined))?.dispose()));
    this.#bm25.close();
    this.#closeRetired();
    await this.#store.close();
  }

  /** The dense model, loaded on first use and checked against the fingerprint. */
  #denseModel(): Promise<DenseModel> {
    this.#dense ??= (async () => {
      const cfg = denseRetrievers(this.pipeline)[0];
      const fp = (await this.#store.info()).fingerprint;
      const ref = await denseModelRef(cfg, fp.models.dense?.dims ?? 0);
      checkFingerprint({ ...fp, models: { dense: fp.models.dense! } }, { ...fp, models: { dense: ref } }, this.dir);
      const model = await DenseModel.load(cfg);
      const adapter = this.#useAdapter ? loadQueryAdapter(this.dir, fp.models.dense!) : undefined;
      if (adapter) model.setQueryAdapter(adapter);
      return model;
    })();
    return this.#dense;
  }

  /**
   * The storing colbert stage's model, loaded on first use and checked against the fingerprint
   * (the search pipeline's storing stage when it has one, else the one the collection was created with).
   */
  #colbertModel(): Promise<ColbertReranker> {
    this.#colbert ??= (async () => {
      const cfg = (storedColbert(this.pipeline) ?? this.#tokenStage)!.cfg;
      const fp = (await this.#store.info()).fingerprint;
      const ref = await colbertModelRef(cfg, fp.models.colbert?.dims ?? 0);
      checkFingerprint({ ...fp, models: { colbert: fp.models.colbert! } }, { ...fp, models: { colbert: ref } }, this.dir);
      return loadColbert(cfg);
    })();
    return this.#colbert;
  }

  /** Stored chunk token matrices of these documents, in chunk order. */
  async #storedMatrices(docIds: readonly string[]): Promise<Map<string, Float32Array[]>> {
    const out = new Map<string, Float32Array[]>();
    for (const c of await this.#store.chunks(docIds, { vectors: true })) {
      if (!c.tokenVectors) continue;
      const list = out.get(c.docId);
      if (list) list.push(c.tokenVectors);
      else out.set(c.docId, [c.tokenVectors]);
    }
    return out;
  }

  #reranker(i: number): Promise<LoadedReranker> {
    let r = this.#rerankers.get(i);
    if (!r) {
      const storing = storedColbert(this.pipeline);
      r =
        storing?.index === i && this.#tokenStage
          ? this.#colbertModel().then((m) => loadReranker(this.pipeline.rerank[i], this.#rerankCapacity, m.withStored((ids) => this.#storedMatrices(ids), this.pipeline.aggregate)))
          : loadReranker(this.pipeline.rerank[i], this.#rerankCapacity);
      this.#rerankers.set(i, r);
    }
    return r;
  }
}

/** True when a stored BM25 document is `d` (title, text and metadata). */
function sameDoc(stored: Document | undefined, d: Document): boolean {
  if (!stored) return false;
  return stored.text === d.text && (stored.title ?? undefined) === (d.title ?? undefined) && JSON.stringify(stored.metadata ?? {}) === JSON.stringify(d.metadata ?? {});
}

/** The pipeline with local model folders made absolute, so the saved pipeline works from any directory. */
function absoluteModels(p: ResolvedPipeline): ResolvedPipeline {
  const abs = <T extends object>(s: T): T => {
    if (!('model' in s) || typeof s.model !== 'string' || ('type' in s && isRemoteStage(s as { type: string }))) return s;
    const src = parseModelSource(s.model);
    return src.kind === 'local' ? { ...s, model: resolve(src.dir) } : s;
  };
  return resolvePipeline({ ...p, retrievers: p.retrievers.map(abs), rerank: p.rerank.map(abs) });
}

function isResolved(p: unknown): p is ResolvedPipeline {
  return typeof p === 'object' && p !== null && Object.isFrozen(p) && 'aggregate' in p && 'fusion' in p;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
