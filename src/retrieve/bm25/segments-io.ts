/**
 * Reading and writing an index's segments through a {@link SegmentStore}, and the BM25 entry of a
 * collection manifest that names them. Writing puts only blobs that do not exist yet (new and
 * merged segments, new live-docs generations) and returns the entry for the next manifest; it
 * never deletes: blobs the committed manifest does not name are garbage for `optimize` to collect.
 */
import { randomBytes } from 'node:crypto';
import { ShortlistError } from '../../core/errors.ts';
import { testPoint } from '../../core/test-points.ts';
import { DocStore } from './doc-store.ts';
import { LiveSegment } from './live-segment.ts';
import { decodeLiveDocs, decodeSegment, encodeLiveDocs, encodeSegment } from './segment-codec.ts';
import type { Segment } from './segment.ts';
import type { SegmentStore } from './segment-store.ts';

/** The part kind of BM25 segments in a collection manifest. */
export const BM25_PART_KIND = 'bm25-segments';

/** What a collection manifest records of its BM25 index (the `meta` of its `bm25` part). */
export interface Bm25PartMeta {
  /** Id (with version) of the analyzer that produced the terms. */
  analyzer: string;
  /** The segments, in search order. */
  segments: Bm25SegmentEntry[];
}

/** One segment named by a manifest. */
export interface Bm25SegmentEntry {
  /** Stem of its blobs: `<name>.seg` and `<name>.docs`. */
  name: string;
  /** Documents in the segment, deleted ones included. */
  docs: number;
  /** Deleted documents. */
  deleted: number;
  /** The live-docs blob (`<name>.del-<generation>`); absent when no document is deleted. */
  liveDocs?: string;
  /** Byte sizes of `.seg` and `.docs`, checked by `shortlist check`. */
  bytes: { seg: number; docs: number };
}

/** The blob names of an entry. */
export function entryFiles(e: Bm25SegmentEntry): string[] {
  return [`${e.name}.seg`, `${e.name}.docs`, ...(e.liveDocs ? [e.liveDocs] : [])];
}

/**
 * Segments and live-docs read so far, by blob name, shared by the versions a process opens: a
 * reader whose manifest moved loads only the blobs it has not seen.
 */
export class SegmentCache {
  readonly #segments = new Map<string, { segment: Segment; store: DocStore }>();
  readonly #liveDocs = new Map<string, Uint8Array>();

  /** Blobs fetched so far (tests count them). */
  fetched = 0;

  async segment(store: SegmentStore, name: string): Promise<{ segment: Segment; store: DocStore }> {
    let hit = this.#segments.get(name);
    if (!hit) {
      hit = await loadSegment(store, name);
      this.fetched += 2;
      this.#segments.set(name, hit);
    }
    return hit;
  }

  async liveDocs(store: SegmentStore, name: string, docCount: number): Promise<Uint8Array> {
    let hit = this.#liveDocs.get(name);
    if (!hit) {
      hit = decodeLiveDocs(await store.get(name), docCount, `${store.display}/${name}`);
      this.fetched++;
      this.#liveDocs.set(name, hit);
    }
    return hit;
  }

