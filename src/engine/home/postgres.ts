/**
 * A collection in a Postgres schema (`postgres://user:pw@host:5432/db?schema=name`): the store is
 * `PostgresCollectionStore`; the pipeline is its `pipeline` config value; BM25 is the embedded
 * index's immutable segments, kept as rows of the schema's `segments` table and named by the
 * version row (`versions.info.parts`). A write's new segments are inserted in the same transaction
 * that writes the documents and chunks and moves the head (the store's parts hook), so a version
 * is whole or absent and concurrent writers are ordered by that transaction — there is no lock
 * file. A handle caches segments by name: moving to a newer version fetches only the rows it
 * added. (A version written before segments names none: its BM25 index is built from the
 * documents, and the next write stores segments.) Documents are read from the store.
 *
 * Connection settings ride on the URL's query string next to `schema` and are taken off before
 * connecting: `poolMax` (connections per process; 1 for a single-session server such as PGlite),
 * `idleTimeoutMs`, `statementTimeoutMs` (see `PostgresConnectOptions`); and, read by `create`
 * only, `distributed` (true/false: Citus distribution, default when the database has Citus) and
 * `shards` (see `PostgresCreateOptions`); `vectorIndex` (pgvector/memory: where this process's
 * vector searches run, see `PostgresOpenOptions`).
 */
import { ShortlistError } from '../../core/errors.ts';
import type { Document } from '../../core/types.ts';
import { analyzerOf, annOptions, resolvePipeline, type ResolvedPipeline } from '../../pipeline/config.ts';
import { Bm25Index, SegmentCache } from '../../retrieve/bm25/index.ts';
import type { PartsHook } from '../../store/parts.ts';
import { acquirePool, isPostgresUrl, parseLocation, redact, type PostgresConnectOptions } from '../../store/postgres/pool.ts';
import { quoteSchema } from '../../store/postgres/schema.ts';
import { postgresChildLocation } from '../../store/postgres/url.ts';
import { PostgresCollectionStore } from '../../store/postgres/store.ts';
import type { CreateOptions, UpsertOptions, UpsertResult } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { getAnalyzer } from '../../text/index.ts';
import { Bm25Home, SerialWrites } from './bm25-home.ts';
import { bm25Meta, bm25Parts, openBm25 } from './bm25-part.ts';
import { checkVersion } from './check.ts';
import type { CheckReport, CollectionHome, OptimizeReport } from './types.ts';

/** The config name under which the collection's pipeline is saved. */
export const PIPELINE_CONFIG = 'pipeline';

const CONNECT_PARAMS = ['poolMax', 'idleTimeoutMs', 'statementTimeoutMs', 'shards'] as const;

/** A `postgres://` location split into the store's location (server URL + `schema`) and the connection settings. */
export function splitPostgresLocation(location: string): {
  location: string;
  connect: PostgresConnectOptions & { shards?: number; distributed?: boolean; vectorIndex?: 'pgvector' | 'memory' };
} {
  parseLocation(location); // a clear error for a malformed URL
  const u = new URL(location);
  const connect: PostgresConnectOptions & { shards?: number; distributed?: boolean; vectorIndex?: 'pgvector' | 'memory' } = {};
  const vectorIndex = u.searchParams.get('vectorIndex');
  if (vectorIndex !== null) {
    if (vectorIndex !== 'pgvector' && vectorIndex !== 'memory')
      throw new ShortlistError('INVALID_ARGUMENT', `vectorIndex=${vectorIndex} in ${redact(location)} must be pgvector or memory`, {
        location: { field: 'vectorIndex' },
      });
    connect.vectorIndex = vectorIndex;
    u.searchParams.delete('vectorIndex');
  }
  const distributed = u.searchParams.get('distributed');
  if (distributed !== null) {
    if (distributed !== 'true' && distributed !== 'false')
      throw new ShortlistError('INVALID_ARGUMENT', `distributed=${distributed} in ${redact(location)} must be true or false`, {
        location: { field: 'distributed' },
      });
    connect.distributed = distributed === 'true';
    u.searchParams.delete('distributed');
  }
  for (const name of CONNECT_PARAMS) {
    const v = u.searchParams.get(name);
    if (v === null) continue;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new ShortlistError('INVALID_ARGUMENT', `${name}=${v} in ${redact(location)} must be a positive integer`, {
        location: { field: name },
      });
    connect[name] = n;
    u.searchParams.delete(name);
  }
  return { location: u.toString(), connect };
}

