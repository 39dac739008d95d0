/**
 * The parts of a collection version besides the store's own tables: BM25 segments today, a vector
 * index or chunk-level BM25 tomorrow. A version's manifest maps each part's name to its kind, the
 * files (blobs) it consists of and kind-specific metadata, so a new kind of part needs no change
 * to the manifest. A writer prepares a part's new files first and names them in the manifest it
 * commits; files no committed manifest names are garbage.
 */
import type { Document } from '../core/types.ts';

/** One part of a collection version. */
export interface ManifestPart {
  /** What reads it, e.g. `bm25-segments`. */
  kind: string;
  /** Every blob the part consists of (names in the collection's segment store). */
  files: string[];
  /** Kind-specific description (JSON). */
  meta?: unknown;
}

/** A version's parts by name (`bm25`, …). */
export type ManifestParts = Record<string, ManifestPart>;

/** What a write changed in the store, for parts that index documents. */
export interface WriteChange {
  /** Documents stored by this write (new, or with changed title, text or metadata), as stored. */
  upserted: readonly Document[];
  /** Ids removed by this write. */
  deleted: readonly string[];
}

/**
 * Called under the writer lock, after the store's tables are written and before the commit:
 * prepares the parts' new files and returns the parts of the new version (undefined: unchanged).
 * Throwing aborts the write; nothing is committed.
 */
export type PartsHook = (base: Readonly<ManifestParts>, change: WriteChange) => Promise<ManifestParts | undefined>;
