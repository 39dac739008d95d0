/**
 * A collection on object storage (`s3://bucket/prefix`): the LanceDB store on that prefix
 * (`MANIFEST.json` + `lance/`, committed under the store's S3 writer lock `LOCK`), the pipeline
 * as the object `pipeline.json`, side config (calibrations, the query adapter) as `<name>.json`
 * objects. Endpoint, region and credentials come from the standard AWS environment variables
 * (see `store/lancedb/location.ts`), or from the `env` option.
 *
 * BM25 segments are objects under `segments/`, named by the same `MANIFEST.json` as the store's
 * table versions and committed with them by its one conditional PUT (see `local.ts` for the write
 * path, which is the same). A handle caches segments by name: when another process commits a
 * version, `refresh()` fetches only the segments and live-docs that version added. (A collection
 * written before segments has none: its BM25 index is built from the documents of the version
 * read, and its first write stores segments.) Writes need no lock of their own: the only shared
 * state is the store, whose writer lock lets one writer (process) at a time commit; writes through
 * one handle run one at a time.
 */
import { ShortlistError } from '../../core/errors.ts';
import type { Document } from '../../core/types.ts';
import { analyzerOf, annOptions, resolvePipeline, type ResolvedPipeline } from '../../pipeline/config.ts';
import { Bm25Index, SegmentCache } from '../../retrieve/bm25/index.ts';
import { lanceStorageOptions, lanceUri, parseLocation, s3Settings } from '../../store/lancedb/location.ts';
import type { Manifest } from '../../store/lancedb/manifest.ts';
import { S3ManifestStorage } from '../../store/lancedb/manifest-s3.ts';
import { LanceCollectionStore, loadLance } from '../../store/lancedb/store.ts';
import { DOCS, rowToDocument } from '../../store/lancedb/tables.ts';
import type { PartsHook } from '../../store/parts.ts';
import type { CreateOptions, UpsertOptions, UpsertResult } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { getAnalyzer } from '../../text/index.ts';
import { configFileName } from './local.ts';
import { PIPELINE_FILE, s3ChildLocation } from './names.ts';
import { S3Objects } from './s3-objects.ts';
import { S3SegmentStore } from './s3-segments.ts';
import { Bm25Home, SerialWrites } from './bm25-home.ts';
import { bm25Meta, bm25Parts, openBm25, segmentFiles } from './bm25-part.ts';
import { checkVersion } from './check.ts';
import type { CheckReport, CollectionHome, OptimizeReport } from './types.ts';

export { isS3Location } from '../../store/lancedb/location.ts';

/** Options of {@link S3Home}. */
export interface S3HomeOptions {
  /** Environment the S3 endpoint, region and credentials are read from. @default process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * Lifetime of the store's S3 writer lock (see `S3ManifestOptions.lockTtlMs`): how long a
   * crashed writer's lock keeps other writers out; the holder renews it every third of it, so a
   * short one needs a writer that is never stalled that long. @default the environment's
   * `SHORTLIST_S3_LOCK_TTL_MS`, else 120000
   */
  lockTtlMs?: number;
}

/** The writer lock's lifetime: the option, else `SHORTLIST_S3_LOCK_TTL_MS`, else the store's default. */
function lockTtl(options: S3HomeOptions): number | undefined {
  if (options.lockTtlMs !== undefined) return options.lockTtlMs;
  const v = (options.env ?? process.env).SHORTLIST_S3_LOCK_TTL_MS;
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1)
    throw new ShortlistError('INVALID_ARGUMENT', `SHORTLIST_S3_LOCK_TTL_MS=${v} must be a positive integer (milliseconds)`, {
      location: { field: 'SHORTLIST_S3_LOCK_TTL_MS' },
    });
  return n;
}

/** A collection under an S3 prefix (see the module comment). */
export class S3Home extends Bm25Home implements CollectionHome {
  readonly dir = undefined;
  readonly #objects: S3Objects;
  readonly #manifests: S3ManifestStorage;
  readonly #analyzer: Analyzer;
  readonly #options: S3HomeOptions;
  readonly #segments: S3SegmentStore;
  readonly #cache = new SegmentCache();
  readonly #writes = new SerialWrites();

  private constructor(
    readonly location: string,
    readonly store: LanceCollectionStore,
    objects: S3Objects,
    analyzer: Analyzer,
    options: S3HomeOptions,
    bm25: Bm25Index,
  ) {
    super(bm25);
    this.#objects = objects;
    this.#segments = new S3SegmentStore(objects);
    this.#manifests = new S3ManifestStorage(s3Location(location), s3Settings(options.env));
    this.#analyzer = analyzer;
    this.#options = options;
  }

