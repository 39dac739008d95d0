/**
 * A collection in a directory: the LanceDB store (`MANIFEST.json` + `lance/`), the BM25 index
 * over whole documents (`bm25/`), the pipeline (`pipeline.json`), and the writer lock in `locks/`
 * (two processes adding to one collection take turns; the BM25 index is never saved over another
 * writer's changes).
 *
 * A write commits the store's version first, then brings the BM25 index up to date with every
 * written document it lacks or holds in another version, so an add killed between the two is
 * completed by the next add. A BM25 index replaced by a write or a refresh is closed once no
 * running search still reads it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import type { Document, Retriever } from '../../core/types.ts';
import { annOptions, resolvePipeline, type Bm25RetrieverConfig, type ResolvedPipeline } from '../../pipeline/config.ts';
import { Bm25Index } from '../../retrieve/bm25/index.ts';
import { currentVersionDir } from '../../retrieve/bm25/storage.ts';
import type { Filter } from '../../store/filter.ts';
import { acquireLock } from '../../store/lancedb/manifest.ts';
import { LanceCollectionStore } from '../../store/lancedb/store.ts';
import type { CreateOptions, UpsertOptions, UpsertResult } from '../../store/types.ts';
import type { Analyzer } from '../../text/analyzer.ts';
import { allIndexed, bm25Retriever, storedDocuments } from '../retrievers.ts';
import type { CollectionHome, LexicalStats } from './types.ts';

/** The pipeline file inside a collection directory. */
export const PIPELINE_FILE = 'pipeline.json';
const BM25_DIR = 'bm25';
const LOCK_DIR = 'locks';

/** A collection directory (see the module comment). */
export class LocalHome implements CollectionHome {
  readonly store: LanceCollectionStore;
  #bm25: Bm25Index;
  /** The BM25 version folder `#bm25` was read from (refresh reopens only when it moved). */
  #bm25Version: string;
  /** Searches running now; a replaced BM25 index is closed once none is (they may still read it). */
  #searching = 0;
  readonly #retired: Bm25Index[] = [];

  private constructor(readonly location: string, store: LanceCollectionStore, bm25: Bm25Index) {
    this.store = store;
    this.#bm25 = bm25;
    this.#bm25Version = currentVersionDir(join(location, BM25_DIR));
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
    if (existsSync(join(dir, PIPELINE_FILE)) || existsSync(join(dir, 'MANIFEST.json'))) {
      throw new ShortlistError('INVALID_ARGUMENT', `a collection already exists at ${dir}; add to it, or create the new one in another directory`);
    }
  }

  /** Creates an empty collection in `dir` (which must hold none); the pipeline file is written last. */
  static async create(dir: string, pipeline: ResolvedPipeline, analyzer: Analyzer, options: CreateOptions): Promise<LocalHome> {
    LocalHome.assertFree(dir);
    const store = await LanceCollectionStore.create(dir, { ...options, ...annOptions(pipeline) });
    try {
      const bm25 = Bm25Index.create(analyzer);
      await bm25.save(join(dir, BM25_DIR));
      writeAtomic(join(dir, PIPELINE_FILE), JSON.stringify(pipeline, null, 2) + '\n');
      return new LocalHome(dir, store, bm25);
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  /** Opens the collection in `dir` with the pipeline it was created with. */
  static async open(dir: string): Promise<{ home: LocalHome; pipeline: ResolvedPipeline }> {
    const file = join(dir, PIPELINE_FILE);
    if (!existsSync(file)) throw new ShortlistError('NOT_FOUND', `${dir} is not a collection (no ${PIPELINE_FILE}); create one with \`shortlist init ${dir}\``);
    const pipeline = resolvePipeline(JSON.parse(readFileSync(file, 'utf8')), file);
    const store = await LanceCollectionStore.open(dir, annOptions(pipeline));
    try {
      return { home: new LocalHome(dir, store, await Bm25Index.open(join(dir, BM25_DIR))), pipeline };
    } catch (err) {
      await store.close();
      throw err;
    }
  }

  bm25Retriever(cfg: Bm25RetrieverConfig, filter?: Filter): Retriever {
    return bm25Retriever(this.#bm25, cfg, filter);
  }

  async documents(ids: readonly string[]): Promise<Map<string, Document>> {
    return storedDocuments(this.#bm25, ids);
  }

  documentNow(id: string): Document | undefined {
    return this.#bm25.document(id);
  }

  allDocuments(): Document[] {
    return allIndexed(this.#bm25);
  }

  lexicalStats(): LexicalStats {
    return { documents: this.#bm25.stats.docCount, terms: this.#bm25.stats.termCount };
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
    return this.#write(async () => {
      const result = await this.store.upsert(docs, options);
      await this.#updateBm25(async (index) => {
        const stale = docs.filter((d) => !sameDoc(index.document(d.id), d));
        if (stale.length > 0) await index.add(stale);
        return stale.length > 0;
      });
      return result;
    });
  }

  async remove(ids: readonly string[]): Promise<UpsertResult> {
    return this.#write(async () => {
      const result = await this.store.delete(ids);
      await this.#updateBm25(async (index) => index.delete(ids) > 0);
      return result;
    });
  }

