/**
 * A collection: documents, their chunks and vectors, a BM25 index over whole documents, and the
 * pipeline it was created with, kept in its home (`home/`): a directory (the LanceDB store, `bm25/`,
 * `pipeline.json`, writers taking turns through the lock in `locks/`) or a Postgres schema named
 * by a `postgres://…?schema=` URL (BM25 scored in SQL with the same scores, writes in the store's
 * transaction). Everything below reads the same over both.
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
import { resolve } from 'node:path';
import { ShortlistError } from '../core/errors.ts';
import type { Document, Hit } from '../core/types.ts';
import { checkIds } from '../core/unicode.ts';
import { CACHE_DEFAULTS, LruCache, type CacheStats } from '../pipeline/cache.ts';
import {
  analyzerOf,
  denseRetrievers,
  resolvePipeline,
  storedColbert,
  type PipelineInput,
  type ResolvedPipeline,
} from '../pipeline/config.ts';
import { Pipeline, type PipelineResult } from '../pipeline/pipeline.ts';
import { loadPipeline } from '../pipeline/presets.ts';
import { parseModelSource } from '../models/hub/source.ts';
import { checkFilter, parseFilter, type Filter } from '../store/filter.ts';
import { checkFingerprint, type Fingerprint } from '../store/fingerprint.ts';
import type { CollectionInfo, CollectionStore, UpsertResult } from '../store/types.ts';
import { getAnalyzer } from '../text/index.ts';
import { collectionStageCalibrations, type StageCalibration } from './calibration.ts';
import type { ColbertReranker } from '../rerank/colbert/reranker.ts';
import type { DenseModel } from './models.ts';
import { fetchReranker, isRemoteStage, loadColbert, loadReranker, type LoadedReranker } from './rerankers.ts';
import { denseRetriever } from './retrievers.ts';
import { CollectionPassages, type PassageChooser } from './passages.ts';
import { assembleContext, documentList, matchSpans, type AssembledContext } from '../pipeline/passages/index.ts';
import { locationFor } from './home/locations.ts';
import { assertFolderFree } from './home/names.ts';
import type { CheckReport, CollectionConfig, CollectionHome, LexicalStats, OptimizeReport } from './home/types.ts';
import { readSource } from './sources.ts';
import { loadCollectionAdapter } from './query-adapter.ts';

export { PIPELINE_FILE } from './home/names.ts';

/** The dense model loaders and model references, imported when a pipeline first needs one (a BM25-only collection never does). */
const models = () => import('./models.ts');

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
  /**
   * Keep every stage's full list in `lists` (evaluation). In a passage-unit pipeline the lists hold
   * document ids, each at the rank of its best passage (how document qrels judge passages). @default false
   */
  record?: boolean;
  /** Attach each document-unit hit's best passages (`hit.passages`; a passage-unit hit always has its own). @default true */
  passages?: boolean;
  signal?: AbortSignal;
}

/** Options of {@link Collection.context}. */
export interface ContextOptions {
  /** Most words (or units of `count`) in the context, source lines included. */
  budget: number;
  /** Hits whose passages compete for the budget. @default the pipeline's k */
  k?: number;
  /** Metadata where clause, as in search. */
  filter?: string | Filter;
  /** Counts a text's tokens (e.g. a tokenizer's `tokenIds(text).length`). @default words (runs of non-space) */
  count?: (text: string) => number;
  signal?: AbortSignal;
}

/** What a collection holds and how it searches. */
export interface CollectionSummary extends CollectionInfo {
  /** The directory, or the `postgres://` URL with its password hidden. */
  dir: string;
  pipeline: ResolvedPipeline;
  bm25: LexicalStats;
}

/** A collection (in a directory or a Postgres schema) opened for adding, removing and searching. Build with `create` or `open`, release with `close`. */
export class Collection {
  readonly #home: CollectionHome;
  readonly #store: CollectionStore;
  #dense?: Promise<DenseModel>;
  /** The storing colbert stage's model: encodes chunk matrices at ingest and scores from them. */
  #colbert?: Promise<ColbertReranker>;
  /** That stage's config as the collection was created with it (ingest uses it). */
  readonly #tokenStage?: ReturnType<typeof storedColbert>;
  readonly #rerankers = new Map<number, Promise<LoadedReranker>>();
  readonly #queryCache: LruCache<Float32Array>;
  readonly #rerankCapacity: number;
  readonly #useAdapter: boolean;
  /** The stage calibrations `minRelevance` cuts by, read once per handle; cleared by `refresh` and by writes through `config`. */
  #calibrations?: Promise<Map<number, StageCalibration>>;
  /** Chunks, chunk-level BM25 and passage choice. */
  readonly #passages: CollectionPassages;