/** The location of collection (schema) `name` under the database URL `root` (its connection settings kept). */
export const postgresCollectionLocation: (root: string, name: string) => string = postgresChildLocation;

/** A Postgres collection (see the module comment). */
export class PostgresHome extends Bm25Home implements CollectionHome {
  readonly dir = undefined;
  readonly #cache = new SegmentCache();
  readonly #writes = new SerialWrites();

  private constructor(
    readonly location: string,
    readonly store: PostgresCollectionStore,
    private readonly analyzer: Analyzer,
    bm25: Bm25Index,
  ) {
    super(bm25);
  }

  /** Segment rows and bytes this handle fetched (tests check a handle reads only the segments a new version added). */
  get segmentReads(): { gets: number; bytes: number } {
    return { ...this.store.segments.reads };
  }

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
      const r = await pool.query<{ s: string }>(
        `SELECT schemaname AS s FROM pg_tables WHERE tablename = 'config' AND schemaname IN (SELECT schemaname FROM pg_tables WHERE tablename = 'schema_version') ORDER BY 1`,
      );
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
  static async create(
    location: string,
    pipeline: ResolvedPipeline,
    options: CreateOptions,
    analyzer: Analyzer = getAnalyzer(analyzerOf(pipeline)),
  ): Promise<PostgresHome> {
    const { location: bare, connect } = splitPostgresLocation(location);
    const store = await PostgresCollectionStore.create(bare, { ...options, ...annOptions(pipeline), ...connect, analyzer });
    try {
      const home = new PostgresHome(location, store, analyzer, Bm25Index.create(analyzer));
      await store.commitParts(async (base) => bm25Parts(base, home.bm25, store.segments, home.#cache));
      await store.setConfig(PIPELINE_CONFIG, pipeline);
      return home;
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
      if (saved === undefined)
        throw new ShortlistError(
          'NOT_FOUND',
          `${where} holds no pipeline: the schema was not made by \`shortlist init\`; create the collection with \`shortlist init <url> --pipeline …\``,
        );
      const pipeline = resolvePipeline(saved, where);
      store.tuneAnn(annOptions(pipeline));
      const analyzer = getAnalyzer(analyzerOf(pipeline));
      const home = new PostgresHome(location, store, analyzer, Bm25Index.create(analyzer));
      home.swapBm25(await openBm25(store.parts(), store.segments, home.#cache, home.#legacy()));
      return { home, pipeline };
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** The stored documents with these ids, read from the store. */
  override async documents(ids: readonly string[]): Promise<Map<string, Document>> {
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

  upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult> {
    return this.#write((parts) => this.store.upsert(docs, { ...options, parts }));
  }

  remove(ids: readonly string[]): Promise<UpsertResult> {
    return this.#write((parts) => this.store.delete(ids, { parts }));
  }

  refresh(): Promise<boolean> {
    // The new version's new segments are fetched before the store moves, then both switch together.
    return this.store.refresh(async (parts, version) => {
      const fresh = await openBm25(parts, this.store.segments, this.#cache, this.#legacy(version));
      return () => this.swapBm25(fresh);
    });
  }

  /** Verifies the latest committed version: parts exist, store and BM25 agree (see {@link CheckReport}). */
  async check(): Promise<CheckReport> {
    await this.refresh();
    return checkStore(this.display, this.store);
  }

  /** {@link check} for the collection at `location`, without opening its BM25 first (so a damaged one is reported, not refused). */
  static async check(location: string): Promise<CheckReport> {
    const { location: bare, connect } = splitPostgresLocation(location);
    const store = await PostgresCollectionStore.open(bare, connect);
    try {
      return await checkStore(redact(location), store);
    } finally {
      await store.close();
    }
  }

  /**
   * Merges the BM25 segments into one (a new version), then drops what no version needs any more:
   * rows and versions older than it (the store's vacuum; handles still reading an older version
   * move on at their next refresh) and the segment rows no kept version names.
   */
  async optimize(): Promise<OptimizeReport> {
    return this.#writes.run(async () => {
      await this.refresh();
      if (!bm25Meta(this.store.parts())) await this.#convert();
      const { version, segmentsBefore } = await this.mergeBm25(this.store, this.store.segments, this.#cache);
      await this.store.vacuum(version);
      const kept = await this.store.keptSegmentNames();
      const removed = (await this.store.segments.list()).filter((n) => !kept.has(n)).sort();
      for (const name of removed) await this.store.segments.delete(name);
      return { version, segmentsBefore, segmentsAfter: bm25Meta(this.store.parts())?.segments.length ?? 0, removed };
    });
  }

  async close(): Promise<void> {
    await this.#writes.idle();
    this.closeBm25();
    await this.store.close();
  }

  /**
   * Runs a store write whose parts hook writes the BM25 segments of the change on top of the
   * version the write's transaction holds locked; the new index becomes the one searches read
   * once that transaction committed.
   */
  #write(write: (parts: PartsHook) => Promise<UpsertResult>): Promise<UpsertResult> {
    return this.#writes.run(async () => {
      if (!bm25Meta(this.store.parts())) await this.#convert();
      return this.writeWithBm25(write, this.store.segments, this.#cache, () => async () => {
        throw new ShortlistError(
          'OVERLOADED',
          `${this.display}: another writer committed a version without BM25 segments meanwhile; nothing was committed, retry the write`,
        );
      });
    });
  }

  /**
   * Gives a collection written before segments its first segments: BM25 is built from the
   * documents of the head (outside any transaction: PGlite has one connection), and a version
   * naming them is committed when the head has not moved meanwhile (else built again).
   */
  async #convert(): Promise<void> {
    for (let attempt = 0; attempt < 10; attempt++) {
      await this.refresh();
      if (bm25Meta(this.store.parts())) return;
      const built = (await this.store.info()).version;
      const index = this.bm25.fork();
      let moved = false;
      await this.store.commitParts(async (base, _change, head) => {
        if (bm25Meta(base)) return undefined;
        if (head !== built) return ((moved = true), undefined);
        return bm25Parts(base, index, this.store.segments, this.#cache);
      });
      if (!moved) return this.swapBm25(index);
    }
    throw new ShortlistError(
      'OVERLOADED',
      `${this.display}: other writers kept committing while its BM25 segments were built; retry the write`,
    );
  }

  /** BM25 of a version written before segments: built from the documents of the version the store reads. */
  #legacy(version?: number): () => Promise<Bm25Index> {
    return async () => Bm25Index.build(await this.store.allDocuments(version), { analyzer: this.analyzer });
  }
}

/** Checks the version `store` reads (see `check.ts`). */
async function checkStore(display: string, store: PostgresCollectionStore): Promise<CheckReport> {
  const info = await store.info();
  const sizes = await store.segments.sizes();
  return checkVersion({
    location: display,
    version: info.version,
    parts: store.parts(),
    segments: store.segments,
    sizeOf: (name) => sizes.get(name),
    storeIds: await store.documentIds(),
    documents: info.documents,
    analyzer: info.fingerprint.analyzer,
    noSegmentsHint: 'a collection written before segments: its next write or `shortlist optimize` converts it',
    kept: await store.keptSegmentNames(),
  });
}

export { isPostgresUrl };
