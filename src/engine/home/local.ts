/**
 * A collection in a directory: the LanceDB store (`MANIFEST.json` + `lance/`), the BM25 segments
 * (`segments/`), the pipeline (`pipeline.json`), and the writer lock in `locks/`.
 *
 * One manifest, one commit: a write takes the lock, writes the store's new table versions, writes
 * the BM25 segments the change needs (a new segment for added documents, a live-docs generation
 * for deleted ones, merges the policy asks for), and commits by renaming one `MANIFEST.json` that
 * names the table versions and the segments. A write killed at any moment leaves the previous
 * manifest, hence the previous version, whole; files it wrote are named by no manifest (garbage,
 * reported by `check` and removed by `optimize`). Readers open exactly what one manifest names; a
 * BM25 index replaced by a write or a refresh is closed once no running search still reads it.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import { writeJsonAtomic } from '../../core/fsync.ts';
import type { Document } from '../../core/types.ts';
import { annOptions, resolvePipeline, type ResolvedPipeline } from '../../pipeline/config.ts';
import { Bm25Index, FsSegmentStore, SegmentCache } from '../../retrieve/bm25/index.ts';
import { acquireLock } from '../../store/lancedb/manifest.ts';
import { LanceCollectionStore } from '../../store/lancedb/store.ts';
import type { PartsHook } from '../../store/parts.ts';
import type { CreateOptions, UpsertOptions, UpsertResult } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { Bm25Home } from './bm25-home.ts';
import { bm25Meta, bm25Parts, LEGACY_BM25_DIR, openBm25, segmentFiles } from './bm25-part.ts';
import { checkVersion } from './check.ts';
import { assertFolderFree, PIPELINE_FILE } from './names.ts';
import type { CheckReport, CollectionHome, OptimizeReport } from './types.ts';

export { PIPELINE_FILE };
/** The folder of the collection's part files (BM25 segments). */
export const SEGMENTS_DIR = 'segments';
const LOCK_DIR = 'locks';

/** A collection directory (see the module comment). */
export class LocalHome extends Bm25Home implements CollectionHome {
  readonly store: LanceCollectionStore;
  readonly #segments: FsSegmentStore;
  readonly #cache = new SegmentCache();

  private constructor(
    readonly location: string,
    store: LanceCollectionStore,
    bm25: Bm25Index,
    segments: FsSegmentStore,
    cache?: SegmentCache,
  ) {
    super(bm25);
    this.store = store;
    this.#segments = segments;
    if (cache) this.#cache = cache;
  }

  get display(): string {
    return this.location;
  }

  get dir(): string {
    return this.location;
  }

  /** True when `dir` holds a collection (its pipeline file). */
  static exists(dir: string): boolean {
    return existsSync(join(dir, PIPELINE_FILE));
  }

  /** Throws INVALID_ARGUMENT when `dir` already holds a collection (or a store). */
  static assertFree(dir: string): void {
    assertFolderFree(dir);
  }