  /** Bytes and GETs of segment objects this handle fetched (tests check a replica reads only new segments). */
  get segmentReads(): { gets: number; bytes: number } {
    return { ...this.#objects.reads };
  }

  get display(): string {
    return this.location;
  }

  /** True when `location` holds a collection (its `pipeline.json` object). */
  static async exists(location: string, options: S3HomeOptions = {}): Promise<boolean> {
    const objects = new S3Objects(location, options.env);
    try {
      return await objects.has(PIPELINE_FILE);
    } finally {
      objects.close();
    }
  }

  /** Names of the collections directly under `root` (sub-prefixes holding a `pipeline.json`), sorted. */
  static async list(root: string, options: S3HomeOptions = {}): Promise<string[]> {
    const objects = new S3Objects(root, options.env);
    try {
      const names = await objects.folders();
      const held = await Promise.all(names.map((n) => objects.has(`${n}/${PIPELINE_FILE}`)));
      return names.filter((_, i) => held[i]).sort();
    } finally {
      objects.close();
    }
  }

  /** The location of collection `name` under the root prefix `root`. */
  static childLocation(root: string, name: string): string {
    return s3ChildLocation(root, name);
  }

  /** Creates an empty collection at `location` (which must hold none); `pipeline.json` is written last. */
  static async create(
    location: string,
    pipeline: ResolvedPipeline,
    analyzer: Analyzer,
    options: CreateOptions & S3HomeOptions,
  ): Promise<S3Home> {
    const objects = new S3Objects(location, options.env);
    try {
      if (await objects.has(PIPELINE_FILE))
        throw new ShortlistError(
          'ALREADY_EXISTS',
          `a collection already exists at ${location}; add to it, or create the new one under another prefix`,
        );
      const store = await LanceCollectionStore.create(location, { ...options, ...annOptions(pipeline), lockTtlMs: lockTtl(options) });
      try {
        const bm25 = Bm25Index.create(analyzer);
        const home = new S3Home(location, store, objects, analyzer, options, bm25);
        await store.commitParts(async (base) => bm25Parts(base, bm25, home.#segments, home.#cache));
        await objects.put(PIPELINE_FILE, JSON.stringify(pipeline, null, 2) + '\n');
        return home;
      } catch (err) {
        await store.close();
        throw err;
      }
    } catch (err) {
      objects.close();
      throw err;
    }
  }

  /** Opens the collection at `location` with the pipeline it was created with; builds its BM25 index from the stored documents. */
  static async open(location: string, options: S3HomeOptions = {}): Promise<{ home: S3Home; pipeline: ResolvedPipeline }> {
    const objects = new S3Objects(location, options.env);
    let store: LanceCollectionStore | undefined;
    try {
      const text = await objects.get(PIPELINE_FILE);
      if (text === undefined)
        throw new ShortlistError(
          'NOT_FOUND',
          `${location} is not a collection (no ${PIPELINE_FILE}); create one with \`shortlist init ${location}\``,
        );
      const place = objects.place(PIPELINE_FILE);
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (cause) {
        throw new ShortlistError(
          'INDEX_CORRUPT',
          `${place} is not JSON (${(cause as Error).message}); the collection is damaged, rebuild it`,
          { cause },
        );
      }
      const pipeline = resolvePipeline(raw as Parameters<typeof resolvePipeline>[0], place);
      store = await LanceCollectionStore.open(location, { ...annOptions(pipeline), env: options.env, lockTtlMs: lockTtl(options) });
      const analyzer = getAnalyzer(analyzerOf(pipeline));
      const home = new S3Home(location, store, objects, analyzer, options, Bm25Index.create(analyzer));
      home.swapBm25(await openBm25(store.parts(), home.#segments, home.#cache, home.#legacy()));
      return { home, pipeline };
    } catch (err) {
      await store?.close();
      objects.close();
      throw err;
    }
  }

  async readConfig(name: string): Promise<unknown> {
    const text = await this.#objects.get(configFileName(name));
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text);
    } catch (cause) {
      throw new ShortlistError(
        'INDEX_CORRUPT',
        `${this.configPlace(name)} is not JSON (${(cause as Error).message}); delete it and run the command that wrote it again`,
        { cause },
      );
    }
  }

  async writeConfig(name: string, value: unknown): Promise<string> {
    await this.#objects.put(configFileName(name), JSON.stringify(value, null, 2) + '\n');
    return this.configPlace(name);
  }

  configPlace(name: string): string {
    return this.#objects.place(configFileName(name));
  }

  async upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult> {
    return this.#write((parts) => this.store.upsert(docs, { ...options, parts }));
  }

  async remove(ids: readonly string[]): Promise<UpsertResult> {
    return this.#write((parts) => this.store.delete(ids, { parts }));
  }

  async refresh(): Promise<boolean> {
    // The new version's new segments are fetched before the store moves, then both switch together.
    return this.store.refresh(async (parts) => {
      const fresh = await openBm25(parts, this.#segments, this.#cache, this.#legacy());
      return () => this.swapBm25(fresh);
    });
  }

  /** Verifies the latest committed version: parts exist, store and BM25 agree (see {@link CheckReport}). */
  check(): Promise<CheckReport> {
    return S3Home.check(this.location, this.#options);
  }

  /** {@link check} for the collection at `location`, without opening its BM25 first (so a damaged one is reported, not refused). */
  static async check(location: string, options: S3HomeOptions = {}): Promise<CheckReport> {
    const objects = new S3Objects(location, options.env);
    try {
      if (!(await objects.has(PIPELINE_FILE)))
        throw new ShortlistError('NOT_FOUND', `${location} is not a collection (no ${PIPELINE_FILE})`);
      const store = await LanceCollectionStore.open(location, { env: options.env, lockTtlMs: options.lockTtlMs });
      try {
        const info = await store.info();
        const segments = new S3SegmentStore(objects);
        const sizes = await segments.sizes();
        return await checkVersion({
          location,
          version: info.version,
          parts: store.parts(),
          segments,
          sizeOf: (name) => sizes.get(name),
          storeIds: await store.documentIds(),
          documents: info.documents,
          analyzer: info.fingerprint.analyzer,
          noSegmentsHint: 'a collection written before segments: its next write or `shortlist optimize` converts it',
        });
      } finally {
        await store.close();
      }
    } finally {
      objects.close();
    }
  }

  /**
   * Merges the BM25 segments into one (a new version, committed by the store's conditional PUT),
   * then, under the store's writer lock again, deletes the segment objects the committed manifest
   * does not name (no writer is preparing any while the lock is held).
   */
  async optimize(): Promise<OptimizeReport> {
    return this.#writes.run(async () => {
      const { version, segmentsBefore, merged } = await this.mergeBm25(this.store, this.#segments, this.#cache, this.#legacy());
      let removed: string[] = [];
      await this.store.commitParts(async (base) => {
        removed = (await segmentFiles(base, this.#segments)).garbage;
        for (const name of removed) await this.#segments.delete(name);
        return undefined; // nothing to commit: the lock was wanted
      });
      // The store moved to another writer's version if one committed in between: BM25 follows it.
      if (JSON.stringify(this.store.parts()) !== JSON.stringify(merged))
        this.swapBm25(await openBm25(this.store.parts(), this.#segments, this.#cache, this.#legacy()));
      return { version, segmentsBefore, segmentsAfter: bm25Meta(this.store.parts())?.segments.length ?? 0, removed };
    });
  }

  async close(): Promise<void> {
    await this.#writes.idle();
    this.closeBm25();
    this.#manifests.close();
    this.#objects.close();
    await this.store.close();
  }

  /**
   * Runs a store write (which takes the store's S3 writer lock) whose parts hook writes the BM25
   * segments of the change on top of the version the store's lock holder committed last; the new
   * index becomes the one searches read once the manifest naming it is committed.
   */
  #write(write: (parts: PartsHook) => Promise<UpsertResult>): Promise<UpsertResult> {
    return this.#writes.run(() => this.writeWithBm25(write, this.#segments, this.#cache, (base) => this.#legacy(base)));
  }

  /** BM25 of a version written before segments: built from the documents of the latest committed version. */
  #legacy(_base?: unknown): () => Promise<Bm25Index> {
    return async () => {
      const manifest = await this.#manifests.read();
      if (!manifest)
        throw new ShortlistError(
          'NOT_FOUND',
          `no collection at ${this.location} (its MANIFEST.json is gone); create one with \`shortlist init ${this.location}\``,
        );
      return Bm25Index.build(await this.#readDocuments(manifest), { analyzer: this.#analyzer });
    };
  }

  /** Every document of the version `manifest` names, read from its documents table. */
  async #readDocuments(manifest: Manifest): Promise<Document[]> {
    const db = await (await loadLance()).connect(lanceUri(s3Location(this.location)), {
      storageOptions: lanceStorageOptions(s3Settings(this.#options.env)),
    });
    try {
      const table = await db.openTable(DOCS);
      try {
        await table.checkout(manifest.tables.documents);
        const rows = await table.query().select(['id', 'title', 'text', 'metadata']).toArray();
        return rows.map((r) => rowToDocument(r as Record<string, unknown>)).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
      } finally {
        table.close();
      }
    } finally {
      db.close();
    }
  }
}

/** The parsed `s3://` location (INVALID_ARGUMENT for anything else). */
function s3Location(location: string): Extract<ReturnType<typeof parseLocation>, { kind: 's3' }> {
  const loc = parseLocation(location);
  if (loc.kind !== 's3') throw new ShortlistError('INVALID_ARGUMENT', `${location} is not an S3 location; write s3://bucket/prefix`);
  return loc;
}
