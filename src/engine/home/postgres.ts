/**
 * A collection in a Postgres schema (`postgres://user:pw@host:5432/db?schema=name`): the store is
 * `PostgresCollectionStore`; the pipeline is its `pipeline` config value; BM25 is scored in SQL
 * over the postings the store writes in the same transaction as the documents and chunks (so a
 * write is whole or absent, and concurrent writers are ordered by that transaction — there is no
 * lock file); documents are read from the store.
 *
 * Connection settings ride on the URL's query string next to `schema` and are taken off before
 * connecting: `poolMax` (connections per process; 1 for a single-session server such as PGlite),
 * `idleTimeoutMs`, `statementTimeoutMs` (see `PostgresConnectOptions`); and, read by `create`
 * only, `distributed` (true/false: Citus distribution, default when the database has Citus) and
 * `shards` (see `PostgresCreateOptions`); `vectorIndex` (pgvector/memory: where this process's
 * vector searches run, see `PostgresOpenOptions`).
 */
import { ShortlistError } from '../../core/errors.ts';
import type { Document, Hit, Retriever, SearchOptions } from '../../core/types.ts';
import { annOptions, resolvePipeline, type Bm25RetrieverConfig, type ResolvedPipeline } from '../../pipeline/config.ts';
import type { Filter } from '../../store/filter.ts';
import { acquirePool, isPostgresUrl, parseLocation, redact, type PostgresConnectOptions } from '../../store/postgres/pool.ts';
import { quoteSchema } from '../../store/postgres/schema.ts';
import { PostgresCollectionStore } from '../../store/postgres/store.ts';
import type { CreateOptions, UpsertOptions, UpsertResult } from '../../store/types.ts';
import type { CollectionHome, LexicalStats } from './types.ts';

/** The config name under which the collection's pipeline is saved. */
export const PIPELINE_CONFIG = 'pipeline';

const CONNECT_PARAMS = ['poolMax', 'idleTimeoutMs', 'statementTimeoutMs', 'shards'] as const;

/** A `postgres://` location split into the store's location (server URL + `schema`) and the connection settings. */
export function splitPostgresLocation(location: string): { location: string; connect: PostgresConnectOptions & { shards?: number; distributed?: boolean; vectorIndex?: 'pgvector' | 'memory' } } {
  parseLocation(location); // a clear error for a malformed URL
  const u = new URL(location);
  const connect: PostgresConnectOptions & { shards?: number; distributed?: boolean; vectorIndex?: 'pgvector' | 'memory' } = {};
  const vectorIndex = u.searchParams.get('vectorIndex');
  if (vectorIndex !== null) {
    if (vectorIndex !== 'pgvector' && vectorIndex !== 'memory') throw new ShortlistError('INVALID_ARGUMENT', `vectorIndex=${vectorIndex} in ${redact(location)} must be pgvector or memory`, { location: { field: 'vectorIndex' } });
    connect.vectorIndex = vectorIndex;
    u.searchParams.delete('vectorIndex');
  }
  const distributed = u.searchParams.get('distributed');
  if (distributed !== null) {
    if (distributed !== 'true' && distributed !== 'false') throw new ShortlistError('INVALID_ARGUMENT', `distributed=${distributed} in ${redact(location)} must be true or false`, { location: { field: 'distributed' } });
    connect.distributed = distributed === 'true';
    u.searchParams.delete('distributed');
  }
  for (const name of CONNECT_PARAMS) {
    const v = u.searchParams.get(name);
    if (v === null) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new ShortlistError('INVALID_ARGUMENT', `${name}=${v} in ${redact(location)} must be a positive integer`, { location: { field: name } });
    connect[name] = n;
    u.searchParams.delete(name);
  }
  return { location: u.toString(), connect };
}

/** The location of collection (schema) `name` under the database URL `root` (its connection settings kept). */
export function postgresCollectionLocation(root: string, name: string): string {
  quoteSchema(name);
  const u = new URL(root);
  u.searchParams.set('schema', name);
  return u.toString();
}

/** A Postgres collection (see the module comment). */
export class PostgresHome implements CollectionHome {
  readonly dir = undefined;

  private constructor(readonly location: string, readonly store: PostgresCollectionStore) {}

  get display(): string {
    return redact(this.location);
  }

  /** True when the URL's schema holds a collection with a pipeline. */
  static async exists(location: string): Promise<boolean> {
    const { location: bare, connect } = splitPostgresLocation(location);
    const { url, schema } = parseLocation(bare);
    const pool = acquirePool(url, connect);
    try {
      const t = await pool.query(`SELECT 1 FROM pg_tables WHERE schemaname = $1 AND tablename = 'config'`, [schema]);
      if (!t.rowCount) return false;
      return ((await pool.query(`SELECT 1 FROM ${quoteSchema(schema)}.config WHERE name = $1`, [PIPELINE_CONFIG])).rowCount ?? 0) > 0;
    } finally {
      await pool.release();
    }
  }