  /** Creates an empty collection in `dir` (which must hold none); the pipeline file is written last. */
  static async create(dir: string, pipeline: ResolvedPipeline, analyzer: Analyzer, options: CreateOptions): Promise<LocalHome> {
    LocalHome.assertFree(dir);
    const store = await LanceCollectionStore.create(dir, { ...options, ...annOptions(pipeline) });
    try {
      const segments = new FsSegmentStore(join(dir, SEGMENTS_DIR));
      const cache = new SegmentCache();
      const bm25 = Bm25Index.create(analyzer);
      await store.commitParts(async (base) => bm25Parts(base, bm25, segments, cache));
      writeJsonAtomic(join(dir, PIPELINE_FILE), pipeline, { indent: 2 });
      return new LocalHome(dir, store, bm25, segments, cache);
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** Opens the collection in `dir` with the pipeline it was created with. */
  static async open(dir: string): Promise<{ home: LocalHome; pipeline: ResolvedPipeline }> {
    const file = join(dir, PIPELINE_FILE);
    if (!existsSync(file))
      throw new ShortlistError('NOT_FOUND', `${dir} is not a collection (no ${PIPELINE_FILE}); create one with \`shortlist init ${dir}\``);
    const pipeline = resolvePipeline(JSON.parse(readFileSync(file, 'utf8')), file);
    const store = await LanceCollectionStore.open(dir, annOptions(pipeline));
    try {
      const segments = new FsSegmentStore(join(dir, SEGMENTS_DIR));
      const cache = new SegmentCache();
      const bm25 = await openBm25(store.parts(), segments, cache, dir);
      return { home: new LocalHome(dir, store, bm25, segments, cache), pipeline };
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  async readConfig(name: string): Promise<unknown> {
    return readConfigFile(this.location, name);
  }

  async writeConfig(name: string, value: unknown): Promise<string> {
    return writeConfigFile(this.location, name, value);
  }

  configPlace(name: string): string {
    return join(this.location, configFileName(name));
  }

  async upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult> {
    return this.#locked(() => this.#write((parts) => this.store.upsert(docs, { ...options, parts })));
  }

  async remove(ids: readonly string[]): Promise<UpsertResult> {
    return this.#locked(() => this.#write((parts) => this.store.delete(ids, { parts })));
  }

  async refresh(): Promise<boolean> {
    // The new version's segments are read before the store moves, then both switch together.
    return this.store.refresh(async (parts) => {
      const fresh = await openBm25(parts, this.#segments, this.#cache, this.location);
      return () => this.swapBm25(fresh);
    });
  }

  /** Verifies the committed version: parts exist, store and BM25 agree (see {@link CheckReport}). */
  async check(): Promise<CheckReport> {
    return LocalHome.check(this.location);
  }

  /** {@link check} for the collection in `dir`, without opening its BM25 first (so a damaged one is reported, not refused). */
  static async check(dir: string): Promise<CheckReport> {
    if (!LocalHome.exists(dir)) throw new ShortlistError('NOT_FOUND', `${dir} is not a collection (no ${PIPELINE_FILE})`);
    const store = await LanceCollectionStore.open(dir);
    try {
      const info = await store.info();
      return await checkVersion({
        location: dir,
        version: info.version,
        parts: store.parts(),
        segments: new FsSegmentStore(join(dir, SEGMENTS_DIR)),
        sizeOf: (name) => sizeOrUndefined(join(dir, SEGMENTS_DIR, name)),
        storeIds: await store.documentIds(),
        documents: info.documents,
        analyzer: info.fingerprint.analyzer,
        ...(existsSync(join(dir, LEGACY_BM25_DIR, 'CURRENT'))
          ? { noSegmentsHint: 'a collection written before segments: run `shortlist optimize` to convert it' }
          : {}),
      });
    } finally {
      await store.close();
    }
  }

  /** Merges the BM25 segments into one and removes part files no committed version names. */
  async optimize(): Promise<OptimizeReport> {
    return this.#locked(async () => {
      const { version, segmentsBefore } = await this.mergeBm25(this.store, this.#segments, this.#cache, this.location);
      // Under the writer lock no write is preparing files, so whatever the manifest does not name is garbage.
      const latest = await this.store.latest();
      const { garbage } = await segmentFiles(latest.parts, this.#segments);
      for (const name of garbage) await this.#segments.delete(name);
      if (bm25Meta(latest.parts)) rmSync(join(this.location, LEGACY_BM25_DIR), { recursive: true, force: true });
      return { version, segmentsBefore, segmentsAfter: bm25Meta(latest.parts)?.segments.length ?? 0, removed: garbage };
    });
  }

  async close(): Promise<void> {
    this.closeBm25();
    await this.store.close();
  }

  /** A store write with its BM25 segments (see {@link Bm25Home.writeWithBm25}). */
  #write(write: (parts: PartsHook) => Promise<UpsertResult>): Promise<UpsertResult> {
    return this.writeWithBm25(write, this.#segments, this.#cache, () => this.location);
  }

  /** Runs a write under the collection's writer lock (`locks/`). */
  async #locked<T>(fn: () => Promise<T>): Promise<T> {
    mkdirSync(join(this.location, LOCK_DIR), { recursive: true });
    const release = acquireLock(join(this.location, LOCK_DIR));
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

function sizeOrUndefined(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch {
    return undefined;
  }
}

/** The file of config value `name` in a collection directory: `<name>.json`. */
export function configFileName(name: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name))
    throw new ShortlistError('INVALID_ARGUMENT', `config name "${name}" must be lowercase letters, digits and dashes`);
  return `${name}.json`;
}

/** The config value `name` of the collection directory `dir` (its `<name>.json`); undefined when the file is absent. */
export function readConfigFile(dir: string, name: string): unknown {
  const file = join(dir, configFileName(name));
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new ShortlistError(
      'INDEX_CORRUPT',
      `${file} is not JSON (${(cause as Error).message}); delete it and run the command that wrote it again`,
      { cause, location: { file } },
    );
  }
}

/** Writes config value `name` into the collection directory `dir` as indented JSON (atomically); returns the file. */
export function writeConfigFile(dir: string, name: string, value: unknown): string {
  const file = join(dir, configFileName(name));
  writeJsonAtomic(file, value, { indent: 2 });
  return file;
}