  /** Forgets every segment not named by `keep` (what the current version uses). */
  retain(keep: Bm25PartMeta): void {
    const names = new Set(keep.segments.flatMap(entryFiles));
    for (const name of this.#segments.keys()) if (!names.has(`${name}.seg`)) this.#segments.delete(name);
    for (const name of this.#liveDocs.keys()) if (!names.has(name)) this.#liveDocs.delete(name);
  }

  /** Puts a segment this process just wrote, so its own next open reads nothing. */
  remember(name: string, value: { segment: Segment; store: DocStore }): void {
    this.#segments.set(name, value);
  }
}

async function loadSegment(store: SegmentStore, name: string): Promise<{ segment: Segment; store: DocStore }> {
  const bytes = await store.get(`${name}.seg`);
  const docs = await store.get(`${name}.docs`);
  const {
    segment,
    store: records,
    header,
  } = decodeSegment(bytes, (offsets) => DocStore.fromBytes(docs, offsets), `${store.display}/${name}.seg`);
  if (docs.length !== header.docsBytes)
    throw new ShortlistError(
      'INDEX_CORRUPT',
      `${store.display}/${name}.docs holds ${docs.length} bytes, its segment says ${header.docsBytes}; run \`shortlist check\``,
    );
  return { segment, store: records };
}

/** The live segments of a manifest's BM25 part. */
export async function readSegments(store: SegmentStore, part: Bm25PartMeta, cache = new SegmentCache()): Promise<LiveSegment[]> {
  const out: LiveSegment[] = [];
  for (const e of part.segments) {
    const { segment, store: records } = await cache.segment(store, e.name);
    if (segment.docCount !== e.docs)
      throw new ShortlistError(
        'INDEX_CORRUPT',
        `BM25 segment ${e.name} in ${store.display} holds ${segment.docCount} documents, the manifest says ${e.docs}; run \`shortlist check\``,
      );
    const deleted = e.liveDocs ? await cache.liveDocs(store, e.liveDocs, segment.docCount) : null;
    const live = new LiveSegment(segment, records, { name: e.name, deleted, delName: e.liveDocs ?? null });
    live.bytes = e.bytes;
    if (live.delCount !== e.deleted)
      throw new ShortlistError(
        'INDEX_CORRUPT',
        `BM25 live-docs ${e.liveDocs} in ${store.display} delete ${live.delCount} documents, the manifest says ${e.deleted}; run \`shortlist check\``,
      );
    out.push(live);
  }
  return out;
}

/** Puts the blobs `segs` need that are not written yet; returns the part naming them all. */
export async function persistSegments(
  store: SegmentStore,
  segs: readonly LiveSegment[],
  analyzer: string,
  cache?: SegmentCache,
  timings?: { encode: number; write: number },
): Promise<{ part: Bm25PartMeta; files: string[]; written: string[] }> {
  let t = performance.now();
  /** Adds the time since `t` to `phase`. */
  const lap = (phase: 'encode' | 'write'): void => {
    const now = performance.now();
    if (timings) timings[phase] += now - t;
    t = now;
  };
  const written: string[] = [];
  const segments: Bm25SegmentEntry[] = [];
  for (const s of segs) {
    let bytes: { seg: number; docs: number };
    if (s.name === null) {
      const name = newName('s');
      t = performance.now();
      const blobs = encodeSegment(s.segment, s.store, analyzer);
      lap('encode');
      await store.put(`${name}.seg`, blobs.seg);
      testPoint('write:segment-put');
      await store.put(`${name}.docs`, blobs.docs);
      lap('write');
      written.push(`${name}.seg`, `${name}.docs`);
      s.name = name;
      // From now on read the records from the written bytes: exact size, independent of the
      // builder's memory chunks or of the files of the segments it was merged from.
      s.store = DocStore.fromBytes(blobs.docs, blobs.docOffsets);
      cache?.remember(name, { segment: s.segment, store: s.store });
      bytes = { seg: blobs.seg.length, docs: blobs.docs.length };
    } else {
      bytes = s.bytes ?? { seg: -1, docs: -1 };
    }
    s.bytes = bytes;
    if (s.delCount > 0 && s.delName === null) {
      const name = `${s.name}.del-${newName('g')}`;
      t = performance.now();
      const bytes = encodeLiveDocs(s.deleted!);
      lap('encode');
      await store.put(name, bytes);
      lap('write');
      written.push(name);
      s.delName = name;
    }
    segments.push({ name: s.name, docs: s.docCount, deleted: s.delCount, ...(s.delCount > 0 ? { liveDocs: s.delName! } : {}), bytes });
  }
  const part: Bm25PartMeta = { analyzer, segments };
  return { part, files: segments.flatMap(entryFiles), written };
}

/** A new unique blob stem: time-ordered, then random. */
function newName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${randomBytes(5).toString('hex')}`;
}
