/**
 * The BM25 part of a collection version: segments in the collection's segment store, named by the
 * version's manifest (`parts.bm25`). Opening reads the segments that manifest names (through a
 * cache, so a process loads only segments it has not seen); a write forks the version's index,
 * applies the store's change, writes the new segment blobs and returns the parts of the next
 * manifest. Collections written before parts keep BM25 in a `bm25/` folder, read as the base of
 * their first write.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ShortlistError } from '../../core/errors.ts';
import { Bm25Index, type SegmentCache, type Bm25PartMeta, type SegmentStore } from '../../retrieve/bm25/index.ts';
import { BM25_PART_KIND, entryFiles } from '../../retrieve/bm25/segments-io.ts';
import type { ManifestParts, WriteChange } from '../../store/parts.ts';

/** The manifest part holding BM25. */
export const BM25_PART = 'bm25';
/** The folder of pre-parts collections' BM25 index. */
export const LEGACY_BM25_DIR = 'bm25';

/** The BM25 description in `parts`, or undefined for a collection written before parts. */
export function bm25Meta(parts: Readonly<ManifestParts>): Bm25PartMeta | undefined {
  const p = parts[BM25_PART];
  if (!p) return undefined;
  if (p.kind !== BM25_PART_KIND)
    throw new ShortlistError(
      'INDEX_MISMATCH',
      `the collection's "${BM25_PART}" part is a "${p.kind}", not BM25 segments; rebuild the collection`,
    );
  return p.meta as Bm25PartMeta;
}

/** How a collection written before parts gets its BM25 index: a folder's `bm25/`, or a rebuild from documents. */
export type LegacyBm25 = string | (() => Promise<Bm25Index>);

/** Opens the BM25 index of the version whose parts are `parts`. */
export async function openBm25(
  parts: Readonly<ManifestParts>,
  segments: SegmentStore,
  cache: SegmentCache,
  legacy?: LegacyBm25,
): Promise<Bm25Index> {
  const meta = bm25Meta(parts);
  if (meta) return Bm25Index.openSegments(segments, meta, { cache });
  if (typeof legacy === 'function') return legacy();
  if (legacy && existsSync(join(legacy, LEGACY_BM25_DIR, 'CURRENT'))) return Bm25Index.open(join(legacy, LEGACY_BM25_DIR));
  throw new ShortlistError(
    'INDEX_CORRUPT',
    `the collection at ${typeof legacy === 'string' ? legacy : segments.display} names no BM25 segments in its manifest; run \`shortlist check\`, and rebuild it if that fails`,
  );
}

/** The parts of the next version: `base` with BM25 as written by `index` into `segments`. */
export async function bm25Parts(
  base: Readonly<ManifestParts>,
  index: Bm25Index,
  segments: SegmentStore,
  cache: SegmentCache,
  options: { forceMerge?: boolean } = {},
): Promise<ManifestParts> {
  const { part, files } = await index.writeSegments(segments, { ...options, cache });
  return { ...base, [BM25_PART]: { kind: BM25_PART_KIND, files, meta: part } };
}

/**
 * Applies a store write to the BM25 index of version `base`: opens it (a fork, so readers of that
 * version are untouched), upserts and deletes, writes the new segments. Returns the new index and
 * the parts naming it.
 */
export async function applyToBm25(
  base: Readonly<ManifestParts>,
  change: WriteChange,
  segments: SegmentStore,
  cache: SegmentCache,
  legacy?: LegacyBm25,
): Promise<{ index: Bm25Index; parts: ManifestParts }> {
  const index = (await openBm25(base, segments, cache, legacy)).fork();
  if (change.deleted.length > 0) index.delete(change.deleted);
  if (change.upserted.length > 0) await index.add(change.upserted);
  return { index, parts: await bm25Parts(base, index, segments, cache) };
}

/** Every blob the parts name. */
export function namedFiles(parts: Readonly<ManifestParts>): Set<string> {
  return new Set(Object.values(parts).flatMap((p) => p.files));
}

/** What `shortlist check` found in the segment store against the manifest. */
export interface SegmentFilesReport {
  /** Named by the manifest but absent or of the wrong size. */
  missing: string[];
  /** Present but named by no part of the committed version. */
  garbage: string[];
}

/** Compares the segment store's blobs with what `parts` name. */
export async function segmentFiles(
  parts: Readonly<ManifestParts>,
  segments: SegmentStore,
  sizeOf?: (name: string) => number | undefined,
): Promise<SegmentFilesReport> {
  const present = new Set(await segments.list());
  const named = namedFiles(parts);
  const missing = [...named].filter((n) => !present.has(n));
  const meta = bm25Meta(parts);
  if (meta && sizeOf) {
    for (const e of meta.segments) {
      for (const [file, want] of [
        [`${e.name}.seg`, e.bytes.seg],
        [`${e.name}.docs`, e.bytes.docs],
      ] as const) {
        const size = present.has(file) ? sizeOf(file) : undefined;
        if (present.has(file) && want >= 0 && size !== undefined && size !== want)
          missing.push(`${file} (${size} bytes, the manifest says ${want})`);
      }
    }
  }
  const garbage = [...present].filter((n) => !named.has(n)).sort();
  return { missing, garbage };
}

export { entryFiles };