  /** Where the collection lives, as given: a directory, a `postgres://` URL or an `s3://` location. */
  readonly location: string;

  /** @deprecated the same as {@link location}, which may be a URL rather than a directory. */
  get dir(): string {
    return this.location;
  }

  private constructor(
    home: CollectionHome,
    readonly pipeline: ResolvedPipeline,
    options: OpenCollectionOptions,
    dense?: DenseModel,
    stored: ResolvedPipeline = pipeline,
    colbert?: ColbertReranker,
  ) {
    this.#home = home;
    this.#store = home.store;
    this.location = home.location;
    if (dense) this.#dense = Promise.resolve(dense);
    this.#tokenStage = storedColbert(stored);
    if (colbert) this.#colbert = Promise.resolve(colbert);
    this.#queryCache = new LruCache(options.queryCache ?? CACHE_DEFAULTS.queryEmbeddings);
    this.#rerankCapacity = options.rerankCache ?? CACHE_DEFAULTS.rerankScores;
    this.#useAdapter = options.adapter ?? true;
    this.#passages = new CollectionPassages(home, home.store, pipeline, getAnalyzer(analyzerOf(pipeline)));
  }

  /** True when `location` (a directory or a `postgres://…?schema=` URL) holds a collection. */
  static exists(location: string): Promise<boolean> {
    return locationFor(location).exists(location);
  }

