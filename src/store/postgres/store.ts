/**
 * The Postgres collection store: one Postgres schema per collection, dense vectors in pgvector
 * columns (HNSW index from a chunk-count threshold, exact scans below it), metadata as JSONB with
 * filters compiled to SQL over bound parameters, BM25 postings scored in SQL with the embedded
 * index's exact scores, and row versions so each handle reads one committed version (see
 * `schema.ts` for the versioning, `write.ts` for the write path).
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
import type { ChunkHit, CollectionBackend, CollectionInfo, CollectionStore, CreateOptions, OpenOptions, StoredChunk, UpsertOptions, UpsertResult, VectorSearchOptions } from '../types.ts';
import { bm25Sql, planBm25Query } from './bm25.ts';
import { filterToSql, SqlParams } from './filter-sql.ts';
import { acquirePool, parseLocation, redact, type PoolRef, type PostgresConnectOptions } from './pool.ts';
import { bytesToTokens, parseVector, rowToDocument, vectorLiteral, type Settings, type VersionInfo } from './rows.ts';
import { createStatements, distanceOperator, migrationStatements, quoteSchema, visibleAt } from './schema.ts';
import { deleteDocs, readHead, upsertDocs, type WriteContext } from './write.ts';

/** Defaults of the Postgres handle and creation options. */
export const POSTGRES_DEFAULTS = Object.freeze({ annThreshold: 50_000, annEf: 600, batchSize: 64, hnswM: 16, hnswEfConstruction: 64, vectorType: 'vector' as const });
/** pgvector's largest `hnsw.ef_search`. */
const MAX_EF_SEARCH = 1000;
const DISTANCES = ['dot', 'cosine', 'l2'] as const;

/** Options of a Postgres handle, on top of the store's. */
export interface PostgresOpenOptions extends OpenOptions, PostgresConnectOptions {
  /** Analyzer for BM25 postings and queries. @default the registered analyzer named by the fingerprint */
  analyzer?: Analyzer;
}

/** Settings fixed when a Postgres collection is created. */
export interface PostgresCreateOptions extends CreateOptions, Omit<PostgresOpenOptions, 'fingerprint'> {
  /** Column type of dense vectors: `vector` (float32) or `halfvec` (float16: half the bytes, scores to ~1e-3). @default 'vector' */
  vectorType?: 'vector' | 'halfvec';
  /** HNSW graph degree `m`. @default 16 */
  hnswM?: number;
  /** HNSW `ef_construction`. @default 64 */
  hnswEfConstruction?: number;
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
  readonly #options: { annThreshold: number; annEf: number; chunker: (text: string, o: ChunkOptions) => ReturnType<typeof chunkText>; analyzer: Analyzer };
  #version: number;
  #info: VersionInfo;

  private constructor(pool: PoolRef, schema: string, where: string, settings: Settings, head: { version: number; info: VersionInfo }, options: PostgresOpenOptions) {
    this.#pool = pool;
    this.#s = quoteSchema(schema);
    this.#where = where;
    this.#settings = settings;
    this.#version = head.version;
    this.#info = head.info;
    const annThreshold = options.annThreshold ?? POSTGRES_DEFAULTS.annThreshold;
    const annEf = options.annEf ?? POSTGRES_DEFAULTS.annEf;
    positiveInt({ annThreshold, annEf });
    this.#options = { annThreshold, annEf, chunker: options.chunker ?? ((text, o) => chunkText(text, o)), analyzer: options.analyzer ?? getAnalyzer(settings.fingerprint.analyzer) };
  }

