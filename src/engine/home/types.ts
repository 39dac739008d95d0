/**
 * Where a collection lives: its "home". A home keeps the four things a collection needs besides
 * its models — the pipeline it was created with, the lexical (BM25) side, the store of documents,
 * chunks and vectors, and the way writers take turns — so `Collection` reads the same over a
 * directory (`local.ts`) and over a Postgres schema (`postgres.ts`).
 */
import type { Document, Retriever } from '../../core/types.ts';
import type { Bm25RetrieverConfig } from '../../pipeline/config.ts';
import type { Filter } from '../../store/filter.ts';
import type { CollectionStore, UpsertOptions, UpsertResult } from '../../store/types.ts';

/** BM25 counts shown by `info()`. */
export interface LexicalStats {
  /** Documents in the BM25 index. */
  documents: number;
  /** Distinct terms; absent where the backend does not count them cheaply (Postgres). */
  terms?: number;
  /** Terms summed over documents (Σ dl); absent where not kept (the directory index). */
  tokens?: number;
}

/**
 * Named JSON values kept with a collection besides its documents (stage calibrations, the query
 * adapter): `<name>.json` files in a directory, rows of the `config` table in Postgres.
 */
export interface CollectionConfig {
  /** The location for messages (a URL's password hidden). */
  readonly display: string;
  /** The value stored under `name`; undefined when there is none. Throws INDEX_CORRUPT when a file is not JSON. */
  readConfig(name: string): Promise<unknown>;
  /** Stores `value` under `name` (a file is replaced atomically); returns {@link configPlace}. */
  writeConfig(name: string, value: unknown): Promise<string>;
  /** Where the value `name` is kept, for messages: the file path, or the URL with the config name. */
  configPlace(name: string): string;
}

/** One collection's home (see the module comment). Build with `createHome` / `openHome` (`index.ts`). */
export interface CollectionHome extends CollectionConfig {
  /** The location as given: a directory or a `postgres://` URL. */
  readonly location: string;
  /** The collection's directory; undefined in a database (side values go through {@link CollectionConfig}, not this). */
  readonly dir: string | undefined;
  /** Documents, chunks and vectors. */
  readonly store: CollectionStore;
  /** BM25 over whole documents (title + text), `filter` applied inside the search. */
  bm25Retriever(cfg: Bm25RetrieverConfig, filter?: Filter): Retriever;
  /** The stored documents among `ids`, by id. */
  documents(ids: readonly string[]): Promise<Map<string, Document>>;
  /** The stored document `id` without waiting, where the backend keeps documents in memory (the directory); undefined otherwise. */
  documentNow?(id: string): Document | undefined;
  /** Every stored document, where the backend keeps them in memory (the passage unit's chunk BM25 index is built from them); undefined otherwise. */
  allDocuments?(): Document[];
  /** BM25 counts of the version this handle reads. */
  lexicalStats(): LexicalStats;
  /** Upserts `docs` into the store and the BM25 side in one write (under the writer lock where there is one). */
  upsert(docs: readonly Document[], options: UpsertOptions): Promise<UpsertResult>;
  /** Removes documents by id from the store and the BM25 side in one write. */
  remove(ids: readonly string[]): Promise<UpsertResult>;
  /** Runs a search; what it reads stays valid until it returns, even when the handle moves to a newer version meanwhile. */
  reading<T>(fn: () => Promise<T>): Promise<T>;
  /** Moves this handle to the latest committed version; true when it changed. */
  refresh(): Promise<boolean>;
  /** Verifies the latest committed version. */
  check(): Promise<CheckReport>;
  /** Merges the BM25 segments into one (a new version) and removes part files no version names. */
  optimize(): Promise<OptimizeReport>;
  /** Releases the store and the BM25 side. */
  close(): Promise<void>;
}

/** What `shortlist check` reports. */
export interface CheckReport {
  /** True when every problem list is empty. */
  ok: boolean;
  location: string;
  /** The committed version checked. */
  version: number;
  /** Documents in the store, and in BM25. */
  documents: number;
  bm25Documents: number;
  /** BM25 segments the manifest names. */
  segments: number;
  /** What is wrong (missing parts, ids or counts that disagree, mismatched fingerprints). */
  problems: string[];
  /** Part files no committed version names (left by killed writes; `shortlist optimize` removes them). Not a problem. */
  garbage: string[];
}

/** What `shortlist optimize` did. */
export interface OptimizeReport {
  /** The version committed. */
  version: number;
  segmentsBefore: number;
  segmentsAfter: number;
  /** Part files removed as garbage. */
  removed: string[];
}