  /**
   * Creates an empty collection at `location` — a directory, or a `postgres://…?schema=name` URL
   * (a new schema) — with `pipeline` (preset name, file or object; @default 'two-stage'). A dense
   * retriever's model is loaded (fetched on first use) to learn its size and revision; a
   * BM25-only pipeline loads no model.
   */
  static async create(
    location: string,
    pipeline?: string | PipelineInput | ResolvedPipeline,
    options: OpenCollectionOptions = {},
  ): Promise<Collection> {
    const p = absoluteModels(isResolved(pipeline) ? pipeline : loadPipeline(pipeline));
    if (locationFor(location).id === 'folder') assertFolderFree(location);
    const dense = denseRetrievers(p);
    if (dense.length > 1)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `pipeline.retrievers names ${dense.length} dense retrievers; a collection stores one vector per chunk, so give one`,
      );
    let model: DenseModel | undefined;
    let colbert: ColbertReranker | undefined;
    let tokenDims: number | undefined;
    let dims = 1; // a BM25-only collection stores a 1-component placeholder vector per chunk
    const fingerprint: Fingerprint = {
      models: {},
      analyzer: getAnalyzer(analyzerOf(p)).id,
      chunking: { ...p.chunking, tokenizer: 'words' },
    };
    try {
      if (dense[0]) {
        const { DenseModel, denseModelRef } = await models();
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
        fingerprint.models.colbert = await (await models()).colbertModelRef(storing.cfg, tokenDims);
      }
      const home = await locationFor(location).create(location, p, getAnalyzer(analyzerOf(p)), {
        fingerprint,
        dims,
        distance: 'cosine',
        ...(tokenDims ? { tokenDims } : {}),
      });
      return new Collection(home, p, options, model, p, colbert);
    } catch (err) {
      await model?.dispose();
      await colbert?.dispose();
      throw err;
    }
  }

  /**
   * Opens the collection at `location`, a directory or a `postgres://…?schema=` URL (see
   * {@link OpenCollectionOptions.pipeline} for searching with another pipeline).
   */
  static async open(location: string, options: OpenCollectionOptions = {}): Promise<Collection> {
    const { home, pipeline: stored } = await locationFor(location).open(location);
    try {
      const p = options.pipeline === undefined ? stored : absoluteModels(loadPipeline(options.pipeline));
      const fp = (await home.store.info()).fingerprint;
      if (options.pipeline !== undefined) {
        // Only what the pipeline's retrievers read must match: its dense model and its BM25
        // analyzer. Chunking only matters when adding, and `add` always uses the stored one.
        const dense = denseRetrievers(p);
        if (dense.length > 1)
          throw new ShortlistError(
            'INDEX_MISMATCH',
            'the pipeline names several dense retrievers; a collection holds one vector per chunk',
          );
        const given: Fingerprint = { ...fp, models: { ...fp.models } };
        if (dense[0]) given.models.dense = await (await models()).denseModelRef(dense[0], fp.models.dense?.dims ?? 0);
        if (p.retrievers.some((r) => r.type === 'bm25')) given.analyzer = getAnalyzer(analyzerOf(p)).id;
        // A storing colbert stage reads the stored matrices, so its model must be the one that made them.
        const storing = storedColbert(p);
        if (storing) given.models.colbert = await (await models()).colbertModelRef(storing.cfg, fp.models.colbert?.dims ?? 0);
        checkFingerprint(fp, given, home.display);
      }
      return new Collection(home, p, options, undefined, stored);
    } catch (err) {
      await home.close();
      throw err;
    }
  }

  /**
   * Adds or replaces documents from a folder of .md/.txt files, a JSONL file, a BEIR folder, or an
   * array. Unchanged documents (same content hash) are not embedded again. The store and the BM25
   * index change in one write (see the home: a directory's writer lock, Postgres's transaction).
   */
  async add(source: string | Document[], options: AddOptions = {}): Promise<AddResult> {
    const { kind, docs } = typeof source === 'string' ? await readSource(source) : { kind: 'documents' as const, docs: source };
    checkIds(
      docs.map((d) => d.id),
      'document id',
    );
    const dense = denseRetrievers(this.pipeline)[0];
    const embed = dense
      ? async (texts: string[]) => (await this.#denseModel()).embed(texts, 'document')
      : async (texts: string[]) => texts.map(() => new Float32Array(1));
    const embedTokens = this.#tokenStage ? async (texts: string[]) => (await this.#colbertModel()).encodeDocuments(texts) : undefined;
    const result = await this.#home.upsert(docs, {
      embed,
      ...(embedTokens ? { embedTokens } : {}),
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return { ...result, documents: docs.length, source: kind };
  }

  /** Removes documents by id (unknown ids are ignored) from the store and the BM25 index. */
  async remove(ids: readonly string[]): Promise<UpsertResult> {
    checkIds(ids);
    return this.#home.remove(ids);
  }

  /**
   * The stored document with this id (title, text, metadata), or undefined, read from the
   * version's BM25 segments without a round trip (every location keeps them in memory).
   */
  document(id: string): Document | undefined {
    if (!this.#home.documentNow)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `document(id) reads a directory collection's in-memory index; ${this.#home.display} is in a database: use await documents([id])`,
      );
    return this.#home.documentNow(id);
  }

  /** The stored documents with these ids, in the order asked; ids not stored are left out. */
  async documents(ids: readonly string[]): Promise<Document[]> {
    const found = await this.#home.documents(ids);
    return ids.flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
  }

  /** The named JSON values kept with the collection (stage calibrations, the query adapter): files in its directory, config rows in Postgres. */
  get config(): CollectionConfig {
    const home = this.#home;
    return {
      display: home.display,
      readConfig: (name) => home.readConfig(name),
      writeConfig: (name, value) => {
        this.#calibrations = undefined;
        return home.writeConfig(name, value);
      },
      configPlace: (name) => home.configPlace(name),
    };
  }

  /** Counts, fingerprint, filterable fields and the pipeline. */
  async info(): Promise<CollectionSummary> {
    const info = await this.#store.info();
    return { ...info, dir: this.#home.display, pipeline: this.pipeline, bm25: this.#home.lexicalStats() };
  }

  /** Runs `query` through the pipeline (see the module comment). */
  async search(query: string, options: CollectionSearchOptions = {}): Promise<PipelineResult> {
    return this.#home.reading(() => this.#search(query, options));
  }

  async #search(query: string, options: CollectionSearchOptions): Promise<PipelineResult> {
    const p = this.pipeline;
    let filter: Filter | undefined;
    if (options.filter !== undefined && options.filter !== '') {
      filter = typeof options.filter === 'string' ? parseFilter(options.filter) : options.filter;
      checkFilter(filter, (await this.#store.info()).fields);
    }
    const passage = p.unit === 'passage';
    const retrievers = p.retrievers.map((r) =>
      r.type === 'bm25'
        ? passage
          ? this.#passages.chunkBm25Retriever(r, filter)
          : this.#home.bm25Retriever(r, filter)
        : denseRetriever(this.#store, () => this.#denseModel(), r, p.aggregate, this.#queryCache, filter, p.unit),
    );
    const calibrations = await this.#stageCalibrations();
    const rerank = await Promise.all(
      p.rerank.map(async (s, i) => ({ reranker: await this.#reranker(i), keep: s.keep, calibration: calibrations.get(i) })),
    );
    const pipeline = new Pipeline({
      retrievers,
      fusion: p.fusion,
      rerank,
      depth: p.depth,
      k: options.k ?? p.k,
      minScore: p.minScore,
      unit: p.unit,
      perDocument: p.perDocument,
      hydrate: passage ? (hits) => this.#passages.hydrateChunks(hits) : (hits) => this.#hydrate(hits),
    });
    const result = await pipeline.search(query, { signal: options.signal, record: options.record });
    if (passage) {
      result.hits = await this.#passages.hydrateChunks(result.hits);
      result.lists = result.lists?.map((l) => ({ stage: l.stage, hits: documentList(l.hits) }));
    } else {
      result.hits = await this.#hydrate(result.hits);
      if (options.passages !== false)
        result.hits = await this.#passages.attach(query, result.hits, p.passages, await this.#passageChooser(), { signal: options.signal });
    }
    return result;
  }

  /** Who chooses a document-unit hit's passages: the stage that ranked it (see `passages.ts`). */
  async #passageChooser(): Promise<PassageChooser> {
    const p = this.pipeline;
    const last = p.rerank.length - 1;
    if (last >= 0)
      return p.rerank[last].type === 'cross-encoder' ? { by: 'reranker', reranker: await this.#reranker(last) } : { by: 'density' };
    return p.retrievers.length === 1 && p.retrievers[0].type === 'dense' ? { by: 'chunk-scores' } : { by: 'density' };
  }

  /**
   * The best passages for `query` that fit in `budget` words (or `count` units), ready for a
   * prompt: adjacent chunks of a document merged, overlap removed, each with its document id and
   * character offsets (see `assembleContext`).
   */
  async context(query: string, options: ContextOptions): Promise<AssembledContext & { query: string }> {
    if (!Number.isInteger(options.budget) || options.budget < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `budget must be a positive whole number, got ${options.budget}`, {
        location: { field: 'budget' },
      });
    const res = await this.search(query, { k: options.k, filter: options.filter, signal: options.signal });
    const analyzer = getAnalyzer(analyzerOf(this.pipeline));
    const terms = new Set(analyzer.analyze(query));
    return {
      query,
      ...assembleContext(res.hits, options.budget, {
        ...(options.count ? { count: options.count } : {}),
        focus: (text) => matchSpans(text, terms, analyzer),
      }),
    };
  }

  /** `hits` with their stored documents attached (those that lack one). */
  async #hydrate(hits: Hit[]): Promise<Hit[]> {
    const missing = hits.filter((h) => !h.document).map((h) => h.id);
    if (missing.length === 0) return hits;
    const docs = await this.#home.documents(missing);
    return hits.map((h) => (h.document ? h : { ...h, document: docs.get(h.id) }));
  }

  /**
   * Verifies the latest committed version: every part it names exists with its recorded size, the
   * store's ids equal BM25's, counts and the analyzer agree; lists garbage (`shortlist check`).
   */
  check(): Promise<CheckReport> {
    return this.#home.check();
  }

  /** Merges the BM25 segments into one (a new version) and removes part files no version names (`shortlist optimize`). */
  optimize(): Promise<OptimizeReport> {
    return this.#home.optimize();
  }

  /** Moves this handle to the latest committed version (what other processes added); true when it changed. */
  async refresh(): Promise<boolean> {
    this.#calibrations = undefined; // another process may have stored a new fit (`calibrate --save-to`)
    return this.#home.refresh();
  }

  /** The pipeline's stage calibrations, loaded on first use (a failed load is retried by the next search). */
  #stageCalibrations(): Promise<Map<number, StageCalibration>> {
    if (!this.#calibrations) {
      const loading = collectionStageCalibrations(this.#home, this.pipeline);
      this.#calibrations = loading;
      loading.catch(() => {
        if (this.#calibrations === loading) this.#calibrations = undefined;
      });
    }
    return this.#calibrations;
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
    this.#passages.close();
    await this.#home.close();
  }

  /** The dense model, loaded on first use and checked against the fingerprint. */
  #denseModel(): Promise<DenseModel> {
    this.#dense ??= (async () => {
      const cfg = denseRetrievers(this.pipeline)[0];
      const fp = (await this.#store.info()).fingerprint;
      const { DenseModel, denseModelRef } = await models();
      const ref = await denseModelRef(cfg, fp.models.dense?.dims ?? 0);
      checkFingerprint({ ...fp, models: { dense: fp.models.dense! } }, { ...fp, models: { dense: ref } }, this.#home.display);
      const model = await DenseModel.load(cfg);
      const adapter = this.#useAdapter ? await loadCollectionAdapter(this.#home, fp.models.dense!) : undefined;
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
      const ref = await (await models()).colbertModelRef(cfg, fp.models.colbert?.dims ?? 0);
      checkFingerprint({ ...fp, models: { colbert: fp.models.colbert! } }, { ...fp, models: { colbert: ref } }, this.#home.display);
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
          ? this.#colbertModel().then((m) =>
              loadReranker(
                this.pipeline.rerank[i],
                this.#rerankCapacity,
                m.withStored((ids) => this.#storedMatrices(ids), this.pipeline.aggregate),
              ),
            )
          : loadReranker(this.pipeline.rerank[i], this.#rerankCapacity);
      this.#rerankers.set(i, r);
    }
    return r;
  }
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