  /** Creates an empty collection in the URL's schema (which must not exist) and opens it. */
  static async create(location: string, options: PostgresCreateOptions): Promise<PostgresCollectionStore> {
    const { fingerprint, dims, tokenDims, distance = 'cosine' } = options;
    positiveInt({ dims });
    if (tokenDims !== undefined) positiveInt({ tokenDims });
    if (!DISTANCES.includes(distance)) throw new ShortlistError('INVALID_ARGUMENT', `distance must be one of ${DISTANCES.join(', ')}, got ${String(distance)}`, { location: { field: 'distance' } });
    if (!fingerprint || typeof fingerprint.analyzer !== 'string' || typeof fingerprint.models !== 'object') {
      throw new ShortlistError('INVALID_ARGUMENT', 'fingerprint must name the models, the analyzer and the chunking settings', { location: { field: 'fingerprint' } });
    }
    resolveChunkOptions(fingerprint.chunking);
    const vectorType = options.vectorType ?? POSTGRES_DEFAULTS.vectorType;
    if (vectorType !== 'vector' && vectorType !== 'halfvec') throw new ShortlistError('INVALID_ARGUMENT', `vectorType must be vector or halfvec, got ${String(vectorType)}`, { location: { field: 'vectorType' } });
    const hnsw = { m: options.hnswM ?? POSTGRES_DEFAULTS.hnswM, efConstruction: options.hnswEfConstruction ?? POSTGRES_DEFAULTS.hnswEfConstruction };
    positiveInt({ hnswM: hnsw.m, hnswEfConstruction: hnsw.efConstruction });
    if (!options.analyzer) getAnalyzer(fingerprint.analyzer);
    const settings: Settings = { fingerprint, dims, tokenDims, distance, vectorType, hnsw };
    const { url, schema } = parseLocation(location);
    const s = quoteSchema(schema);
    const pool = acquirePool(url, options);
    try {
      await pool.transaction(async (c) => {
        await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`shortlist:${schema}`]);
        const exists = await c.query(`SELECT 1 FROM pg_namespace WHERE nspname = $1`, [schema]);
        if (exists.rowCount) throw new ShortlistError('INVALID_ARGUMENT', `a collection (schema "${schema}") already exists at ${redact(url)}; open it, or create the new one with another ?schema=`);
        await c.query('CREATE EXTENSION IF NOT EXISTS vector');
        for (const sql of createStatements(schema, { dims, vectorType })) await c.query(sql);
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
      if (!found.rowCount) throw new ShortlistError('NOT_FOUND', `no collection at ${where}; create one with \`shortlist init ${redact(location)}\``);
      const settings = await pool.transaction(async (c) => {
        await c.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`shortlist:${schema}`]);
        const from = (await c.query<{ version: number }>(`SELECT version FROM ${s}.schema_version`)).rows[0]?.version ?? 0;
        const st = (await c.query<{ settings: Settings }>(`SELECT settings FROM ${s}.collection WHERE id = 1`)).rows[0]?.settings;
        if (!st) throw new ShortlistError('INDEX_CORRUPT', `the collection at ${where} has no settings row; it was not created by shortlist or is damaged`);
        for (const sql of migrationStatements(schema, from, st, where)) await c.query(sql);
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
    const out: CollectionInfo = { version: this.#version, documents: i.documents, chunks: i.chunks, dims, distance, fingerprint: structuredClone(fingerprint), fields: { ...i.fields }, ann: i.ann };
    if (tokenDims !== undefined) out.tokenDims = tokenDims;
    return out;
  }

  /** {@inheritDoc CollectionStore.upsert} */
  async upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult> {
    const prepared = prepareDocs(docs);
    if (typeof options?.embed !== 'function') throw new ShortlistError('INVALID_ARGUMENT', 'upsert needs an embed(texts) callback that returns one Float32Array per text', { location: { field: 'embed' } });
    const tokenDims = this.#settings.tokenDims;
    if (tokenDims && typeof options.embedTokens !== 'function') throw new ShortlistError('INVALID_ARGUMENT', `this collection stores token vectors (tokenDims ${tokenDims}); pass embedTokens`, { location: { field: 'embedTokens' } });
    if (!tokenDims && options.embedTokens) throw new ShortlistError('INVALID_ARGUMENT', 'this collection stores no token vectors (it was created without tokenDims); leave out embedTokens', { location: { field: 'embedTokens' } });
    const batchSize = options.batchSize ?? POSTGRES_DEFAULTS.batchSize;
    positiveInt({ batchSize });
    const { committed, ...result } = await upsertDocs(this.#context(), prepared, options, batchSize);
    this.#moveTo(committed);
    return result;
  }

  /** {@inheritDoc CollectionStore.delete} */
  async delete(ids: readonly string[]): Promise<UpsertResult> {
    if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string')) throw new ShortlistError('INVALID_ARGUMENT', 'delete expects an array of document ids (strings)');
    const { committed, ...result } = await deleteDocs(this.#context(), [...new Set(ids)]);
    this.#moveTo(committed);
    return result;
  }

  /** {@inheritDoc CollectionStore.get} */
  async get(ids: readonly string[]): Promise<Document[]> {
    const r = await this.#pool.query<{ id: string; title: string | null; body: string; metadata_json: string }>(
      `SELECT id, title, body, metadata_json FROM ${this.#s}.documents d WHERE id = ANY($1::text[]) AND ${visibleAt('d', '$2')}`, [[...new Set(ids)], this.#version]);
    const byId = new Map(r.rows.map((row) => [row.id, rowToDocument(row)]));
    return ids.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  }

  /** {@inheritDoc CollectionStore.chunks} */
  async chunks(docIds: readonly string[], options: { vectors?: boolean } = {}): Promise<StoredChunk[]> {
    const r = await this.#pool.query<{ id: string; doc_id: string; idx: number; start_pos: number; end_pos: number; text: string; emb?: string; tokens?: Buffer | null }>(
      `SELECT id, doc_id, idx, start_pos, end_pos, text${options.vectors ? ', embedding::text AS emb, tokens' : ''}
       FROM ${this.#s}.chunks c WHERE doc_id = ANY($1::text[]) AND ${visibleAt('c', '$2')}`, [[...new Set(docIds)], this.#version]);
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
    if (!(vector instanceof Float32Array) || vector.length !== dims) throw new ShortlistError('INVALID_ARGUMENT', `the query vector must be a Float32Array of ${dims} components, got ${vector?.length ?? typeof vector}`);
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    if (k === 0 || this.#info.chunks === 0) return [];
    const exact = options.exact === true || !this.#info.ann;
    const params = new SqlParams(3);
    const filter = this.#filterSql(options.filter, 'c.doc_id', '$2', params);
    const dist = `(c.embedding ${distanceOperator(distance)} $1::${vectorType})`;
    // Exact: `+ 0` hides the operator from the planner, which would otherwise walk the HNSW index
    // (with its default ef_search) and sort its output by id — approximate results.
    const sql = `SELECT c.id, c.doc_id, c.idx, ${dist}::float8 AS d FROM ${this.#s}.chunks c
      WHERE ${visibleAt('c', '$2')}${filter} ORDER BY ${exact ? `${dist} + 0, c.id COLLATE "C"` : dist} LIMIT $3`;
    const values = [vectorLiteral(vector), this.#version, k, ...params.values];
    const rows = exact
      ? (await this.#pool.query<{ id: string; doc_id: string; idx: number; d: number }>(sql, values)).rows
      : await this.#pool.transaction(async (c) => {
          await c.query(`SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`, [String(Math.min(MAX_EF_SEARCH, Math.max(this.#options.annEf, k)))]);
          return (await c.query<{ id: string; doc_id: string; idx: number; d: number }>(sql, values)).rows;
        });
    const score = (d: number) => (distance === 'cosine' ? 1 - d : distance === 'dot' ? -d : -(d * d));
    return rows.map((r) => ({ id: r.id, docId: r.doc_id, index: r.idx, score: score(r.d) })).sort(compareHits);
  }

  /**
   * The `k` best documents for `query` by BM25 over title + text, scored inside Postgres with the
   * embedded index's exact float32 scores; sorted by score desc then id. A filter restricts the
   * hits (N, df and avgdl stay those of the whole collection, as in the embedded index).
   */
  async bm25Search(query: string, k: number, options: Bm25Params & { filter?: string | Filter } = {}): Promise<Bm25Hit[]> {
    if (!Number.isInteger(k) || k < 0) throw new ShortlistError('INVALID_ARGUMENT', `k must be a non-negative integer, got ${k}`);
    const terms = this.#options.analyzer.analyze(query);
    if (k === 0 || terms.length === 0 || this.#info.bm25.indexedDocCount === 0) return [];
    const df = await this.#pool.query<{ term: string; df: number }>(
      `SELECT term, count(*)::int AS df FROM ${this.#s}.postings p WHERE term = ANY($1::text[]) AND ${visibleAt('p', '$2')} GROUP BY term`, [[...new Set(terms)], this.#version]);
    const plan = planBm25Query(terms, new Map(df.rows.map((r) => [r.term, r.df])), this.#info.bm25, options);
    if (plan.terms.length === 0) return [];
    const params = new SqlParams(5);
    const filter = this.#filterSql(options.filter, 'p.doc_id', '$4', params);
    const r = await this.#pool.query<{ id: string; score: number }>(bm25Sql(this.#s, visibleAt('p', '$4'), filter), [plan.terms, plan.weights, plan.cache, this.#version, k, ...params.values]);
    return r.rows.map((row) => ({ id: row.id, score: row.score }));
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
    await this.#pool.query(`INSERT INTO ${this.#s}.config (name, value) VALUES ($1, $2::jsonb) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value`, [name, JSON.stringify(value)]);
  }

  /** {@inheritDoc CollectionStore.refresh} */
  async refresh(): Promise<boolean> {
    const head = await readHead(this.#pool, this.#s);
    if (head.version === this.#version) return false;
    this.#moveTo(head);
    return true;
  }

  /**
   * Deletes rows replaced or removed at or before version `before` (@default the current head),
   * reclaiming their space. Handles still reading an older version must refresh first.
   */
  async vacuum(before?: number): Promise<number> {
    const v = before ?? (await readHead(this.#pool, this.#s)).version;
    return this.#pool.transaction(async (c) => {
      let n = 0;
      for (const t of ['postings', 'chunks', 'documents']) n += (await c.query(`DELETE FROM ${this.#s}.${t} WHERE removed IS NOT NULL AND removed <= $1`, [v])).rowCount ?? 0;
      await c.query(`DELETE FROM ${this.#s}.versions WHERE version < $1`, [v]);
      return n;
    });
  }

  /** {@inheritDoc CollectionStore.close} */
  async close(): Promise<void> {
    await this.#pool.release();
  }

  #moveTo(head: { version: number; info: VersionInfo }): void {
    this.#version = head.version;
    this.#info = head.info;
  }

  #context(): WriteContext {
    return { pool: this.#pool, s: this.#s, settings: this.#settings, analyzer: this.#options.analyzer, annThreshold: this.#options.annThreshold, chunker: this.#options.chunker };
  }

  /** ` AND <docColumn> IN (matching documents)`, or '' without a filter; validates field names and types. */
  #filterSql(given: string | Filter | undefined, docColumn: string, version: string, params: SqlParams): string {
    if (given === undefined) return '';
    const filter = typeof given === 'string' ? parseFilter(given) : given;
    checkFilter(filter, this.#info.fields);
    return ` AND ${docColumn} IN (SELECT d.id FROM ${this.#s}.documents d WHERE ${visibleAt('d', version)} AND ${filterToSql(filter, 'd.metadata', params)})`;
  }
}

function positiveInt(values: Record<string, number>): void {
  for (const [name, v] of Object.entries(values)) {
    if (!Number.isInteger(v) || v < 1) throw new ShortlistError('INVALID_ARGUMENT', `${name} must be a positive integer, got ${v}`, { location: { field: name } });
  }
}

/** The Postgres backend: a collection is a schema named by a `postgres://…?schema=` URL. */
export const postgresBackend: CollectionBackend = Object.freeze({
  create: (location: string, options: CreateOptions & OpenOptions) => PostgresCollectionStore.create(location, options),
  open: (location: string, options?: OpenOptions) => PostgresCollectionStore.open(location, options),
});