  /** Names of the collections (schemas with a pipeline) in the database at `root`, sorted. */
  static async list(root: string): Promise<string[]> {
    const { location: bare, connect } = splitPostgresLocation(root);
    const { url } = parseLocation(bare);
    const pool = acquirePool(url, connect);
    try {
      const r = await pool.query<{ s: string }>(`SELECT schemaname AS s FROM pg_tables WHERE tablename = 'config' AND schemaname IN (SELECT schemaname FROM pg_tables WHERE tablename = 'schema_version') ORDER BY 1`);
      const out: string[] = [];
      for (const { s } of r.rows) {
        const has = await pool.query(`SELECT 1 FROM ${quoteSchema(s)}.config WHERE name = $1`, [PIPELINE_CONFIG]);
        if (has.rowCount) out.push(s);
      }
      return out;
    } finally {
      await pool.release();
    }
  }

  /** Drops the URL's schema and everything in it (a temporary evaluation collection); nothing happens when it is absent. */
  static async drop(location: string): Promise<void> {
    const { location: bare, connect } = splitPostgresLocation(location);
    const { url, schema } = parseLocation(bare);
    const pool = acquirePool(url, connect);
    try {
      await pool.query(`DROP SCHEMA IF EXISTS ${quoteSchema(schema)} CASCADE`);
    } finally {
      await pool.release();
    }
  }

  /** Creates an empty collection in the URL's schema (which must not exist) and saves `pipeline` with it. */
  static async create(location: string, pipeline: ResolvedPipeline, options: CreateOptions): Promise<PostgresHome> {
    const { location: bare, connect } = splitPostgresLocation(location);
    const store = await PostgresCollectionStore.create(bare, { ...options, ...annOptions(pipeline), ...connect });
    try {
      await store.setConfig(PIPELINE_CONFIG, pipeline);
      return new PostgresHome(location, store);
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** Opens the collection at the URL with the pipeline it was created with. */
  static async open(location: string): Promise<{ home: PostgresHome; pipeline: ResolvedPipeline }> {
    const { location: bare, connect } = splitPostgresLocation(location);
    const store = await PostgresCollectionStore.open(bare, connect);
    try {
      const saved = await store.getConfig(PIPELINE_CONFIG);
      const where = `${redact(location)} (config "${PIPELINE_CONFIG}")`;
      if (saved === undefined) throw new ShortlistError('NOT_FOUND', `${where} holds no pipeline: the schema was not made by \`shortlist init\`; create the collection with \`shortlist init <url> --pipeline …\``);
      const pipeline = resolvePipeline(saved, where);
      store.tuneAnn(annOptions(pipeline));
      return { home: new PostgresHome(location, store), pipeline };
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  bm25Retriever(cfg: Bm25RetrieverConfig, filter?: Filter): Retriever {
    const store = this.store;
    return {
      name: cfg.name,
      async search(query: string, k: number, options: SearchOptions = {}): Promise<Hit[]> {
        if (options.signal?.aborted) throw new ShortlistError('ABORTED', 'the BM25 search was cancelled', { cause: options.signal.reason });
        const hits = await store.bm25Search(query, k, { k1: cfg.k1, b: cfg.b, ...(filter ? { filter } : {}) });
        return hits.map((h) => ({ id: h.id, score: h.score }));
      },
    };
  }

  async documents(ids: readonly string[]): Promise<Map<string, Document>> {
    return new Map((await this.store.get(ids)).map((d) => [d.id, d]));
  }

  readConfig(name: string): Promise<unknown> {
    return this.store.getConfig(name);
  }

  async writeConfig(name: string, value: unknown): Promise<string> {
    await this.store.setConfig(name, value);
    return this.configPlace(name);
  }

  configPlace(name: string): string {
    return `${this.display} (config "${name}")`;
  }

  lexicalStats(): LexicalStats {
    const s = this.store.bm25Stats();
    return { documents: s.indexedDocCount, tokens: s.sumTotalTermFreq };
  }

  upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult> {
    return this.store.upsert(docs, options);
  }

  remove(ids: readonly string[]): Promise<UpsertResult> {
    return this.store.delete(ids);
  }

  reading<T>(fn: () => Promise<T>): Promise<T> {
    return fn(); // rows of older versions stay until vacuum, so a search that outlives a refresh still reads whole versions
  }

  refresh(): Promise<boolean> {
    return this.store.refresh();
  }

  close(): Promise<void> {
    return this.store.close();
  }
}

export { isPostgresUrl };
