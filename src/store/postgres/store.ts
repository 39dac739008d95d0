/**
 * The Postgres collection store: one Postgres schema per collection, dense vectors in pgvector
 * columns (HNSW index from a chunk-count threshold with a calibrated beam, exact scans below it),
 * metadata as JSONB with filters compiled to SQL over bound parameters, BM25 scored in process
 * over the stored documents with the embedded index's exact scores (`bm25.ts`), and row versions
 * so each handle reads one committed version (see `schema.ts` for the versioning, `write.ts` for
 * the write path). In a database with Citus the tables are distributed (`distribute.ts`) and a
 * version is published once every worker shows it (`publish.ts`). With `vectorIndex: 'memory'`
 * unfiltered vector searches run in process (`vector-cache.ts`). A write's parts hook (a
 * collection home's BM25 segments) runs inside the commit transaction and stores its blobs as rows
 * of the `segments` table (`segments.ts`), named by the version row.
 *
 * Location: `postgres://user:password@host:5432/db?schema=name` (`schema` @default `shortlist`).
 */
import { ShortlistError } from '../../core/errors.ts';
import { compareHits, type Document } from '../../core/types.ts';
import { chunkText, resolveChunkOptions, type ChunkOptions } from '../../text/chunk.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { getAnalyzer } from '../../text/index.ts';
import type { Bm25Params } from '../../retrieve/bm25/similarity.ts';
import { checkFilter, parseFilter, type Filter } from '../filter.ts';
import { checkFingerprint } from '../fingerprint.ts';
import { prepareDocs } from '../plan.ts';
import type {
  AnnSearchInfo,
  VectorIndexInfo,
  ChunkHit,
  CollectionBackend,
  CollectionInfo,
  CollectionStore,
  CreateOptions,
  OpenOptions,
  StoredChunk,
  UpsertOptions,
  UpsertResult,
  VectorSearchOptions,
} from '../types.ts';
import { matchFilter } from '../filter.ts';
import { setBeam, vectorSql, type VectorRow } from './ann.ts';
import { Bm25Cache } from './bm25.ts';
import { DEFAULT_SHARDS, distributeStatements, hasCitus } from './distribute.ts';
import { filterToSql, SqlParams } from './filter-sql.ts';
import { acquirePool, parseLocation, redact, type PoolRef, type PostgresConnectOptions } from './pool.ts';
import { bytesToTokens, parseVector, rowToDocument, vectorLiteral, type Settings, type VersionInfo } from './rows.ts';
import { createStatements, migrationStatements, quoteSchema, visibleAt } from './schema.ts';
import { vectorIndexInfo } from '../vector-index-info.ts';
import { VectorCache } from './vector-cache.ts';
import { GRAPH_PREFIX, type StoredVectorIndex } from './vector-commit.ts';
import { deleteDocs, readHead, upsertDocs, type WriteContext } from './write.ts';
import { ensureSegmentTable, PostgresSegmentStore, segmentTableStatements } from './segments.ts';
import { commitParts, keptSegmentNames } from './commit-parts.ts';
import type { ManifestParts, PartsHook } from '../parts.ts';

/** Defaults of the Postgres handle and creation options. */
export const POSTGRES_DEFAULTS = Object.freeze({
  annThreshold: 50_000,
  annEf: 600,
  annRecall: 0.98,
  annSample: 200,
  batchSize: 64,
  hnswM: 16,
  hnswEfConstruction: 64,
  vectorType: 'vector' as const,
});
const DISTANCES = ['dot', 'cosine', 'l2'] as const;

/** Options of a Postgres handle, on top of the store's. */
export interface PostgresOpenOptions extends OpenOptions, PostgresConnectOptions {
  /** Analyzer for BM25 postings and queries. @default the registered analyzer named by the fingerprint */
  analyzer?: Analyzer;
  /**
   * Where unfiltered approximate vector searches run. `pgvector`: in SQL, over the HNSW index a
   * commit builds from `annThreshold` chunks (beam calibrated at commit, stored with the version).
   * `memory`: in this process, over an index of the version's vectors loaded on the first search
   * and advanced by the rows changed since (`vector-cache.ts`; structure calibrated to `annRecall`
   * when built, scores equal to a directory collection's); this handle's commits then build no SQL
   * index, so ingest is COPY only. Memory: 4 × dims bytes per chunk (+ the HNSW graph from 50,000
   * chunks) in every process that searches. Filtered, exact and `l2` searches run in SQL either way.
   * @default 'pgvector'
   */
  vectorIndex?: 'pgvector' | 'memory';
}