  async reading<T>(fn: () => Promise<T>): Promise<T> {
    this.#searching++;
    try {
      return await fn();
    } finally {
      if (--this.#searching === 0) this.#closeRetired();
    }
  }

  async refresh(): Promise<boolean> {
    const changed = await this.store.refresh();
    // the version is read before opening: a save in between only makes the next refresh reopen again
    const version = currentVersionDir(join(this.location, BM25_DIR));
    if (version === this.#bm25Version) return changed;
    this.#swapBm25(await Bm25Index.open(join(this.location, BM25_DIR)), version);
    return true;
  }

  async close(): Promise<void> {
    this.#bm25.close();
    this.#closeRetired();
    await this.store.close();
  }

  /** Runs a write under the collection's writer lock (`locks/`). */
  async #write<T>(fn: () => Promise<T>): Promise<T> {
    mkdirSync(join(this.location, LOCK_DIR), { recursive: true });
    const release = acquireLock(join(this.location, LOCK_DIR));
    try {
      return await fn();
    } finally {
      release();
    }
  }

  /** Reloads the BM25 index from disk (another process may have changed it), applies `change`, saves when it changed. */
  async #updateBm25(change: (index: Bm25Index) => Promise<boolean>): Promise<void> {
    const dir = join(this.location, BM25_DIR);
    const fresh = await Bm25Index.open(dir);
    try {
      if (await change(fresh)) await fresh.save(dir);
    } catch (err) {
      fresh.close();
      throw err;
    }
    this.#swapBm25(fresh, currentVersionDir(dir));
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
}

/** True when a stored BM25 document is `d` (title, text and metadata). */
function sameDoc(stored: Document | undefined, d: Document): boolean {
  if (!stored) return false;
  return stored.text === d.text && (stored.title ?? undefined) === (d.title ?? undefined) && JSON.stringify(stored.metadata ?? {}) === JSON.stringify(d.metadata ?? {});
}

/** The file of config value `name` in a collection directory: `<name>.json`. */
export function configFileName(name: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(name)) throw new ShortlistError('INVALID_ARGUMENT', `config name "${name}" must be lowercase letters, digits and dashes`);
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
    throw new ShortlistError('INDEX_CORRUPT', `${file} is not JSON (${(cause as Error).message}); delete it and run the command that wrote it again`, { cause, location: { file } });
  }
}

/** Writes config value `name` into the collection directory `dir` as indented JSON (atomically); returns the file. */
export function writeConfigFile(dir: string, name: string, value: unknown): string {
  const file = join(dir, configFileName(name));
  writeAtomic(file, JSON.stringify(value, null, 2) + '\n');
  return file;
}

function writeAtomic(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}