/** Settings fixed when a Postgres collection is created. */
export interface PostgresCreateOptions extends CreateOptions, Omit<PostgresOpenOptions, 'fingerprint'> {
  /** Column type of dense vectors: `vector` (float32) or `halfvec` (float16: half the bytes, scores to ~1e-3). @default 'vector' */
  vectorType?: 'vector' | 'halfvec';
  /** HNSW graph degree `m`. @default 16 */
  hnswM?: number;
  /** HNSW `ef_construction`. @default 64 */
  hnswEfConstruction?: number;
  /**
   * Distribute the tables with Citus (documents and chunks sharded by document id). @default true
   * when the database has the `citus` extension, else false; true without Citus is an error.
   */
  distributed?: boolean;
  /** Shards per distributed table (Citus only); more shards spread better over added workers, fewer answer a vector top-k faster. @default 8 */
  shards?: number;
}

/** One BM25 hit: document id and its float32 score. */
export interface Bm25Hit {
  id: string;
  score: number;
}

/** A collection in a Postgres schema; build with {@link PostgresCollectionStore.create} or `.open`. */
export class PostgresCollectionStore implements CollectionStore {
  readonly #pool: PoolRef;
  readonly #s: string;
  readonly #where: string;
  readonly #settings: Settings;
  #options: {
    annThreshold: number;
    annEf?: number;
    annRecall: number;
    annSample: number;
    chunker: (text: string, o: ChunkOptions) => ReturnType<typeof chunkText>;
    analyzer: Analyzer;
    vectorIndex: 'pgvector' | 'memory';
  };
  readonly #bm25: Bm25Cache;
  readonly #segments: PostgresSegmentStore;
  #vectors?: VectorCache;
  #version: number;
  #info: VersionInfo;

  private constructor(
    pool: PoolRef,
    schema: string,
    where: string,
    settings: Settings,
    head: { version: number; info: VersionInfo },
    options: PostgresOpenOptions,
  ) {
    this.#pool = pool;
    this.#s = quoteSchema(schema);
    this.#where = where;
    this.#settings = settings;
    this.#version = head.version;
    this.#info = head.info;
    const annThreshold = options.annThreshold ?? POSTGRES_DEFAULTS.annThreshold;
    const annSample = options.annSample ?? POSTGRES_DEFAULTS.annSample;
    const annRecall = options.annRecall ?? POSTGRES_DEFAULTS.annRecall;
    positiveInt({ annThreshold, annSample, ...(options.annEf !== undefined ? { annEf: options.annEf } : {}) });
    if (!(annRecall > 0 && annRecall <= 1))
      throw new ShortlistError('INVALID_ARGUMENT', `annRecall must be in (0, 1], got ${annRecall}`, { location: { field: 'annRecall' } });
    const vectorIndex = options.vectorIndex ?? 'pgvector';
    if (vectorIndex !== 'pgvector' && vectorIndex !== 'memory')
      throw new ShortlistError('INVALID_ARGUMENT', `vectorIndex must be pgvector or memory, got ${String(vectorIndex)}`, {
        location: { field: 'vectorIndex' },
      });
    this.#options = {
      annThreshold,
      annEf: options.annEf,
      annRecall,
      annSample,
      chunker: options.chunker ?? ((text, o) => chunkText(text, o)),
      analyzer: options.analyzer ?? getAnalyzer(settings.fingerprint.analyzer),
      vectorIndex,
    };
    this.#bm25 = new Bm25Cache(pool, this.#s, this.#options.analyzer);
    this.#segments = new PostgresSegmentStore(pool, this.#s, `${where} segments`);
  }

  /** Creates an empty collection in the URL's schema (which must not exist) and opens it. */
  static async create(location: string, options: PostgresCreateOptions): Promise<PostgresCollectionStore> {
    const { fingerprint, dims, tokenDims, distance = 'cosine' } = options;
    positiveInt({ dims });
    if (tokenDims !== undefined) positiveInt({ tokenDims });
    if (!DISTANCES.includes(distance))
      throw new ShortlistError('INVALID_ARGUMENT', `distance must be one of ${DISTANCES.join(', ')}, got ${String(distance)}`, {
        location: { field: 'distance' },
      });
    if (!fingerprint || typeof fingerprint.analyzer !== 'string' || typeof fingerprint.models !== 'object') {
      throw new ShortlistError('INVALID_ARGUMENT', 'fingerprint must name the models, the analyzer and the chunking settings', {
        location: { field: 'fingerprint' },
      });
    }
    resolveChunkOptions(fingerprint.chunking);
    const vectorType = options.vectorType ?? POSTGRES_DEFAULTS.vectorType;
    if (vectorType !== 'vector' && vectorType !== 'halfvec')
      throw new ShortlistError('INVALID_ARGUMENT', `vectorType must be vector or halfvec, got ${String(vectorType)}`, {
        location: { field: 'vectorType' },
      });
    const hnsw = {
      m: options.hnswM ?? POSTGRES_DEFAULTS.hnswM,
      efConstruction: options.hnswEfConstruction ?? POSTGRES_DEFAULTS.hnswEfConstruction,
    };
    positiveInt({ hnswM: hnsw.m, hnswEfConstruction: hnsw.efConstruction });
    if (!options.analyzer) getAnalyzer(fingerprint.analyzer);
    const settings: Settings = { fingerprint, dims, tokenDims, distance, vectorType, hnsw };
    const shards = options.shards ?? DEFAULT_SHARDS;
    positiveInt({ shards });
    const { url, schema } = parseLocation(location);
    const s = quoteSchema(schema);
    const pool = acquirePool(url, options);
    try {
      await pool.transaction(async (c) => {
        await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`shortlist:${schema}`]);
        const exists = await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);
        if (exists.rowCount)
          throw new ShortlistError(
            'ALREADY_EXISTS',
            `a collection (schema "${schema}") already exists at ${redact(url)}; open it, or create the new one with another ?schema=`,
          );
        const citus = await hasCitus(c);
        if (options.distributed === true && !citus)
          throw new ShortlistError(
            'INVALID_ARGUMENT',
            `distributed: the database at ${redact(url)} has no Citus extension (CREATE EXTENSION citus on the coordinator and its workers first)`,
            { location: { field: 'distributed' } },
          );
        if (citus && options.distributed !== false) Object.assign(settings, { distributed: true, shards });
        await c.query('CREATE EXTENSION IF NOT EXISTS vector');
        for (const sql of createStatements(schema, { dims, vectorType })) await c.query(sql);
        if (settings.distributed) for (const sql of distributeStatements(s, shards)) await c.query(sql);
        for (const sql of segmentTableStatements(s, settings.distributed === true)) await c.query(sql);
        const info: VersionInfo = { documents: 0, chunks: 0, fields: {}, ann: false, bm25: { indexedDocCount: 0, sumTotalTermFreq: 0 } };
        await c.query(`INSERT INTO ${s}.collection (id, head, settings) VALUES (1, 1, $1::jsonb)`, [JSON.stringify(settings)]);
        await c.query(`INSERT INTO ${s}.versions (version, info) VALUES (1, $1::jsonb)`, [JSON.stringify(info)]);
      });
    } finally {
      await pool.release();
    }
    return PostgresCollectionStore.open(location, options);
  }

  /** Opens the collection at the latest committed version, migrating an older schema; refuses a newer one. */
  static async open(location: string, options: PostgresOpenOptions = {}): Promise<PostgresCollectionStore> {
    const { url, schema } = parseLocation(location);
    const s = quoteSchema(schema);
    const where = `${redact(url)} (schema "${schema}")`;
    const pool = acquirePool(url, options);
    try {
      const found = await pool.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'schema_version'`, [schema]);
      if (!found.rowCount)
        throw new ShortlistError('NOT_FOUND', `no collection at ${where}; create one with \`shortlist init ${redact(location)}\``);
      const settings = await pool.transaction(async (c) => {
        await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`shortlist:${schema}`]);
        const from = (await c.query<{ version: number }>(`SELECT version FROM ${s}.schema_version`)).rows[0]?.version ?? 0;
        const st = (await c.query<{ settings: Settings }>(`SELECT settings FROM ${s}.collection WHERE id = 1`)).rows[0]?.settings;
        if (!st)
          throw new ShortlistError(
            'INDEX_CORRUPT',
            `the collection at ${where} has no settings row; it was not created by shortlist or is damaged`,
          );
        for (const sql of migrationStatements(schema, from, st, where)) await c.query(sql);
        await ensureSegmentTable(c, schema, s, st.distributed === true);
        return st;
      });
      if (options.fingerprint) checkFingerprint(settings.fingerprint, options.fingerprint, where);
      return new PostgresCollectionStore(pool, schema, where, settings, await readHead(pool, s), options);
    } catch (err) {
      await pool.release();
      throw err;
    }
  }

  /** {@inheritDoc CollectionStore.info} */
  async info(): Promise<CollectionInfo> {
    const { fingerprint, dims, tokenDims, distance } = this.#settings;
    const i = this.#info;
    // A handle searching in memory uses its in-process index from annThreshold chunks, as a directory collection does.
    const ann = i.ann || (this.#memory() && i.chunks >= this.#options.annThreshold);
    const out: CollectionInfo = {
      version: this.#version,
      documents: i.documents,
      chunks: i.chunks,
      dims,
      distance,
      fingerprint: structuredClone(fingerprint),
      fields: { ...i.fields },
      ann,
    };
    if (tokenDims !== undefined) out.tokenDims = tokenDims;
    if (i.ann) out.annSearch = this.#annSearch();
    if (i.vectorIndex) out.vectorIndex = storedIndexInfo(i.vectorIndex);
    return out;
  }

  /**
   * The in-process vector index this handle searches (`vectorIndex: 'memory'`), once a search built
   * it: its structure, calibration and the version it was built at. Process state, so not part of `info()`.
   */
  memoryIndex(): VectorIndexInfo | undefined {
    const c = this.#vectors?.calibration;
    return c && storedIndexInfo({ calibration: c, calibratedAt: c.calibratedAt, calibratedRows: 0 });
  }

  /** This handle's in-process vector index (memory handles only; built on its first search, or by a commit that calibrates). */
  #vectorCache(): VectorCache {
    this.#vectors ??= new VectorCache(this.#pool, this.#s, {
      dims: this.#settings.dims,
      distance: this.#settings.distance as 'dot' | 'cosine',
      target: this.#options.annRecall,
      sample: this.#options.annSample,
    });
    return this.#vectors;
  }

  /** Whether unfiltered vector searches of this handle run in memory (`vectorIndex: 'memory'` on a dot or cosine collection). */
  #memory(): boolean {
    return this.#options.vectorIndex === 'memory' && this.#settings.distance !== 'l2';
  }

  /** Sets this handle's ANN options (e.g. from the collection's saved pipeline, read after opening). */
  tuneAnn(options: { annThreshold?: number; annRecall?: number; annEf?: number }): void {
    const o = { ...this.#options, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) };
    positiveInt({ annThreshold: o.annThreshold, ...(o.annEf !== undefined ? { annEf: o.annEf } : {}) });
    if (!(o.annRecall > 0 && o.annRecall <= 1))
      throw new ShortlistError('INVALID_ARGUMENT', `annRecall must be in (0, 1], got ${o.annRecall}`, { location: { field: 'annRecall' } });
    this.#options = o;
  }

  /** Whether the tables are distributed by Citus, and over how many shards. */
  get distribution(): { distributed: boolean; shards?: number } {
    return this.#settings.distributed ? { distributed: true, shards: this.#settings.shards } : { distributed: false };
  }

  /** How this handle's ANN searches run: the `annEf` option, else the version's calibration, else the defaults. */
  #annSearch(): AnnSearchInfo {
    const c = this.#info.annSearch;
    if (this.#options.annEf !== undefined) return { mode: 'ann', source: 'annEf', ef: this.#options.annEf, refine: 1 };
    if (!c) return { mode: 'ann', source: 'default', ef: POSTGRES_DEFAULTS.annEf, refine: 1 };
    return {
      mode: c.mode,
      source: 'calibrated',
      ef: c.ef,
      refine: 1,
      calibration: { target: c.target, recall: c.recall, sample: c.sample, annMs: c.annMs, exactMs: c.exactMs },
    };
  }

  /** {@inheritDoc CollectionStore.upsert} */
  async upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult> {
    const prepared = prepareDocs(docs);
    if (typeof options?.embed !== 'function')
      throw new ShortlistError('INVALID_ARGUMENT', 'upsert needs an embed(texts) callback that returns one Float32Array per text', {
        location: { field: 'embed' },
      });
    const tokenDims = this.#settings.tokenDims;
    if (tokenDims && typeof options.embedTokens !== 'function')
      throw new ShortlistError('INVALID_ARGUMENT', `this collection stores token vectors (tokenDims ${tokenDims}); pass embedTokens`, {
        location: { field: 'embedTokens' },
      });
    if (!tokenDims && options.embedTokens)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        'this collection stores no token vectors (it was created without tokenDims); leave out embedTokens',
        { location: { field: 'embedTokens' } },
      );
    const batchSize = options.batchSize ?? POSTGRES_DEFAULTS.batchSize;
    positiveInt({ batchSize });
    const { committed, ...result } = await upsertDocs(this.#context(), prepared, options, batchSize);
    this.#moveTo(committed);
    return result;
  }

  /** {@inheritDoc CollectionStore.delete} */
  async delete(ids: readonly string[], options: { parts?: PartsHook } = {}): Promise<UpsertResult> {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string'))
      throw new ShortlistError('INVALID_ARGUMENT', 'delete expects an array of document ids (strings)');
    const { committed, ...result } = await deleteDocs(this.#context(), [...new Set(ids)], options.parts);
    this.#moveTo(committed);
    return result;
  }

  /** {@inheritDoc CollectionStore.get} */
  async get(ids: readonly string[]): Promise<Document[]> {
    const r = await this.#pool.query<{ id: string; title: string | null; body: string; metadata_json: string }>(
      `SELECT id, title, body, metadata_json FROM ${this.#s}.documents d WHERE id = ANY($1::text[]) AND ${visibleAt('d', '$2')}`,
      [[...new Set(ids)], this.#version],
    );
    const byId = new Map(r.rows.map((row) => [row.id, rowToDocument(row)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** {@inheritDoc CollectionStore.chunks} */
  async chunks(docIds: readonly string[], options: { vectors?: boolean } = {}): Promise<StoredChunk[]> {
    const r = await this.#pool.query<{
      id: string;
      doc_id: string;
      idx: number;
      start_pos: number;
      end_pos: number;
      text: string;
      emb?: string;
      tokens?: Buffer | null;
    }>(
      `SELECT id, doc_id, idx, start_pos, end_pos, text${options.vectors ? ', embedding::text AS emb, tokens' : ''}
       FROM ${this.#s}.chunks c WHERE doc_id = ANY($1::text[]) AND ${visibleAt('c', '$2')}`,
      [[...new Set(docIds)], this.#version],
    );
    const order = new Map(docIds.map((id, i) => [id, i]));
    r.rows.sort((a, b) => order.get(a.doc_id)! - order.get(b.doc_id)! || a.idx - b.idx);
    return r.rows.map((row) => {
      const c: StoredChunk = { id: row.id, docId: row.doc_id, index: row.idx, start: row.start_pos, end: row.end_pos, text: row.text };
      if (options.vectors) {
        c.vector = parseVector(row.emb!);
        if (row.tokens) c.tokenVectors = bytesToTokens(row.tokens);
      }
      return c;
    });
  }

  /** {@inheritDoc CollectionStore.vectorSearch} */
  async vectorSearch(vector: Float32Array, k: number, options: VectorSearchOptions = {}): Promise<ChunkHit[]> {
    const { dims, distance, vectorType } = this.#settings;
    if (!(vector instanceof Float32Array) || vector.length !== dims)
      throw new ShortlistError(
        'INVALID_ARGUMENT',
        `the query vector must be a Float32Array of ${dims} components, got ${vector?.length ?? typeof vector}`,
      );
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    if (k === 0 || this.#info.chunks === 0) return [];
    if (this.#memory() && options.exact !== true && options.filter === undefined)
      return this.#vectorCache().search(vector, k, this.#version, this.#info.vectorIndex);
    const search = this.#info.ann ? this.#annSearch() : undefined; // the SQL index's
    const exact = options.exact === true || !search || search.mode === 'exact';
    const params = new SqlParams(3);
    const filter = this.#filterSql(options.filter, 'c.doc_id', '$2', params);
    const sql = vectorSql(this.#s, this.#settings, exact, filter);
    const values = [vectorLiteral(vector), this.#version, k, ...params.values];
    const rows = exact
      ? (await this.#pool.query<VectorRow>(sql, values)).rows
      : await this.#pool.transaction(async (c) => {
          await setBeam(c, Math.max(search.ef, k), this.#settings.distributed === true);
          return (await c.query<VectorRow>(sql, values)).rows;
        });
    const score = (d: number) => (distance === 'cosine' ? 1 - d : distance === 'dot' ? -d : -(d * d));
    return rows.map((r) => ({ id: r.id, docId: r.doc_id, index: r.idx, score: score(r.d) })).sort(compareHits);
  }

  /**
   * The `k` best documents for `query` by BM25 over title + text, scored in process with the
   * embedded index's exact float32 scores (see `bm25.ts`); sorted by score desc then id. A filter
   * restricts the hits (N, df and avgdl stay those of the whole collection, as in the embedded index).
   */
  async bm25Search(query: string, k: number, options: Bm25Params & { filter?: string | Filter } = {}): Promise<Bm25Hit[]> {
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    const filter =
      options.filter === undefined ? undefined : typeof options.filter === 'string' ? parseFilter(options.filter) : options.filter;
    if (filter) checkFilter(filter, this.#info.fields);
    if (k === 0 || this.#info.bm25.indexedDocCount === 0) return [];
    const index = await this.#bm25.at(this.#version);
    const params = { k1: options.k1, b: options.b };
    if (!filter) return index.search(query, k, params);
    const out: Bm25Hit[] = [];
    for (const h of index.search(query, index.size, params)) {
      if (matchFilter(filter, index.document(h.id)?.metadata ?? {})) out.push(h);
      if (out.length === k) break;
    }
    return out;
  }

  /** BM25 statistics of the version this handle reads: N (documents with a term) and Σ dl. */
  bm25Stats(): { indexedDocCount: number; sumTotalTermFreq: number } {
    return { ...this.#info.bm25 };
  }

  /** The JSON value saved under `name` with {@link setConfig} (e.g. the collection's pipeline), or undefined. */
  async getConfig(name: string): Promise<unknown> {
    const r = await this.#pool.query<{ value: unknown }>(`SELECT value FROM ${this.#s}.config WHERE name = $1`, [name]);
    return r.rows[0]?.value;
  }

  /** Saves a JSON value under `name` (unversioned; replaces any earlier value). */
  async setConfig(name: string, value: unknown): Promise<void> {
    await this.#pool.query(
      `INSERT INTO ${this.#s}.config (name, value) VALUES ($1, $2::jsonb) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`,
      [name, JSON.stringify(value)],
    );
  }

  /**
   * Moves the handle to the newest committed version (as `CollectionStore.refresh`). With `prepare`, the new version's parts are handed to it
   * first (e.g. to load its new BM25 segments); the function it returns runs right after the
   * handle moves, so both switch together.
   */
  async refresh(prepare?: (parts: ManifestParts, version: number) => Promise<(() => void) | undefined>): Promise<boolean> {
    const head = await readHead(this.#pool, this.#s);
    if (head.version === this.#version) return false;
    const apply = prepare ? await prepare(head.info.parts ?? {}, head.version) : undefined;
    if (head.version < this.#version) return false; // a write through this handle moved it further meanwhile
    this.#moveTo(head);
    apply?.();
    return true;
  }

  /** The parts (BM25 segments…) named by the version this handle reads; empty for a version written without them. */
  parts(): ManifestParts {
    return structuredClone(this.#info.parts ?? {});
  }

  /** The collection's segment blobs (rows of its `segments` table). */
  get segments(): PostgresSegmentStore {
    return this.#segments;
  }

  /** Commits a version whose rows are the head's and whose parts `hook` returns (e.g. merged BM25 segments); the handle moves to it. */
  async commitParts(hook: (...a: [...Parameters<PartsHook>, head: number]) => ReturnType<PartsHook>): Promise<UpsertResult> {
    const committed = await commitParts(this.#pool, this.#s, this.#segments, hook);
    this.#moveTo(committed);
    return { added: 0, updated: 0, unchanged: 0, deleted: 0, embedded: 0, version: committed.version };
  }

  /** Names of the segment blobs some kept version (one not vacuumed away) names. */
  keptSegmentNames(): Promise<Set<string>> {
    return keptSegmentNames(this.#pool, this.#s);
  }

  /** Ids of the documents of the version this handle reads, sorted. */
  async documentIds(): Promise<string[]> {
    const r = await this.#pool.query<{ id: string }>(
      `SELECT id FROM ${this.#s}.documents d WHERE ${visibleAt('d', '$1')} ORDER BY id COLLATE "C"`,
      [this.#version],
    );
    return r.rows.map((x) => x.id);
  }

  /** Every document of `version` (@default the one this handle reads; a collection written before segments builds BM25 from them). */
  async allDocuments(version = this.#version): Promise<Document[]> {
    const r = await this.#pool.query<{ id: string; title: string | null; body: string; metadata_json: string }>(
      `SELECT id, title, body, metadata_json FROM ${this.#s}.documents d WHERE ${visibleAt('d', '$1')}`,
      [version],
    );
    return r.rows.map(rowToDocument);
  }

  /**
   * Deletes rows replaced or removed at or before version `before` (@default the current head),
   * reclaiming their space. Handles still reading an older version must refresh first.
   */
  async vacuum(before?: number): Promise<number> {
    const v = before ?? (await readHead(this.#pool, this.#s)).version;
    return this.#pool.transaction(async (c) => {
      let n = 0;
      for (const t of ['chunks', 'documents'])
        n += (await c.query(`DELETE FROM ${this.#s}.${t} WHERE removed IS NOT NULL AND removed <= $1`, [v])).rowCount ?? 0;
      await c.query(`DELETE FROM ${this.#s}.versions WHERE version < $1`, [v]);
      // Vector graphs no kept version names (BM25 segments are the collection home's to collect).
      await c.query(
        `DELETE FROM ${this.#s}.segments WHERE name LIKE '${GRAPH_PREFIX}%' AND name NOT IN
           (SELECT jsonb_array_elements_text(info->'vectorIndex'->'graph'->'files') FROM ${this.#s}.versions)`,
      );
      return n;
    });
  }

  /** {@inheritDoc CollectionStore.close} */
  async close(): Promise<void> {
    this.#bm25.close();
    this.#vectors?.close();
    await this.#pool.release();
  }

  #moveTo(head: { version: number; info: VersionInfo }): void {
    this.#version = head.version;
    this.#info = head.info;
  }

  #context(): WriteContext {
    const o = this.#options;
    // A handle that searches in memory builds no SQL vector index (see `vectorIndex`).
    const annThreshold = o.vectorIndex === 'memory' ? Number.POSITIVE_INFINITY : o.annThreshold;
    return {
      pool: this.#pool,
      s: this.#s,
      settings: this.#settings,
      analyzer: o.analyzer,
      annThreshold,
      annRecall: o.annRecall,
      annSample: o.annSample,
      chunker: o.chunker,
      segments: this.#segments,
      // A memory handle calibrates the in-process index's structure at the commits due to (`vector-commit.ts`).
      ...(this.#memory() ? { vectors: this.#vectorCache() } : {}),
    };
  }

  /** ` AND <docColumn> IN (matching documents)`, or '' without a filter; validates field names and types. */
  #filterSql(given: string | Filter | undefined, docColumn: string, version: string, params: SqlParams): string {
    if (given === undefined) return '';
    const filter = typeof given === 'string' ? parseFilter(given) : given;
    checkFilter(filter, this.#info.fields);
    return ` AND ${docColumn} IN (SELECT d.id FROM ${this.#s}.documents d WHERE ${visibleAt('d', version)} AND ${filterToSql(filter, 'd.metadata', params)})`;
  }
}

/** A stored structure as `info()` shows it (the LanceDB store's shape: `shortlist info` prints both alike). */
function storedIndexInfo(v: StoredVectorIndex): VectorIndexInfo {
  return vectorIndexInfo(v.calibration, v.calibratedAt, 'auto', v.graph?.files.join(', '));
}

function positiveInt(values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${v}`, { location: { field: name } });
  }
}

/** The Postgres backend: a collection is a schema named by a `postgres://…?schema=` URL. */
export const postgresBackend: CollectionBackend = Object.freeze({
  create: (location: string, options: CreateOptions & OpenOptions) => PostgresCollectionStore.create(location, options),
  open: (location: string, options?: OpenOptions) => PostgresCollectionStore.open(location, options),
});
